/**
 * Distinct loopback source addresses per test area. Linux routes all of 127.0.0.0/8 to `lo`, so
 * `localAddress: "127.A.B.C"` gives every simulated client an IP of its own, with no trusted header.
 * Each area owns 127.<area>.0.0/16, so rate-limit buckets of one file never touch another's.
 */
export const AREAS = {
  authn: 10,
  session: 11,
  csrf: 12,
  access: 13,
  reset: 14,
  enumeration: 15,
  ratelimit: 16,
  input: 17,
  concurrency: 18,
  faults: 19,
  hygiene: 20,
  pending: 21,
} as const;

export type Area = keyof typeof AREAS;

export interface IpPool {
  /** A source address no one in this run has used yet. */
  next(): string;
  /** `count` fresh addresses. */
  take(count: number): string[];
}

export function ipPool(area: Area): IpPool {
  let counter = 0;
  const octet = AREAS[area];
  const next = (): string => {
    const n = counter;
    counter += 1;
    if (n >= 250 * 250) throw new Error(`ran out of source addresses for ${area}`);
    return `127.${octet}.${Math.floor(n / 250)}.${(n % 250) + 1}`;
  };
  return { next, take: (count) => Array.from({ length: count }, next) };
}
