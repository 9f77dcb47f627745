import type { DbHandle } from "./client.ts";

/** A driver- and version-neutral description of the public schema, for comparing databases. */
export interface SchemaDescription {
  columns: string[];
  constraints: string[];
  indexes: string[];
}

/** Reads tables, columns, constraints and indexes of the `public` schema, sorted. */
export async function describeSchema(handle: Pick<DbHandle, "query">): Promise<SchemaDescription> {
  const columns = await handle.query<{ line: string }>(
    `select table_name || '.' || column_name || ' ' || data_type
        || coalesce('(' || character_maximum_length || ')', '')
        || case when is_nullable = 'NO' then ' not null' else '' end
        || coalesce(' default ' || column_default, '')
        || case when is_identity = 'YES' then ' identity' else '' end as line
       from information_schema.columns where table_schema = 'public'`,
  );
  const constraints = await handle.query<{ line: string }>(
    `select c.conrelid::regclass::text || ' ' || c.conname || ' ' || pg_get_constraintdef(c.oid) as line
       from pg_constraint c join pg_namespace n on n.oid = c.connamespace
      where n.nspname = 'public' and c.contype <> 'n'`,
  );
  const indexes = await handle.query<{ line: string }>(
    `select indexdef as line from pg_indexes where schemaname = 'public'`,
  );
  const sorted = (rows: { line: string }[]): string[] => rows.map((r) => r.line).sort();
  return { columns: sorted(columns), constraints: sorted(constraints), indexes: sorted(indexes) };
}
