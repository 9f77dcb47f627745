import { describe, expect, it } from "vitest";
import { PENDING_MARK } from "../src/checks.ts";
import { useArea } from "../src/harness/area.ts";
import { PENDING, SERVER_TIMING_PENDING } from "../src/pending.ts";

const area = useArea("pending");

describe("pending checks: each reason must still hold, or the check must now be written", () => {
  for (const entry of PENDING) {
    const part = entry.part === "whole" ? "" : `(${entry.part}) `;
    it(`${entry.id} ${PENDING_MARK} ${part}${entry.reason}`, async () => {
      expect(await entry.stillTrue()).toBe(true);
    });
  }

  for (const entry of SERVER_TIMING_PENDING) {
    it(`${entry.id} ${PENDING_MARK} (${entry.part}) ${entry.reason}`, async () => {
      const answer = await area
        .client()
        .mutation("auth.login", { username: "pending-probe", password: "pending probe 1" });
      expect(answer.status).toBe(401);
      expect(answer.headers["server-timing"]).toBeUndefined();
    });
  }
});
