/**
 * Whether a call sets tRPC's own accept header or asks for a streamed (JSON lines) answer. The fast
 * paths leave such calls to tRPC's adapter, which answers or refuses them itself.
 */
export function asksForStream(trpcAccept: string | undefined, accept: string | undefined): boolean {
  if (trpcAccept !== undefined) return true;
  return accept !== undefined && accept.split(",").some((type) => type.trim() === "application/jsonl");
}
