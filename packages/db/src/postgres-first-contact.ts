import type postgres from "postgres";

/** The PostgreSQL server did not answer in time; the message says where and how long was waited. */
export class DatabaseUnreachableError extends Error {
  override readonly name = "DatabaseUnreachableError";
}

/**
 * Runs a first `select 1` on a fresh postgres.js client, failing within `timeoutSeconds`. The
 * driver's `connect_timeout` alone is not enough: it restarts with every connection attempt, and
 * against a host that accepts connections and closes them without a word (a firewall, a proxy with
 * nothing behind it) the driver reconnects at once, forever, so the query never settles. On the
 * deadline the client is ended, which stops those attempts.
 */
export async function reachPostgres(client: postgres.Sql, url: string, timeoutSeconds: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((resolve) => {
    timer = setTimeout(() => resolve("late"), timeoutSeconds * 1000);
  });
  // The query is abandoned on the deadline; race() has handled its later rejection.
  const answer = client`select 1`.then(() => "answered" as const);
  try {
    const outcome = await Promise.race([answer, deadline]);
    if (outcome === "late") {
      await client.end({ timeout: 0 });
      throw unreachable(url, timeoutSeconds);
    }
  } catch (error) {
    // A dropped SYN ends in the driver's own timeout, worded "write CONNECT_TIMEOUT host:port".
    if ((error as { code?: unknown }).code === "CONNECT_TIMEOUT") throw unreachable(url, timeoutSeconds);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

function unreachable(url: string, timeoutSeconds: number): DatabaseUnreachableError {
  // The host only: the URL may hold a password.
  let host = "the server";
  try {
    host = new URL(url).host || host;
  } catch {
    // An unparsable URL fails earlier, in the driver; the generic word will do.
  }
  return new DatabaseUnreachableError(`could not reach ${host} within ${timeoutSeconds} s (no answer from PostgreSQL)`);
}
