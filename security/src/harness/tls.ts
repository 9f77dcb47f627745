import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import http from "node:http";
import https from "node:https";
import path from "node:path";
import { freePort, startTsbin, type TsbinProcess } from "./server-process.ts";

export interface HttpsSite {
  /** https://127.0.0.1:<port>, what the browser and the client talk to. */
  baseUrl: string;
  server: TsbinProcess;
  close(): Promise<void>;
}

/**
 * "HTTPS mode" of catalogue section 0: a second tsbin on the same database with PUBLIC_URL=https://…,
 * behind a TLS-terminating proxy with a throwaway self-signed certificate.
 */
export async function startHttpsSite(runDir: string, databaseUrl: string): Promise<HttpsSite> {
  const keyFile = path.join(runDir, "tls-key.pem");
  const certFile = path.join(runDir, "tls-cert.pem");
  execFileSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "1",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=IP:127.0.0.1",
      "-keyout",
      keyFile,
      "-out",
      certFile,
    ],
    { stdio: "ignore" },
  );
  const tlsPort = await freePort();
  const baseUrl = `https://127.0.0.1:${tlsPort}`;
  const server = await startTsbin({ name: "https", runDir, databaseUrl, env: { PUBLIC_URL: baseUrl } });
  const proxy = https.createServer({ key: readFileSync(keyFile), cert: readFileSync(certFile) }, (req, res) => {
    const upstream = http.request(
      { host: "127.0.0.1", port: server.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => {
      res.writeHead(502);
      res.end();
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => proxy.listen(tlsPort, "127.0.0.1", () => resolve()));
  return {
    baseUrl,
    server,
    async close() {
      await new Promise<void>((resolve) => proxy.close(() => resolve()));
      proxy.closeAllConnections();
      await server.stop();
    },
  };
}
