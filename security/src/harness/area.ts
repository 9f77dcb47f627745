import { afterAll } from "vitest";
import { openSql, type Sql } from "./database.ts";
import { Client, type ClientOptions } from "./http.ts";
import { ipPool, type Area, type IpPool } from "./ips.ts";
import { runInfo, type RunInfo } from "./run-info.ts";

export interface AreaContext {
  info: RunInfo;
  /** The run's database (seeding, assertions, moving time). */
  sql: Sql;
  ips: IpPool;
  /** A new browser-like client with a fresh source address. */
  client(options?: Partial<ClientOptions>): Client;
}

/** What every test file needs: the server, a SQL connection and its own range of source addresses. */
export function useArea(area: Area): AreaContext {
  const info = runInfo();
  if (info.dbKind !== "postgres") {
    throw new Error(`the security suite seeds and inspects PostgreSQL directly; this run has ${info.dbNote}`);
  }
  const sql = openSql(info.dbUrl);
  const ips = ipPool(area);
  const clients: Client[] = [];
  afterAll(async () => {
    for (const client of clients) client.close();
    await sql.end({ timeout: 5 });
  });
  return {
    info,
    sql,
    ips,
    client(options = {}) {
      const client = new Client({ ip: ips.next(), ...options });
      clients.push(client);
      return client;
    },
  };
}
