import type { Logger } from "./logger.ts";

/** How long in-flight requests may go on after the first SIGINT/SIGTERM before their connections are closed. */
export const SHUTDOWN_GRACE_MS = 10_000;

/** The exit code of a process stopped at once by a second signal: what a shell reports for a process killed by it. */
const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

export type StopSignal = keyof typeof SIGNAL_EXIT_CODES;

/** What the cluster's primary sends its workers, which the terminal's own signals may or may not reach. */
export const STOP_MESSAGE = "tsbin:stop";
export const STOP_NOW_MESSAGE = "tsbin:stop-now";

/**
 * Calls `stop` on the first SIGINT or SIGTERM, and exits at once on the next one: someone who asks
 * twice does not want to wait for a slow client. `beforeExit` runs first (the primary tells its
 * workers); the exit hooks still remove the embedded database's lock file.
 */
export function onStopSignals(
  logger: Logger,
  stop: (signal: StopSignal) => void,
  beforeExit: (signal: StopSignal) => void = () => undefined,
): void {
  let signalled = false;
  const handle = (signal: StopSignal): void => {
    if (!signalled) {
      signalled = true;
      stop(signal);
      return;
    }
    logger.warn({ signal }, "stopping at once");
    beforeExit(signal);
    exitAtOnce(signal);
  };
  process.on("SIGINT", () => handle("SIGINT"));
  process.on("SIGTERM", () => handle("SIGTERM"));
}

export function exitAtOnce(signal: StopSignal): never {
  process.exit(SIGNAL_EXIT_CODES[signal]);
}
