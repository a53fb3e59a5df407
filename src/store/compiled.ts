import { CompiledQuery, PostgresAdapter, type Compilable, type QueryResult } from "kysely";
import type { Db } from "./handle.js";
import { deferrable, type Rows } from "./deferred-batch.js";
import type { Tables } from "./schema.js";

const PLACEHOLDER = "\u0000kaigi-value:";

type Slot = { value: number } | { constant: unknown };

/** Runs compiled SQL on the spot, as Kysely's SQLite driver would, without the plumbing around it. */
export type DirectRun = (sql: string, parameters: readonly unknown[]) => QueryResult<unknown>;
const direct = new WeakMap<Db, DirectRun>();
/**
 * Lets the precompiled statements run on `db` directly: for the connection SQLite's group commit
 * holds (its transactions run on it one after another, nothing else does meanwhile). Kysely's
 * path around a query — the connection provider, several promises, the result transform — was
 * 3 % of the governance phase's CPU profile (npm run bench:teams -- --profile).
 */
export function runsDirectly(db: Db, run: DirectRun): void {
  direct.set(db, run);
}

/**
 * A query Kysely builds and compiles once per database and then runs with new values: building
 * and compiling each statement anew was a sizeable share of a governance turn's CPU (npm run
 * bench:teams). `build` receives placeholders in place of the values and must use them only as
 * values — never as identifiers, raw SQL or to choose the query's shape; a placeholder found in
 * the SQL text is refused when the query is first compiled.
 *
 * `defer` names the table of a write whose result nobody reads: on PostgreSQL, inside a group
 * commit, it waits to go to the database with the group's other writes in one statement (see
 * deferred-writes.ts), and answers no rows and no count. `rows` says which rows it touches, by
 * the positions of `build`'s values (see Rows): without it, the write is never sent together
 * with another write to its table.
 */
export function precompiled<A extends readonly unknown[], R>(
  build: (db: Db, ...values: A) => Compilable<R>,
  options: { defer?: keyof Tables; rows?: Rows } = {},
): (db: Db, ...values: A) => Promise<QueryResult<R>> {
  // Keyed by the database's dialect adapter, which its transactions share.
  const compiled = new WeakMap<object, { sql: string; slots: Slot[] }>();
  return async (db, ...values) => {
    const adapter = db.getExecutor().adapter;
    let query = compiled.get(adapter);
    if (!query) {
      const placeholders = values.map((_, i) => `${PLACEHOLDER}${String(i)}`) as unknown as A;
      const { sql, parameters } = build(db, ...placeholders).compile();
      if (sql.includes(PLACEHOLDER))
        throw new Error("a precompiled query used a value as SQL text, not as a parameter");
      const defer = options.defer && adapter instanceof PostgresAdapter ? options.defer : undefined;
      const slots: Slot[] = parameters.map((p) =>
        typeof p === "string" && p.startsWith(PLACEHOLDER)
          ? { value: Number(p.slice(PLACEHOLDER.length)) }
          : { constant: p },
      );
      query = {
        sql: defer ? deferrable(defer, sql, rowsAsParameters(options.rows, slots)) : sql,
        slots,
      };
      compiled.set(adapter, query);
    }
    const parameters = query.slots.map((s) => ("value" in s ? values[s.value] : s.constant));
    const run = direct.get(db);
    if (run) return run(query.sql, parameters) as QueryResult<R>;
    return db.executeQuery<R>(CompiledQuery.raw(query.sql, parameters));
  };
}

/** `rows` (positions of a build's values) as positions of the compiled statement's parameters. */
function rowsAsParameters(rows: Rows | undefined, slots: readonly Slot[]): Rows | undefined {
  if (!rows) return undefined;
  const at = (value: number) => {
    const i = slots.findIndex((s) => "value" in s && s.value === value);
    if (i < 0) throw new Error("a deferred write's row key is not among its parameters");
    return i;
  };
  return "key" in rows ? { key: rows.key.map(at) } : { like: rows.like.map(at) };
}
