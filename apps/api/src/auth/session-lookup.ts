/** Looks up rows by id, for one id or for several gathered together; missing ids get no row. */
export type LookupByIds<Row> = (ids: readonly string[]) => Promise<Row[]>;

interface Waiter<Row> {
  resolve: (row: Row | undefined) => void;
  reject: (error: unknown) => void;
}

/** The most ids one statement carries; more wait for the next. */
export const MAX_IDS_PER_LOOKUP = 100;

/**
 * Session rows fetched together. Every request checks its session first; under load many of them
 * arrive in the same turn of the event loop (one poll of the sockets), and each used to send its own
 * statement: a write to the database's socket, a bind and execute in PostgreSQL, a result to parse.
 * The ids asked for during one turn are looked up by one statement when the turn's I/O callbacks
 * are done (`setImmediate`), and each request gets its own row. A request alone in its turn is
 * looked up alone, as before; a failure reaches every request of the batch.
 */
export class BatchedLookup<Row extends { id: string }> {
  readonly #lookup: LookupByIds<Row>;
  #pending: Map<string, Waiter<Row>[]> | null = null;

  constructor(lookup: LookupByIds<Row>) {
    this.#lookup = lookup;
  }

  find(id: string): Promise<Row | undefined> {
    return new Promise((resolve, reject) => {
      let pending = this.#pending;
      if (!pending) {
        pending = new Map();
        this.#pending = pending;
        setImmediate(() => this.#flush());
      }
      const waiters = pending.get(id);
      if (waiters) waiters.push({ resolve, reject });
      else pending.set(id, [{ resolve, reject }]);
    });
  }

  /** The lookup's promise, also when it throws at once: this runs from `setImmediate`, where a throw would end the process. */
  #run(ids: readonly string[]): Promise<Row[]> {
    try {
      return this.#lookup(ids);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #flush(): void {
    const pending = this.#pending;
    this.#pending = null;
    if (!pending) return;
    const ids = [...pending.keys()];
    for (let start = 0; start < ids.length; start += MAX_IDS_PER_LOOKUP) {
      const chunk = ids.slice(start, start + MAX_IDS_PER_LOOKUP);
      this.#run(chunk).then(
        (rows) => {
          const byId = new Map(rows.map((row) => [row.id, row]));
          for (const id of chunk) for (const waiter of pending.get(id) ?? []) waiter.resolve(byId.get(id));
        },
        (error: unknown) => {
          for (const id of chunk) for (const waiter of pending.get(id) ?? []) waiter.reject(error);
        },
      );
    }
  }
}
