import type { CompiledQuery, Kysely } from 'kysely';
import type { Database } from './schema.js';

/** Stands for the i-th argument while a prepared query is compiled. */
class Slot {
  constructor(readonly index: number) {}
}

interface Compiled {
  query: CompiledQuery;
  /** For each parameter of the compiled query: the argument it takes, or null for a constant. */
  slots: (number | null)[];
}

/**
 * A query built and compiled once per SQL dialect, then run with new arguments: the statements
 * every issue and call runs spend no time in Kysely's query builder and compiler (which cost more
 * than SQLite running them). SQLite's driver keeps the prepared statement per SQL text.
 *
 * `build` receives stand-ins for the arguments: it must pass each of them as a value (Kysely
 * makes every value a parameter), never inspect them. A stand-in that does not come out as a
 * parameter is refused at the first run.
 */
export function prepared<A extends readonly unknown[], R>(build: (db: Kysely<Database>, ...args: A) => { compile(): CompiledQuery<R> }) {
  const byAdapter = new WeakMap<object, Compiled>();

  function compiledFor(db: Kysely<Database>, count: number): Compiled {
    const adapter = db.getExecutor().adapter;
    let found = byAdapter.get(adapter);
    if (!found) {
      const stand = Array.from({ length: count }, (_, i) => new Slot(i));
      const query = build(db, ...(stand as unknown as A)).compile();
      const slots = query.parameters.map((p) => (p instanceof Slot ? p.index : null));
      const missing = stand.filter((s) => !slots.includes(s.index));
      if (missing.length > 0) throw new Error(`prepared query: argument ${missing[0]!.index} is not a parameter of ${query.sql}`);
      found = { query, slots };
      byAdapter.set(adapter, found);
    }
    return found;
  }

  async function run(db: Kysely<Database>, args: A): Promise<R[]> {
    const { query, slots } = compiledFor(db, args.length);
    const parameters = slots.map((slot, i) => (slot === null ? query.parameters[i] : args[slot]));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  }

  return {
    all: (db: Kysely<Database>, ...args: A): Promise<R[]> => run(db, args),
    first: async (db: Kysely<Database>, ...args: A): Promise<R | undefined> => (await run(db, args))[0],
    /** Inserts, updates and deletes without `returning`. */
    run: async (db: Kysely<Database>, ...args: A): Promise<void> => {
      await run(db, args);
    },
  };
}
