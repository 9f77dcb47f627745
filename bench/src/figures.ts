/** Writing what a load test measured into a run's figures, under the keys the report reads. */
import type { LoadResult } from "./load.ts";
import type { Measured } from "./measured.ts";
import type { Figures } from "./report.ts";

/** Sets `key`, or null when the value is missing or not finite. */
export function put(figures: Figures, key: string, value: number | null | undefined): void {
  figures[key] = value === undefined || value === null || !Number.isFinite(value) ? null : value;
}

/** What the load generator saw: requests/s, latencies and non-2xx answers. */
export function putLoadResult(figures: Figures, key: string, load: LoadResult): void {
  put(figures, `${key}.rps`, load.rps);
  put(figures, `${key}.p50`, load.p50);
  put(figures, `${key}.p99`, load.p99);
  put(figures, `${key}.errors`, load.errors);
}

/** {@link putLoadResult}, and what the servers spent on it. */
export function putLoad(figures: Figures, key: string, m: Measured): void {
  putLoadResult(figures, key, m.load);
  put(figures, `${key}.rssMb`, m.rssMb);
  put(figures, `${key}.cpuUsPerReq`, m.cpuUsPerRequest);
  put(figures, `${key}.mainCpuUsPerReq`, m.mainCpuUsPerRequest);
  put(figures, `${key}.pgCpuUsPerReq`, m.pgCpuUsPerRequest);
  put(figures, `${key}.machineCpuUsPerReq`, m.machineCpuUsPerRequest);
  put(figures, `${key}.machineKernelUsPerReq`, m.machineKernelUsPerRequest);
  put(figures, `${key}.busy`, m.machineBusyShare);
}

export function putBalance(figures: Figures, key: string, m: Measured, notes: string[], runIndex: number): void {
  put(figures, `${key}.balance`, m.balance);
  if (m.balance !== null && m.balance < 0.5) {
    notes.push(`run ${runIndex}: ${key}: the workers did uneven work (least ÷ most CPU = ${m.balance.toFixed(2)})`);
  }
}
