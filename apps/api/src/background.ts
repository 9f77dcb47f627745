import type { Logger } from "./logger.ts";

/** What a failed background task logs: the error's class and codes, never its message. */
export interface ErrorSummary {
  type: string;
  /** The first string `code` along the error and its causes (a SQLSTATE, `CONNECTION_CLOSED`...). */
  code?: string;
}

/**
 * The loggable part of an error. Messages are left out on purpose: a driver error quotes the
 * failed statement and its parameters (addresses, token ids and hashes), which must not reach logs.
 */
export function summarizeError(error: unknown): ErrorSummary {
  const type = error instanceof Error ? error.name : typeof error;
  let current: unknown = error;
  for (let depth = 0; current !== null && typeof current === "object" && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && code.length <= 40) return { type, code };
    current = (current as { cause?: unknown }).cause;
  }
  return { type };
}

/**
 * Work that runs after the answer has gone out, so that neither its duration nor its failure shows
 * in the response (a password reset must look the same for a known and an unknown address).
 */
export class BackgroundTasks {
  readonly #pending = new Set<Promise<void>>();
  readonly #logger: Logger;

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /**
   * Starts `task` on a later turn of the event loop. A failure is passed to `onError`, or logged
   * as `background task failed` with `summarizeError` (no message, no parameters) by default.
   */
  run(what: string, task: () => Promise<unknown>, onError?: (error: unknown) => void): void {
    const report =
      onError ??
      ((error: unknown): void => {
        this.#logger.error({ task: what, error: summarizeError(error) }, "background task failed");
      });
    const settled = new Promise<void>((resolve) => setImmediate(resolve)).then(task).then(
      () => undefined,
      (error: unknown) => {
        try {
          report(error);
        } catch {
          // A failing logger must not turn into an unhandled rejection.
        }
      },
    );
    this.#pending.add(settled);
    void settled.then(() => this.#pending.delete(settled));
  }

  /** How many tasks have not settled yet. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Resolves once every task, including those started by tasks meanwhile, has settled. */
  async settled(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all(this.#pending);
  }

  /** `settled()`, giving up after `ms` (at shutdown): whether everything settled in time. */
  async settledWithin(ms: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    });
    try {
      return await Promise.race([this.settled().then(() => true), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}
