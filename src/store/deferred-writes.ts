import type pg from "pg";

/**
 * Deferred writes on PostgreSQL: the writes of one transaction of a group commit whose results
 * nobody reads (a meeting's upsert, a log entry, an outbox row, a timer) wait on the connection
 * and go to the database together, as one statement of data-modifying CTEs
 * (`with w0 as (insert …), w1 as (update …) select 1`), when the transaction ends or anything
 * else is asked of the connection first. A governance turn then costs two round trips (its claim
 * and its writes) instead of one per statement (docs/deployment.md, "Round trips per turn").
 *
 * The statements say what they are by a leading comment (see `deferrable`); the group commit's
 * own BEGIN, COMMIT and ROLLBACK say so too, and only inside a group is anything deferred, so a
 * connection handed back to the pool never holds a write. The rules that keep the order of
 * events as written:
 * - any other statement sends what waits before it is sent itself: a read sees every write
 *   before it, and the writes' errors reach the transaction that made them;
 * - a second write to a table with a write waiting sends the first one before it: the parts of
 *   one statement all see the same snapshot and must not touch one row twice;
 * - the group commit sends what waits when each of its transactions returns (FLUSH), so an error
 *   of those writes is that transaction's, as if it had run them itself;
 * - ROLLBACK drops what waits.
 */
const DEFER = /^\/\*kaigi:defer ([a-z_]+)\*\/ /;
export const GROUP_BEGIN = "/*kaigi:group-begin*/ ";
export const GROUP_COMMIT = "/*kaigi:group-commit*/ ";
export const GROUP_ROLLBACK = "/*kaigi:group-rollback*/ ";
export const FLUSH = "/*kaigi:flush*/";

/** A statement's SQL marked as a write that may wait (its result is never read). */
export const deferrable = (table: string, sql: string): string => `/*kaigi:defer ${table}*/ ${sql}`;

/**
 * Statements with parameters are prepared once per connection under a name (PostgreSQL then
 * neither parses nor plans them again): the store's statements are few and fixed. Past this
 * many on a connection, new ones run unnamed, as before.
 */
const PREPARED_MAX = 256;

/** PostgreSQL takes at most 65,535 parameters in one statement; stay well below. */
const MAX_PARAMETERS = 30_000;

interface Waiting {
  table: string;
  sql: string;
  values: unknown[];
}

/** What a deferred write answers at once: no rows, no count (nobody reads either). */
const deferredResult = (): pg.QueryResult => ({
  command: "DEFERRED",
  rowCount: null,
  rows: [],
  fields: [],
  oid: 0,
});

type Query = (text: string, values?: unknown[]) => Promise<pg.QueryResult>;

/** Makes `client` (a pooled connection, once, when the pool opens it) defer writes as above. */
export function deferWrites(client: pg.ClientBase): void {
  const passThrough = client.query.bind(client) as (...args: unknown[]) => unknown;
  const submit = passThrough as unknown as (
    query: string | pg.QueryConfig,
    values?: unknown[],
  ) => Promise<pg.QueryResult>;
  const names = new Map<string, string>();
  let prepared = 0;
  const send: Query = async (text, values) => {
    if (!values?.length) return submit(text, values);
    let name = names.get(text);
    if (!name && names.size < PREPARED_MAX && text.length <= 16_384) {
      name = `kaigi_${String(prepared++)}`;
      names.set(text, name);
    }
    if (!name) return submit(text, values);
    try {
      return await submit({ name, text, values });
    } catch (error) {
      // "cached plan must not change result type": a table changed under the prepared statement
      // (another instance migrated it during a rolling upgrade). Prepared anew next time; the
      // group runs again (0A000 is retryable there).
      if ((error as { code?: unknown }).code === "0A000") names.delete(text);
      throw error;
    }
  };
  let grouping = false;
  let waiting: Waiting[] = [];
  let parameters = 0;
  const flush = async () => {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    parameters = 0;
    const [text, values] = combined(batch);
    await send(text, values);
  };
  const query = async (text: string, values: unknown[] | undefined) => {
    const deferred = DEFER.exec(text);
    if (deferred?.[1] && grouping) {
      const table = deferred[1];
      const mine = values ?? [];
      if (waiting.some((w) => w.table === table) || parameters + mine.length > MAX_PARAMETERS)
        await flush();
      waiting.push({ table, sql: text.slice(deferred[0].length), values: mine });
      parameters += mine.length;
      return deferredResult();
    }
    if (text === FLUSH) {
      await flush();
      return deferredResult();
    }
    if (text.startsWith(GROUP_ROLLBACK)) {
      waiting = [];
      parameters = 0;
      grouping = false;
      return send(text, values);
    }
    await flush();
    if (text.startsWith(GROUP_BEGIN)) grouping = true;
    if (text.startsWith(GROUP_COMMIT)) grouping = false;
    return send(text, values);
  };
  // Kysely asks `query(text, values)` and awaits it; other forms (a cursor, a callback) pass
  // through, and only when nothing waits, as they cannot be made to wait for a flush.
  client.query = ((...args: unknown[]) => {
    const [text, values] = args;
    if (
      typeof text === "string" &&
      args.length <= 2 &&
      (values === undefined || Array.isArray(values))
    )
      return query(text, values);
    if (waiting.length > 0) throw new Error("a query of another form while writes wait to be sent");
    return passThrough(...args);
  }) as typeof client.query;
}

/** The waiting writes as one statement, their parameters renumbered in order. */
function combined(batch: readonly Waiting[]): [string, unknown[]] {
  const [only] = batch;
  if (batch.length === 1 && only) return [only.sql, only.values];
  const values: unknown[] = [];
  const parts = batch.map((w, i) => {
    const offset = values.length;
    values.push(...w.values);
    // The deferred statements are the store's own precompiled ones: every `$n` in them is a
    // parameter (they hold no string literal with a dollar sign).
    const sql = w.sql.replace(/\$(\d+)/g, (_, n: string) => `$${String(Number(n) + offset)}`);
    return `w${String(i)} as (${sql})`;
  });
  return [`with ${parts.join(", ")} select 1`, values];
}
