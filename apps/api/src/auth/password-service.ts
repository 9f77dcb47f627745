import {
  createPasswordHasher,
  type PasswordHasher,
  type PasswordHasherOptions,
  type VerifyPasswordResult,
} from "@tsbin/auth-core/server";
import { availableParallelism } from "node:os";

/** Thrown when so many hashes are waiting that accepting more would only add latency. */
export class HashingOverloadedError extends Error {
  override readonly name = "HashingOverloadedError";
  constructor() {
    super("Too many password checks are waiting; try again in a moment.");
  }
}

export interface PasswordServiceOptions extends PasswordHasherOptions {
  /** Hashes running at once; defaults to the number of cores. */
  concurrency?: number;
  /** Hashes allowed to wait for a slot before new ones are refused. */
  maxQueue?: number;
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
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(options: PasswordServiceOptions = {}) {
    this.hasher = createPasswordHasher(options);
    this.#concurrency = options.concurrency ?? Math.max(1, availableParallelism());
    this.#maxQueue = options.maxQueue ?? 64 * this.#concurrency;
  }

  hash(password: string): Promise<string> {
    return this.#run(() => this.hasher.hash(password));
  }

  verify(password: string, encoded: string | null | undefined): Promise<VerifyPasswordResult> {
    return this.#run(() => this.hasher.verify(password, encoded));
  }

  dummyVerify(): Promise<void> {
    return this.#run(() => this.hasher.dummyVerify());
  }

  async #run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#concurrency) {
      if (this.#waiting.length >= this.#maxQueue) throw new HashingOverloadedError();
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    } else {
      this.#running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
