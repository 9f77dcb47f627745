/** W3 (`auth.me` during a login storm) and W4 (sign-ups), on the API that has just run W2. */
import type { RunContext } from "./context.ts";
import { put, putLoad, putLoadResult } from "./figures.ts";
import { runLoad } from "./load.ts";
import { loginStormLoad } from "./logins.ts";
import { measure, settleServers } from "./measure.ts";
import type { Measured } from "./measured.ts";
import { PeakMemory } from "./memory.ts";
import type { Started } from "./processes.ts";
import type { Figures } from "./report.ts";
import { expectOk } from "./requests.ts";

/** W3 and W4 on the API that has just run W2 (whose result goes into the error notes). */
export async function loginWorkloads(
  runIndex: number,
  ctx: RunContext,
  api: Started,
  w2: Measured,
  figures: Figures,
  notes: string[],
): Promise<void> {
  const { bench } = ctx;
  const { settings, log } = bench;
  const { authMe, signup } = bench.requests;
  const ports = [ctx.port];

  // W3: the same storm, plus a light auth.me stream started once the storm is under way.
  log(`run ${runIndex}: W3 auth.me stream (${settings.streamRate}/s) during a login storm`);
  const memory = new PeakMemory(api.pids);
  const storm = runLoad({ ...loginStormLoad(ctx, ports), durationSeconds: settings.loginSeconds + 1 });
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const stream = await runLoad({
    ports,
    connections: settings.streamConnections,
    durationSeconds: settings.loginSeconds,
    requests: authMe(ctx.users),
    overallRate: settings.streamRate,
  });
  const stormResult = await storm;
  putLoadResult(figures, "w3.stream", stream);
  put(figures, "w3.storm.rps", stormResult.rps);
  put(figures, "w3.storm.errors", stormResult.errors);
  put(figures, "w3.rssMb", memory.stop());
  await settleServers(bench, api.pids);

  // W4: sign-ups (hash + user + profile in one transaction, then a session).
  const tag = `${Date.now().toString(36)}${runIndex}`;
  await expectOk(ctx.port, signup(tag), (body) => body.includes('"isAuthenticated":true'), "sign-up");
  log(`run ${runIndex}: W4 sign-up`);
  const w4 = await measure(
    bench,
    [api],
    {
      ports,
      connections: settings.stormConnections,
      durationSeconds: settings.signupSeconds,
      dynamic: () => signup(tag),
    },
    1,
  );
  putLoad(figures, "w4", w4);
  for (const [name, result] of [
    ["W2", w2.load],
    ["W3 storm", stormResult],
    ["W3 stream", stream],
    ["W4", w4.load],
  ] as const) {
    if (result.errors > 0) {
      notes.push(`run ${runIndex}: ${name} had ${result.errors} non-2xx answers ${JSON.stringify(result.statuses)}`);
    }
  }
}
