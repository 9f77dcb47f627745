/** The requests of the workloads, and the check that a server answers one as expected before it is measured. */
import { PASSWORD, USER_PREFIX, type SeededUser } from "./database.ts";
import type { LoadRequest } from "./load.ts";

export interface Requests {
  /** `auth.me` (or a floor's `pathname`) with each user's session cookie. */
  authMe: (users: readonly SeededUser[], pathname?: string) => LoadRequest[];
  /** `auth.login` (or the login floor's `pathname`) with each user's credentials. */
  logins: (users: readonly SeededUser[], pathname?: string) => LoadRequest[];
  /** `auth.signup` of a new user, named after `runTag` and a counter. */
  signup: (runTag: string) => LoadRequest;
}

/**
 * The workloads' requests. Unless `sameIp`, simulated user `i` comes from an address of its own (sent
 * as X-Forwarded-For, with TRUST_PROXY=true, as behind a load balancer): a storm of real users logging
 * in, rather than one address hammering its own per-IP rate-limit rows.
 */
export function workloadRequests(sameIp: boolean): Requests {
  const clientHeaders = (i: number): Record<string, string> =>
    sameIp ? {} : { "x-forwarded-for": `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}` };
  let signupCounter = 0;
  return {
    authMe: (users, pathname = "/trpc/auth.me") =>
      users.map((u, i) => ({
        path: pathname,
        headers: { cookie: `session=${u.sessionToken}`, ...clientHeaders(i) },
      })),
    logins: (users, pathname = "/trpc/auth.login") =>
      users.map((u, i) => ({
        method: "POST",
        path: pathname,
        headers: { "content-type": "application/json", ...clientHeaders(i) },
        body: JSON.stringify({ json: { username: u.username, password: PASSWORD } }),
      })),
    signup: (runTag) => {
      signupCounter += 1;
      const username = `${USER_PREFIX}su_${runTag}_${signupCounter}`;
      return {
        method: "POST",
        path: "/trpc/auth.signup",
        headers: { "content-type": "application/json", ...clientHeaders(signupCounter) },
        body: JSON.stringify({ json: { username, email: `${username}@example.com`, password: PASSWORD } }),
      };
    },
  };
}

/** One request, checked, before a workload: a benchmark of error pages would be worthless. */
export async function expectOk(
  port: number,
  request: LoadRequest,
  check: (body: string) => boolean,
  what: string,
): Promise<void> {
  const response = await fetch(`http://127.0.0.1:${port}${request.path}`, {
    method: request.method ?? "GET",
    headers: request.headers,
    body: request.body,
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (!response.ok || !check(body))
    throw new Error(`${what}: unexpected answer ${response.status} ${body.slice(0, 300)}`);
}
