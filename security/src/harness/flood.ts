import { spawn } from "node:child_process";

/**
 * A separate process that keeps `ips.length` connections busy POSTing `bytes`-sized login bodies with
 * chunked encoding (the server must read up to its limit before it can refuse), each connection at
 * most `perSecond` times a second, for `durationMs`. Running it outside the test process keeps the
 * probe's own event loop out of the measurement. Resolves with the count of each status (-1: error).
 */
export function floodLogins(options: {
  port: number;
  ips: readonly string[];
  bytes: number;
  perSecond: number;
  durationMs: number;
}): Promise<Record<string, number>> {
  const script = `
const net = require("node:net");
const { PORT, IPS, BYTES, PER_SECOND, DURATION_MS } = process.env;
const until = Date.now() + Number(DURATION_MS);
const counts = {};
const chunk = Buffer.alloc(64 * 1024, 120);
function once(ip) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: "127.0.0.1", port: Number(PORT), localAddress: ip });
    let head = "";
    let answered = false;
    const done = (status) => { if (head === null) return; head = null; counts[status] = (counts[status] || 0) + 1; socket.destroy(); resolve(); };
    socket.on("data", (d) => { answered = true; const m = /^HTTP\\/1\\.1 (\\d{3})/.exec(d.toString("latin1")); done(m ? m[1] : "-1"); });
    socket.on("error", () => done(answered ? "-1" : "-1"));
    socket.on("close", () => done("-1"));
    socket.on("connect", async () => {
      socket.write("POST /trpc/auth.login HTTP/1.1\\r\\nHost: 127.0.0.1:" + PORT + "\\r\\nContent-Type: application/json\\r\\nTransfer-Encoding: chunked\\r\\nConnection: close\\r\\n\\r\\n");
      const prefix = Buffer.from('{"json":{"username":"flood","password":"');
      socket.write(prefix.length.toString(16) + "\\r\\n"); socket.write(prefix); socket.write("\\r\\n");
      let sent = prefix.length;
      while (sent < Number(BYTES) && !answered && !socket.destroyed) {
        const ok = socket.write(chunk.length.toString(16) + "\\r\\n") && socket.write(chunk) && socket.write("\\r\\n");
        sent += chunk.length;
        if (!ok) await new Promise((r) => socket.once("drain", r));
      }
      if (!answered && !socket.destroyed) socket.write('3\\r\\n"}}\\r\\n0\\r\\n\\r\\n');
    });
  });
}
async function loop(ip, index, count) {
  // Staggered starts: a sustained flood, not twenty bursts in step.
  await new Promise((r) => setTimeout(r, (index * 1000) / Number(PER_SECOND) / count));
  while (Date.now() < until) {
    const started = Date.now();
    await once(ip);
    const wait = 1000 / Number(PER_SECOND) - (Date.now() - started);
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
}
const ips = IPS.split(",");
Promise.all(ips.map((ip, index) => loop(ip, index, ips.length))).then(() => process.stdout.write(JSON.stringify(counts)));
`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["-e", script], {
      env: {
        PORT: String(options.port),
        IPS: options.ips.join(","),
        BYTES: String(options.bytes),
        PER_SECOND: String(options.perSecond),
        DURATION_MS: String(options.durationMs),
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (data: Buffer) => (output += data.toString("utf8")));
    child.on("error", reject);
    child.on("exit", () => {
      try {
        resolve(JSON.parse(output) as Record<string, number>);
      } catch {
        reject(new Error(`flood process printed ${output.slice(0, 200)}`));
      }
    });
  });
}
