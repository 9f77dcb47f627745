import { readdirSync } from "node:fs";
import { getPriority } from "node:os";
import { INSECURE_TEST_PASSWORD_HASHER_PARAMS, type HasherCallKind } from "@tsbin/auth-core/server";
import { describe, expect, it } from "vitest";
import {
  CallerGoneError,
  HashingOverloadedError,
  lowerHelperThreadPriority,
  PasswordService,
} from "./password-service.ts";

/** Nice values of this process's threads other than the main one, by thread id. */
function helperPriorities(): Map<number, number> {
  const priorities = new Map<number, number>();
  for (const entry of readdirSync("/proc/self/task")) {
    const tid = Number(entry);
    if (tid === process.pid) continue;
    try {
      priorities.set(tid, getPriority(tid));
    } catch {
      // the thread ended meanwhile
    }
  }
  return priorities;
}

describe.runIf(process.platform === "linux")("lowerHelperThreadPriority", () => {
  it("changes nothing when asked for no difference", () => {
    const before = helperPriorities();
    lowerHelperThreadPriority(0);
    for (const [tid, priority] of helperPriorities()) {
      if (before.has(tid)) expect(priority).toBe(before.get(tid));
    }
  });

  it("lowers every thread's priority but the main thread's", () => {
    const main = getPriority();
    lowerHelperThreadPriority(1);
    const helpers = [...helperPriorities().values()];
    expect(helpers.length).toBeGreaterThan(0);
    for (const priority of helpers) expect(priority).toBeGreaterThanOrEqual(Math.min(19, main + 1));
    expect(getPriority()).toBe(main);
  });
});

/**
 * A service with one hashing slot at the tests' (cheap) cost, and the kinds of hasher work it has done.
 * A call takes the free slot synchronously, so calls made in the same turn queue behind it, in order.
 */
async function oneSlotService(maxQueue: number) {
  const calls: HasherCallKind[] = [];
  const service = new PasswordService({
    concurrency: 1,
    maxQueue,
    params: INSECURE_TEST_PASSWORD_HASHER_PARAMS,
    helperThreadNiceness: 0,
    onHasherCall: (_algorithm, kind) => calls.push(kind),
  });
  const encoded = await service.hash(PASSWORD);
  calls.length = 0;
  return { service, encoded, calls };
}

const PASSWORD = "correct horse battery staple";

describe("PasswordService's queue", () => {
  it("refuses a check once the queue is full, and serves the waiting ones", async () => {
    const { service, encoded, calls } = await oneSlotService(1);
    const running = service.verify(PASSWORD, encoded);
    const waiting = service.verify("wrong password", encoded);
    expect(service.waiting).toBe(1);
    await expect(service.verify(PASSWORD, encoded)).rejects.toBeInstanceOf(HashingOverloadedError);
    await expect(running).resolves.toMatchObject({ valid: true });
    await expect(waiting).resolves.toMatchObject({ valid: false });
    expect(calls).toEqual(["verify", "verify"]);
    expect(service.waiting).toBe(0);
  });

  it("skips the hash of a waiting check whose caller has gone, and frees its slot", async () => {
    const { service, encoded, calls } = await oneSlotService(4);
    const running = service.verify(PASSWORD, encoded);
    const gone = new AbortController();
    const abandoned = service.verify(PASSWORD, encoded, gone.signal);
    const stillThere = service.verify(PASSWORD, encoded, new AbortController().signal);
    gone.abort();
    await expect(abandoned).rejects.toBeInstanceOf(CallerGoneError);
    await expect(running).resolves.toMatchObject({ valid: true });
    await expect(stillThere).resolves.toMatchObject({ valid: true });
    expect(calls).toEqual(["verify", "verify"]);
    // Nothing is left holding the slot: the next check runs.
    await expect(service.verify(PASSWORD, encoded)).resolves.toMatchObject({ valid: true });
    expect(service.waiting).toBe(0);
  });

  it("skips the dummy check of an unknown account the same way, and runs it for a caller still there", async () => {
    const { service, encoded, calls } = await oneSlotService(4);
    const running = service.verify(PASSWORD, encoded);
    const gone = new AbortController();
    const abandoned = service.dummyVerify(gone.signal);
    const stillThere = service.dummyVerify(new AbortController().signal);
    gone.abort();
    await expect(abandoned).rejects.toBeInstanceOf(CallerGoneError);
    await running;
    await stillThere;
    expect(calls).toEqual(["verify", "dummy"]);
  });
});
