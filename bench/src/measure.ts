/** Measuring load tests: one test with the servers' CPU and memory, the wait after it, and alternating segments. */
import type { BenchContext } from "./context.ts";
import { cpuMs, machineCpu, machineUse, mainThreadCpuMs, postgresCpuMs } from "./cpu.ts";
import { runLoad } from "./load.ts";
import type { Measured } from "./measured.ts";
import { PeakMemory } from "./memory.ts";
import type { Started } from "./processes.ts";
import { settle } from "./settle.ts";

/** Warms up, then measures one load test while sampling the servers' memory and CPU. */
export async function measure(
  bench: BenchContext,
  servers: readonly Started[],
  options: Parameters<typeof runLoad>[0],
  warmupSeconds = bench.settings.warmupSeconds,
): Promise<Measured> {
  const pids = servers.flatMap((s) => s.pids);
  if (warmupSeconds > 0) {
    await runLoad({ ...options, durationSeconds: warmupSeconds });
    await settleServers(bench, pids);
  }
  const memory = new PeakMemory(pids);
  const cpuBefore = pids.map(cpuMs);
  const mainBefore = pids.map(mainThreadCpuMs);
  const pgBefore = bench.localPostgres ? postgresCpuMs() : null;
  const machineBefore = machineCpu();
  const load = await runLoad(options);
  const machine = machineUse(machineBefore, machineCpu(), load.ok);
  const cpuAfter = pids.map(cpuMs);
  const mainAfter = pids.map(mainThreadCpuMs);
  const pgUsed = pgBefore === null ? null : postgresCpuMs() - pgBefore;
  const rssMb = memory.stop();
  const used = pids.map((_, i) => (cpuAfter[i] ?? 0) - (cpuBefore[i] ?? 0));
  const cpuUsed = used.reduce((sum, ms) => sum + ms, 0);
  // With node:cluster, the workers (all pids but the primary) should share the load.
  const workerCpu = servers.flatMap((s) => s.pids.slice(1).map((pid) => used[pids.indexOf(pid)] ?? 0));
  const balance = workerCpu.length > 1 ? Math.min(...workerCpu) / Math.max(1, ...workerCpu) : null;
  const mainUsed = pids.reduce((sum, _, i) => sum + (mainAfter[i] ?? 0) - (mainBefore[i] ?? 0), 0);
  const perRequest = (ms: number | null) => (ms === null || load.ok === 0 ? null : (ms * 1000) / load.ok);
  // After the figures: what the servers still do for abandoned requests belongs to no measured answer.
  await settleServers(bench, pids);
  return {
    load,
    rssMb,
    cpuUsPerRequest: perRequest(cpuUsed),
    mainCpuUsPerRequest: perRequest(mainUsed),
    pgCpuUsPerRequest: perRequest(pgUsed),
    balance,
    machineCpuUsPerRequest: machine.cpuUsPerUnit,
    machineKernelUsPerRequest: machine.kernelUsPerUnit,
    machineBusyShare: machine.busyShare,
  };
}

/** Lets the servers work off the requests a finished load test abandoned, before anything else is measured. */
export async function settleServers(bench: BenchContext, pids: readonly number[]): Promise<void> {
  const { quiet, waitedMs } = await settle(() => pids.reduce((sum, pid) => sum + (cpuMs(pid) ?? 0), 0));
  if (!quiet) bench.log(`the servers were still busy ${Math.round(waitedMs)} ms after a load test; measuring on`);
}

/**
 * Alternating segments of several workloads: `first`, then each of `others`, `segments` times over,
 * and `first` once more at the end, so that it brackets every round. Returns each side's segments.
 */
export async function alternate<First, Other>(
  segments: number,
  first: () => Promise<First>,
  others: readonly (() => Promise<Other>)[],
): Promise<{ first: First[]; others: Other[][] }> {
  const firstSegments: First[] = [];
  const otherSegments: Other[][] = others.map(() => []);
  for (let i = 0; i < segments; i++) {
    firstSegments.push(await first());
    for (const [side, other] of others.entries()) otherSegments[side]?.push(await other());
  }
  firstSegments.push(await first());
  return { first: firstSegments, others: otherSegments };
}
