import { INSECURE_TEST_PASSWORD_HASHER_PARAMS } from "@tsbin/auth-core/server";
import { createTestDb, type TestDb } from "@tsbin/db/testing";
import { pino } from "pino";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "./app.ts";
import { BackgroundTasks, summarizeError } from "./background.ts";
import type { EmailMessage, EmailSender } from "./email/message.ts";
import { loadEnv } from "./env.ts";

/** A logger that keeps every line it writes, parsed. */
function recordingLogger(): { logger: pino.Logger; lines: Record<string, unknown>[] } {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: "info", base: undefined },
    { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) },
  );
  return { logger, lines };
}

describe("BackgroundTasks", () => {
  it("starts a task after the caller has moved on, and settled() waits for tasks started by tasks", async () => {
    const { logger } = recordingLogger();
    const tasks = new BackgroundTasks(logger);
    const order: string[] = [];
    tasks.run("outer", async () => {
      order.push("outer");
      await new Promise((resolve) => setTimeout(resolve, 20));
      tasks.run("inner", async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push("inner");
      });
    });
    order.push("caller");
    expect(tasks.pending).toBe(1);
    await tasks.settled();
    expect(order).toEqual(["caller", "outer", "inner"]);
    expect(tasks.pending).toBe(0);
  });

  it("logs a failure with the error's class and code only, never its message", async () => {
    const { logger, lines } = recordingLogger();
    const tasks = new BackgroundTasks(logger);
    const secret = "alice@example.com token abc.def";
    tasks.run("reset", () =>
      Promise.reject(new Error(`Failed query: insert ... params: ${secret}`, { cause: { code: "23505" } })),
    );
    tasks.run("throws synchronously", () => {
      throw new TypeError(secret);
    });
    await tasks.settled();
    expect(lines.map((line) => [line["msg"], line["task"], line["error"]])).toEqual([
      ["background task failed", "reset", { type: "Error", code: "23505" }],
      ["background task failed", "throws synchronously", { type: "TypeError" }],
    ]);
    expect(JSON.stringify(lines)).not.toContain("alice@example.com");
  });

  it("settledWithin gives up on a task that hangs", async () => {
    const { logger } = recordingLogger();
    const tasks = new BackgroundTasks(logger);
    tasks.run("hangs", () => new Promise(() => undefined));
    expect(await tasks.settledWithin(50)).toBe(false);
    const quick = new BackgroundTasks(logger);
    quick.run("quick", () => Promise.resolve());
    expect(await quick.settledWithin(1_000)).toBe(true);
  });

  it("summarizes non-errors without their content", () => {
    expect(summarizeError("a string with a secret")).toEqual({ type: "string" });
    expect(summarizeError(Object.assign(new Error("x"), { code: "CONNECTION_CLOSED" }))).toEqual({
      type: "Error",
      code: "CONNECTION_CLOSED",
    });
  });
});

describe("auth.requestPasswordReset", () => {
  let database: TestDb;
  let app: App;
  let lines: Record<string, unknown>[];
  const sent: EmailMessage[] = [];
  // Holds every email until released, to show the answer does not wait for the background work.
  let release: () => void = () => undefined;
  let gate = Promise.resolve();
  const email: EmailSender = {
    send: async (message) => {
      await gate;
      sent.push(message);
    },
  };

  beforeAll(async () => {
    const recording = recordingLogger();
    lines = recording.lines;
    database = await createTestDb();
    app = createApp(
      {
        env: loadEnv({ LOG_LEVEL: "info", DATA_DIR: "/nonexistent/tsbin-test" }),
        database,
        logger: recording.logger,
        email,
        hasherParams: INSECURE_TEST_PASSWORD_HASHER_PARAMS,
      },
      { webDistDir: "/nonexistent/tsbin-web" },
    );
  });

  afterAll(async () => {
    release();
    await app.services.background.settled();
    await database.close();
  });

  async function call(path: string, input: unknown): Promise<{ status: number; text: string }> {
    const res = await app.app.request(`/trpc/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(superjson.serialize(input)),
    });
    return { status: res.status, text: await res.text() };
  }

  it("answers without waiting for the background work (token and email)", async () => {
    const signup = await call("auth.signup", {
      username: "gated",
      email: "gated@example.com",
      password: "a long enough passphrase 7",
    });
    expect(signup.status).toBe(200);
    gate = new Promise((resolve) => {
      release = resolve;
    });
    const known = await call("auth.requestPasswordReset", { email: "gated@example.com" });
    const unknown = await call("auth.requestPasswordReset", { email: "nobody@example.com" });
    expect(known.status).toBe(200);
    expect(known.text).toBe(unknown.text);
    expect(sent).toEqual([]);
    expect(app.services.background.pending).toBeGreaterThan(0);

    release();
    await app.services.background.settled();
    expect(sent.map((message) => message.to)).toEqual(["gated@example.com"]);
    const rows = await database.query("select 1 from password_reset_tokens");
    expect(rows).toHaveLength(1);
  });

  it("still answers the same when the background work fails, and logs no address or token", async () => {
    gate = Promise.resolve();
    await database.query("alter table password_reset_tokens rename to password_reset_tokens_away");
    try {
      const known = await call("auth.requestPasswordReset", { email: "gated@example.com" });
      const unknown = await call("auth.requestPasswordReset", { email: "nobody@example.com" });
      expect(known.status).toBe(200);
      expect(known.text).toBe(unknown.text);
      await app.services.background.settled();
    } finally {
      await database.query("alter table password_reset_tokens_away rename to password_reset_tokens");
    }
    const failures = lines.filter((line) => line["msg"] === "background task failed");
    expect(failures).toHaveLength(1);
    expect(failures[0]?.["task"]).toBe("password reset email");
    expect(JSON.stringify(failures)).not.toContain("gated@example.com");
  });
});
