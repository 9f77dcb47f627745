/**
 * A piece of SQL that another statement carries (as a CTE or a subquery), to share that statement's
 * round trip and commit: the login's account lookup, the rate limits' refund. Its parameters are
 * numbered from `first`, which the carrying statement chooses.
 */
export interface SqlFragment {
  sql(first: number): string;
  readonly params: readonly unknown[];
}
