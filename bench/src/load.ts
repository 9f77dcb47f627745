/**
 * One load test with autocannon, aimed only at 127.0.0.1 and bounded in time (and, for the rated
 * stream, in rate). Latencies are kept per response in full precision (autocannon's own histogram
 * rounds to whole milliseconds), and only for 2xx answers; everything else counts as an error.
 */
import autocannon from "autocannon";
import { percentile } from "./stats.ts";

export interface LoadRequest {
  method?: "GET" | "POST";
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface LoadOptions {
  /** Ports on 127.0.0.1; connections are spread over them evenly (one server process each). */
  ports: readonly number[];
  connections: number;
  durationSeconds: number;
  /** Requests each connection cycles through (built once). */
  requests?: readonly LoadRequest[];
  /** Builds every request afresh, e.g. a unique sign-up (used instead of `requests`). */
  dynamic?: () => LoadRequest;
  /** Caps the whole test at this many requests per second (a light, steady stream). */
  overallRate?: number;
}

export interface LoadResult {
  /** 2xx responses per second over the measured duration. */
  rps: number;
  ok: number;
  errors: number;
  /** Status codes other than 2xx, with counts. */
  statuses: Record<string, number>;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  max: number | null;
  seconds: number;
  /** Every 2xx answer's latency in ms, sorted: what lets segments of one workload be merged. */
  latencies: readonly number[];
}

interface AutocannonRequest {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  body?: string;
  setupRequest?: (request: AutocannonRequest) => AutocannonRequest;
}

type ResponseListener = (client: unknown, statusCode: number, bytes: number, ms: number) => void;

interface AutocannonInstance {
  on(event: "response", listener: ResponseListener): void;
  stop(): void;
}

type Run = (options: Record<string, unknown>, done: (error: unknown, result: unknown) => void) => AutocannonInstance;

/** A load test's figures from its counts and its 2xx latencies (sorted ascending). */
export function loadResult(
  counts: Pick<LoadResult, "ok" | "errors" | "statuses" | "seconds">,
  sortedLatencies: readonly number[],
): LoadResult {
  return {
    ...counts,
    rps: counts.seconds > 0 ? counts.ok / counts.seconds : 0,
    p50: percentile(sortedLatencies, 50),
    p90: percentile(sortedLatencies, 90),
    p99: percentile(sortedLatencies, 99),
    max: sortedLatencies.at(-1) ?? null,
    latencies: sortedLatencies,
  };
}

/** Runs one load test and resolves with what it measured. */
export function runLoad(options: LoadOptions): Promise<LoadResult> {
  const urls = options.ports.map((port) => `http://127.0.0.1:${port}`);
  const requests: AutocannonRequest[] = options.dynamic
    ? [{ path: "/", setupRequest: (base) => ({ ...base, ...toAutocannon(options.dynamic!()) }) }]
    : (options.requests ?? [{ path: "/" }]).map(toAutocannon);
  const latencies: number[] = [];
  let ok = 0;
  let errors = 0;
  const statuses: Record<string, number> = {};
  const started = performance.now();
  return new Promise((resolve, reject) => {
    // A hard stop in case autocannon's own timer does not fire: every test is bounded in time.
    const guard = setTimeout(() => instance.stop(), (options.durationSeconds + 30) * 1000);
    const instance = (autocannon as unknown as Run)(
      {
        url: urls.length === 1 ? urls[0] : urls,
        connections: Math.max(options.connections, urls.length),
        duration: options.durationSeconds,
        requests,
        ...(options.overallRate ? { overallRate: options.overallRate } : {}),
        timeout: 10,
        renderProgressBar: false,
        renderResultsTable: false,
        renderLatencyTable: false,
      },
      (error, result) => {
        clearTimeout(guard);
        if (error) {
          reject(error instanceof Error ? error : new Error(`autocannon failed: ${JSON.stringify(error)}`));
          return;
        }
        // Requests that got no answer at all: timeouts (10 s) and connection errors.
        const failed = result as { errors?: number; timeouts?: number };
        if (failed.timeouts) statuses.timeout = failed.timeouts;
        const connectionErrors = (failed.errors ?? 0) - (failed.timeouts ?? 0);
        if (connectionErrors > 0) statuses["connection error"] = connectionErrors;
        errors += failed.errors ?? 0;
        const seconds = (performance.now() - started) / 1000;
        latencies.sort((a, b) => a - b);
        resolve(loadResult({ ok, errors, statuses, seconds }, latencies));
      },
    );
    instance.on("response", (_client, statusCode, _bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300) {
        ok += 1;
        latencies.push(ms);
      } else {
        errors += 1;
        statuses[String(statusCode)] = (statuses[String(statusCode)] ?? 0) + 1;
      }
    });
  });
}

function toAutocannon(request: LoadRequest): AutocannonRequest {
  return {
    method: request.method ?? "GET",
    path: request.path,
    headers: request.headers ?? {},
    ...(request.body === undefined ? {} : { body: request.body }),
  };
}
