import { appRouter } from "@tsbin/api/router";

export type ProcedureType = "query" | "mutation" | "subscription";

export interface ProcedureInfo {
  /** Dotted path as sent in the URL, e.g. `auth.sessions.list`. */
  path: string;
  type: ProcedureType;
  /** The access builder it was declared with (`public`, `login`, `staff`, ...), from its meta. */
  access: string | undefined;
}

interface ProcedureDef {
  _def: { type: ProcedureType; meta?: { access?: string } };
}

/** Every procedure of the real router (`appRouter._def.procedures`), sorted by path. */
export function listProcedures(): ProcedureInfo[] {
  const record = appRouter._def.procedures as unknown as Record<string, ProcedureDef>;
  return Object.entries(record)
    .map(([path, procedure]) => ({ path, type: procedure._def.type, access: procedure._def.meta?.access }))
    .sort((a, b) => a.path.localeCompare(b.path));
}

/** Whether the router has a procedure at `path` (pending checks test that it still has not). */
export function hasProcedure(path: string): boolean {
  return listProcedures().some((procedure) => procedure.path === path);
}

/** Whether any procedure lives under `prefix` (e.g. "admin." or "profile."). */
export function hasProceduresUnder(prefix: string): boolean {
  return listProcedures().some((procedure) => procedure.path.startsWith(prefix));
}
