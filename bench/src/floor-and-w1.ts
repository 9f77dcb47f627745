/** W0 and W1: the bare and the SELECT floor, and `auth.me` measured beside the SELECT floor. */
import type { RunContext } from "./context.ts";
import { put, putBalance, putLoad } from "./figures.ts";
import { runLoad } from "./load.ts";
import { alternate, measure, settleServers } from "./measure.ts";
import { combineMeasured, type Measured } from "./measured.ts";
import { stop, type Started } from "./processes.ts";
import type { Figures } from "./report.ts";
import type { SeededUser } from "./database.ts";
import { expectOk } from "./requests.ts";
import { startApi, startFloor } from "./servers.ts";
import { ratio } from "./stats.ts";

/** The API with `procs` processes, once one `auth.me` with a seeded session has answered as expected. */
async function startCheckedApi(ctx: RunContext, procs: number): Promise<Started> {
  const api = await startApi(ctx.bench, procs, ctx.port, ctx.db);
  try {
    const first = ctx.users[0] as SeededUser;
    await expectOk(
      ctx.port,
      ctx.bench.requests.authMe([first])[0]!,
      (body) => body.includes('"isAuthenticated":true'),
      "auth.me",
    );
    return api;
  } catch (error) {
    await stop(api);
    throw error;
  }
}

/**
 * W0 and W1 with `procs` processes: the bare floor (with W0), then the SELECT floor and W1 (with
 * W1) interleaved, both servers up: `interleavedSegments` segments of W1, each between two of the
 * floor. Each side's figures are those of all its segments together. PGlite's data directory can be
 * open in one process only, so on PGlite the floor is measured first and W1 after it.
 */
export async function floorAndW1(
  runIndex: number,
  ctx: RunContext,
  procs: number,
  figures: Figures,
  notes: string[],
): Promise<void> {
  const { bench } = ctx;
  const { settings, workloads, log } = bench;
  const { authMe } = bench.requests;
  const floorPorts = [ctx.floorPort];
  const selectLoad = { ports: floorPorts, connections: settings.connections, requests: authMe(ctx.users, "/select") };
  const w1Load = { ports: [ctx.port], connections: settings.connections, requests: authMe(ctx.users) };
  const sideBySide = workloads.has("w1") && ctx.db.kind === "postgres";
  let floorAlone: Measured | null = null;
  const floor = await startFloor(bench, procs, ctx.floorPort, ctx.db);
  try {
    if (workloads.has("w0")) {
      log(`run ${runIndex}: W0 bare Hono, ${procs} process(es)`);
      const bare = await measure(bench, [floor], {
        ports: floorPorts,
        connections: settings.connections,
        durationSeconds: settings.seconds,
        requests: authMe(ctx.users, "/bare"),
      });
      putLoad(figures, `w0.bare.${procs}p`, bare);
    }
    if (!sideBySide) {
      log(`run ${runIndex}: W0 SELECT floor, ${procs} process(es)`);
      floorAlone = await measure(bench, [floor], { ...selectLoad, durationSeconds: settings.seconds });
      putLoad(figures, `w0.select.${procs}p`, floorAlone);
      putBalance(figures, `w0.select.${procs}p`, floorAlone, notes, runIndex);
    } else {
      const api = await startCheckedApi(ctx, procs);
      try {
        const segments = settings.interleavedSegments;
        log(
          `run ${runIndex}: W0 SELECT floor and W1 auth.me, ${procs} process(es), ` +
            `${segments} segment${segments === 1 ? "" : "s"} of W1 between ${segments + 1} of the floor, ${settings.segmentSeconds} s each, ` +
            `after ${settings.w1WarmupSeconds} s of warm-up each`,
        );
        await runLoad({ ...selectLoad, durationSeconds: settings.w1WarmupSeconds });
        await runLoad({ ...w1Load, durationSeconds: settings.w1WarmupSeconds });
        await settleServers(bench, [...floor.pids, ...api.pids]);
        const durationSeconds = settings.segmentSeconds;
        const {
          first: selectSegments,
          others: [w1Segments],
        } = await alternate(segments, () => measure(bench, [floor], { ...selectLoad, durationSeconds }, 0), [
          () => measure(bench, [api], { ...w1Load, durationSeconds }, 0),
        ]);
        const select = combineMeasured(selectSegments);
        putLoad(figures, `w0.select.${procs}p`, select);
        putBalance(figures, `w0.select.${procs}p`, select, notes, runIndex);
        putW1(figures, procs, combineMeasured(w1Segments ?? []), select, notes, runIndex);
      } finally {
        await stop(api);
      }
    }
  } finally {
    await stop(floor);
  }
  if (floorAlone === null || !workloads.has("w1")) return;
  notes.push(`run ${runIndex}: PGlite: the SELECT floor and W1 were measured one after the other, not interleaved.`);
  const api = await startCheckedApi(ctx, procs);
  try {
    log(`run ${runIndex}: W1 auth.me, ${procs} process(es)`);
    const w1 = await measure(bench, [api], { ...w1Load, durationSeconds: settings.seconds });
    putW1(figures, procs, w1, floorAlone, notes, runIndex);
  } finally {
    await stop(api);
  }
}

function putW1(
  figures: Figures,
  procs: number,
  w1: Measured,
  floor: Measured,
  notes: string[],
  runIndex: number,
): void {
  putLoad(figures, `w1.${procs}p`, w1);
  putBalance(figures, `w1.${procs}p`, w1, notes, runIndex);
  put(figures, `w1.${procs}p.ratio`, ratio(w1.load.rps, floor.load.rps));
}
