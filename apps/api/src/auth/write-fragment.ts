/**
 * A data-modifying statement written so that another statement can carry it as a CTE
 * (`with part as (<sql>) ...`), to share that statement's round trip and commit. Its parameters
 * are numbered from `first`, which the carrying statement chooses.
 */
export interface WriteFragment {
  sql(first: number): string;
  readonly params: readonly unknown[];
}
