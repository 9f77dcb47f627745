import {
  createPasswordHasher,
  type PasswordHasher,
  type PasswordHasherOptions,
  type VerifyPasswordResult,
} from "@tsbin/auth-core/server";
import { readdirSync } from "node:fs";
import { availableParallelism, getPriority, setPriority } from "node:os";

/** Thrown when so many hashes are waiting that accepting more would only add latency. */
export class HashingOverloadedError extends Error {
  override readonly name = "HashingOverloadedError";
  constructor() {
    super("Too many password checks are waiting; try again in a moment.");
  }
}

/**
 * Thrown instead of hashing for a caller who has gone: a login that waited in the queue while its
 * client closed the connection. Nobody is left to answer, so the hash would be CPU taken from the
 * callers still waiting (during a storm, clients that give up and retry would otherwise be hashed
 * twice). The attempt was already counted against its rate-limit budgets, and no answer, fast or
 * slow, reaches anyone: nothing is learnt from it.
 */
export class CallerGoneError extends Error {
  override readonly name = "CallerGoneError";
  constructor() {
    super("The client closed the connection before its password was checked.");
  }
}

export interface PasswordServiceOptions extends PasswordHasherOptions {
  /** Hashes running at once; defaults to the number of cores. */
  concurrency?: number;
  /** Hashes allowed to wait for a slot before new ones are refused. */
  maxQueue?: number;
  /**
   * How much lower than the event loop's the helper threads' scheduling priority is made once hashing
   * starts (nice levels, Linux only; see {@link lowerHelperThreadPriority}); 0 leaves them alone. Default 10.
   */
  helperThreadNiceness?: number;
  /** The hasher to queue for, instead of one built from these options (tests hold its calls). */
  hasher?: PasswordHasher;
}

/**
 * Lowers the scheduling priority (raises the nice value by `niceness`) of every thread of this
 * process but the main one: libuv's pool, where hashing runs, and V8's helper threads. Argon2 keeps
 * every core busy during a login storm; at equal priority the event loop, and PostgreSQL, queue for
 * CPU behind it and every other request slows down. Niced, they pre-empt hashing, which still gets
 * all the CPU left over. Linux only (a thread's nice value is set through its id); elsewhere, and
 * for any thread that cannot be changed, nothing happens.
 */
export function lowerHelperThreadPriority(niceness: number): void {
  if (process.platform !== "linux" || niceness <= 0) return;
  let threads: string[];
  try {
    threads = readdirSync("/proc/self/task");
  } catch {
    return;
  }
  const target = Math.min(19, getPriority() + niceness);
  for (const entry of threads) {
    const tid = Number(entry);
    if (tid === process.pid) continue;
    try {
      if (getPriority(tid) < target) setPriority(tid, target);
    } catch {
      // the thread ended meanwhile, or may not be changed
    }
  }
}

/**
 * The configured hasher behind a small semaphore. Hashing runs on libuv's thread pool; capping it
 * at the core count leaves pool threads free for everything else (DNS, file I/O), and a bounded
 * queue sheds a login storm with an error instead of letting latency grow without limit.
 */
export class PasswordService {
  readonly hasher: PasswordHasher;
  readonly #concurrency: number;
  readonly #maxQueue: number;
  readonly #helperThreadNiceness: number;
  #helpersLowered = false;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(options: PasswordServiceOptions = {}) {
    this.hasher = options.hasher ?? createPasswordHasher(options);
    this.#concurrency = options.concurrency ?? Math.max(1, availableParallelism());
    this.#maxQueue = options.maxQueue ?? 64 * this.#concurrency;
    this.#helperThreadNiceness = options.helperThreadNiceness ?? 10;
  }

  hash(password: string): Promise<string> {
    return this.#run(() => this.hasher.hash(password));
  }

  /** With `signal`: skipped, with {@link CallerGoneError}, if it is aborted before the hash starts. */
  verify(password: string, encoded: string | null | undefined, signal?: AbortSignal): Promise<VerifyPasswordResult> {
    return this.#run(() => this.hasher.verify(password, encoded), signal);
  }

  /** The same work as a verification, for an account that does not exist; `signal` as for {@link verify}. */
  dummyVerify(signal?: AbortSignal): Promise<void> {
    return this.#run(() => this.hasher.dummyVerify(), signal);
  }

  /** Hashes waiting for a slot. */
  get waiting(): number {
    return this.#waiting.length;
  }

  async #run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    if (this.#running >= this.#concurrency) {
      if (this.#waiting.length >= this.#maxQueue) throw new HashingOverloadedError();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      if (signal?.aborted) throw new CallerGoneError();
      const result = work();
      if (!this.#helpersLowered) {
        // Now, not at start-up: queuing the first hash is what makes libuv start its pool threads.
        this.#helpersLowered = true;
        lowerHelperThreadPriority(this.#helperThreadNiceness);
      }
      return await result;
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
