/** Walks an error and its causes (Drizzle wraps driver errors) for a PostgreSQL error field. */
function findPgField(error: unknown, read: (e: Record<string, unknown>) => unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; current && typeof current === "object" && depth < 5; depth += 1) {
    const value = read(current as Record<string, unknown>);
    if (value !== undefined) return value;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The SQLSTATE of a database error, if it is one. */
export function pgErrorCode(error: unknown): string | undefined {
  const code = findPgField(error, (e) =>
    typeof e["code"] === "string" && /^[0-9A-Z]{5}$/.test(e["code"]) ? e["code"] : undefined,
  );
  return typeof code === "string" ? code : undefined;
}

/** For a unique violation (23505): the name of the violated constraint or index. */
export function uniqueViolationConstraint(error: unknown): string | undefined {
  if (pgErrorCode(error) !== "23505") return undefined;
  // postgres.js names it constraint_name; PGlite, constraint.
  const name = findPgField(error, (e) => e["constraint_name"] ?? e["constraint"]);
  return typeof name === "string" ? name : "";
}

const UNAVAILABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "CONNECT_TIMEOUT",
  "CONNECTION_CLOSED",
  "CONNECTION_ENDED",
  "CONNECTION_DESTROYED",
]);

/**
 * Whether the error means the database is unreachable or overloaded, rather than the query being
 * wrong: connection failures (08…), server shutdown or a dropped database (57P01–57P04), statement
 * timeout or lock timeout (57014, 55P03), too many connections (53300), and a database or login that
 * a new connection no longer finds (3D000, 28000, 28P01).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const code = findPgField(error, (e) => (typeof e["code"] === "string" ? e["code"] : undefined));
  if (typeof code !== "string") return false;
  return UNAVAILABLE_CODES.has(code) || /^(57P0[1-4]|57014|55P03|53300|08...|3D000|28000|28P01)$/.test(code);
}

/** Tries of a statement that PostgreSQL cancels to break a deadlock. */
const DEADLOCK_ATTEMPTS = 3;

/**
 * Runs a single statement again when PostgreSQL cancelled it to break a deadlock (40P01): the
 * statement then changed nothing, so running it again is safe. Other errors pass through.
 */
export async function retryOnDeadlock<T>(statement: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await statement();
    } catch (error) {
      if (attempt >= DEADLOCK_ATTEMPTS || pgErrorCode(error) !== "40P01") throw error;
    }
  }
}
