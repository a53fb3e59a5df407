import type pg from "pg";
import { asWaiting, combined, conflicts, type Waiting } from "./deferred-batch.js";

/**
 * Deferred writes on PostgreSQL: the writes of a group commit whose results nobody reads (a
 * meeting's upsert, a log entry, an outbox row, a timer, the log head) wait on the connection and
 * go to the database together, as one statement, when the group commits or anything else is
 * asked of the connection first: the writes of all the group's transactions, not one round trip
 * per statement nor one per transaction (docs/deployment.md, "Round trips per turn").
 *
 * The statements say what they are, and which rows they touch, by a leading comment (see
 * `deferrable`); the group commit's own BEGIN, COMMIT and ROLLBACK say so too, and only inside a
 * group is anything deferred, so a connection handed back to the pool never holds a write. The
 * rules that keep the order of events as written:
 * - any other statement sends what waits before it is sent itself: a read sees every write
 *   before it;
 * - a write that touches a row a waiting write touches (or names no rows, and its table has a
 *   write waiting) sends what waits before it: the parts of one statement all see the same
 *   snapshot and must not touch one row twice (deferred-batch.ts);
 * - the group commit says where each of its transactions ends (TURN). Writes that fail when sent
 *   while the transaction that made them is running, with none of another transaction, fail that
 *   transaction with their error, as if it had run them itself; writes of several, or sent after
 *   their transaction returned, fail as WrittenTogetherFailed, whose culprit is not known (the
 *   group commit then runs each transaction alone, and the culprit fails with its own error);
 * - ROLLBACK drops what waits.
 */
export const GROUP_BEGIN = "/*kaigi:group-begin*/ ";
export const GROUP_COMMIT = "/*kaigi:group-commit*/ ";
export const GROUP_ROLLBACK = "/*kaigi:group-rollback*/ ";
/** Sends what waits now. */
export const FLUSH = "/*kaigi:flush*/";
/** A transaction of the group returned; what it left waiting may wait on with the next one's. */
export const TURN = "/*kaigi:turn*/";

/** Writes of several transactions, or of one that had returned, sent together and failed. */
export class WrittenTogetherFailed extends Error {
  /** The database's error code, so that a deadlock or lost connection reads as such. */
  readonly code: unknown;
  constructor(override readonly cause: unknown) {
    super((cause as Error | null)?.message ?? "deferred writes failed");
    this.code = (cause as { code?: unknown } | null)?.code;
  }
}

/**
 * Statements with parameters are prepared once per connection under a name (PostgreSQL then
 * neither parses nor plans them again): the store's statements are few and fixed. Past this
 * many on a connection, new ones run unnamed, as before.
 */
const PREPARED_MAX = 256;

/** PostgreSQL takes at most 65,535 parameters in one statement; stay well below. */
const MAX_PARAMETERS = 30_000;

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
  /** The group's transactions that have returned (TURN). */
  let turn = 0;
  /** `committing`: sent by the COMMIT, after every transaction returned. */
  const flush = async (committing = false) => {
    if (waiting.length === 0) return;
    const batch = waiting;
    waiting = [];
    parameters = 0;
    const [text, values] = combined(batch);
    try {
      await send(text, values);
    } catch (error) {
      if (committing || batch.some((w) => w.turn !== turn)) throw new WrittenTogetherFailed(error);
      throw error;
    }
  };
  const query = async (text: string, values: unknown[] | undefined) => {
    const write = grouping ? asWaiting(text, values ?? [], turn) : undefined;
    if (write) {
      if (
        waiting.some((w) => conflicts(w, write)) ||
        parameters + write.values.length > MAX_PARAMETERS
      )
        await flush();
      waiting.push(write);
      parameters += write.values.length;
      return deferredResult();
    }
    if (text === TURN) {
      turn++;
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
    const committing = text.startsWith(GROUP_COMMIT);
    await flush(committing);
    if (text.startsWith(GROUP_BEGIN)) {
      grouping = true;
      turn = 0;
    }
    if (committing) grouping = false;
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
