import { describe, expect, it } from "vitest";
import { API_NODE_FLAGS } from "./config.ts";
import { apiCommand, explainLoginRatio, explainW1Latency, loginServersMethod, settleMethod } from "./report.ts";

function medians(figures: Record<string, number>): (key: string) => number | null {
  return (key) => figures[key] ?? null;
}

describe("explainLoginRatio", () => {
  it("splits the W2 ratio into what a login costs beyond its hash and how busy the cores were", () => {
    const reason = explainLoginRatio(
      medians({
        "w0.login.ratio": 0.85,
        "w2.floorRatio": 0.87,
        "hash.raw.machineCpuUs": 12_000,
        "hash.raw.busy": 0.9,
        "w0.login.machineCpuUsPerReq": 13_800,
        "w2.machineCpuUsPerReq": 16_800,
        "hash.raw.machineKernelUs": 2_500,
        "w2.machineKernelUsPerReq": 3_100,
        "w2.busy": 0.95,
      }),
    );
    expect(reason).toContain(
      "the login floor (one SELECT, one hash, one INSERT) reaches 85.0 % here; W2 = 87.0 % of it",
    );
    expect(reason).toContain(
      "a W2 login took 1.40× the machine CPU of one raw verify (16,800 against 12,000 µs, " +
        "of which the kernel's 3,100 against 2,500 µs; the login floor 1.15×)",
    );
    expect(reason).toContain("with the cores 95 % busy against 90 %");
    // 12,000 µs × (0.95 ÷ 0.9) ÷ 0.95: the CPU per login at which W2 would reach 95 % at these busy shares.
    expect(reason).toContain("95 % allows at most 13,333 µs per login");
  });

  it("keeps to what was measured", () => {
    expect(explainLoginRatio(medians({ "w0.login.ratio": 0.8, "w2.floorRatio": 0.9 }))).toBe(
      "the login floor (one SELECT, one hash, one INSERT) reaches 80.0 % here; W2 = 90.0 % of it",
    );
    expect(explainLoginRatio(medians({}))).toBeNull();
    // Runs saved before the kernel's part was measured have no such figures.
    expect(
      explainLoginRatio(
        medians({ "hash.raw.machineCpuUs": 10_000, "hash.raw.busy": 1, "w2.machineCpuUsPerReq": 12_000, "w2.busy": 1 }),
      ),
    ).toBe(
      "a W2 login took 1.20× the machine CPU of one raw verify (12,000 against 10,000 µs), " +
        "with the cores 100 % busy against 100 %; 95 % allows at most 10,526 µs per login",
    );
    expect(explainLoginRatio(medians({ "w0.login.ratio": 0.8 }))).toBe(
      "the login floor (one SELECT, one hash, one INSERT) reaches 80.0 % here",
    );
  });
});

describe("explainW1Latency", () => {
  it("puts the SELECT floor's own p99 at the same process count beside W1's", () => {
    const m = medians({ "w0.select.1p.p99": 23.2, "w0.select.2p.p99": 33.6, "w1.1p.p99": 19.8, "w1.2p.p99": 25.2 });
    expect(explainW1Latency(m, 2)).toBe("the SELECT floor's own p99 here: 33.6 ms");
    expect(explainW1Latency(m, 1)).toBe("the SELECT floor's own p99 here: 23.2 ms");
  });

  it("says nothing when the floor was not measured", () => {
    expect(explainW1Latency(medians({ "w1.1p.p99": 19.8 }), 1)).toBeNull();
  });

  it("leaves a W1 p99 that was not measured to say so itself", () => {
    expect(explainW1Latency(medians({ "w0.select.1p.p99": 23.2 }), 1)).toBeNull();
  });
});

describe("apiCommand", () => {
  const entry = "apps/api/dist/index.js";

  it("shows the API started with pnpm start's flags", () => {
    const text = apiCommand({ apiEntry: entry, apiNodeFlags: [...API_NODE_FLAGS] });
    expect(text).toContain(`\`node ${API_NODE_FLAGS.join(" ")} ${entry}\``);
    expect(text).not.toContain("--node-flags");
  });

  it("says when --node-flags added a flag", () => {
    const text = apiCommand({ apiEntry: entry, apiNodeFlags: [...API_NODE_FLAGS, "--trace-gc"] });
    expect(text).toContain("--trace-gc apps/api/dist/index.js");
    expect(text).toContain("with extra flags given by `--node-flags`");
  });

  it("does not invent flags for results that did not record them", () => {
    const text = apiCommand({ apiEntry: entry });
    expect(text).toContain(`\`node ${entry}\``);
    expect(text).toContain("not recorded");
  });
});

describe("settleMethod", () => {
  it("says that each load test waited for the servers to go quiet, for results that did", () => {
    expect(settleMethod({ settledLoads: true })).toContain("no segment pays for the one before");
  });

  it("claims no such wait for results from before it", () => {
    expect(settleMethod({})).toBe("");
  });
});

describe("loginServersMethod", () => {
  it("says how long the login servers were warmed, for results that record it", () => {
    const text = loginServersMethod({ loginWarmupSeconds: 10 });
    expect(text).toContain("start once, before the first run, and serve every run");
    expect(text).toContain("10 s of logins");
  });

  it("claims no such warm-up for results from before it", () => {
    expect(loginServersMethod({ warmupSeconds: 2 })).toBe("");
  });
});
