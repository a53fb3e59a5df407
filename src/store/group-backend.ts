import type { Db } from "./handle.js";

/**
 * What became of the group's database transaction when one of its transactions ended:
 * - `ok`: still open and sound;
 * - `failed`: the transaction's own error; the group's transaction can be rolled back;
 * - `lost`: this transaction made the database give up the group's transaction (SQLite, after
 *   SQLITE_FULL or IOERR), or went on after such an error;
 * - `lost-earlier`: the database had already given it up, because an earlier transaction of the
 *   group caught an error and went on (PostgreSQL: "current transaction is aborted");
 * - `written-together`: writes that several of the group's transactions left waiting were sent
 *   together and failed (PostgreSQL, deferred-writes.ts); whose write failed is not known.
 */
export type GroupState = "ok" | "failed" | "lost" | "lost-earlier" | "written-together";

/**
 * What a group commit needs of its database: sqliteGroupBackend (sqlite.ts) and
 * postgresGroupBackend (postgres.ts). Apart from group-commit.ts, so that each dialect's side
 * builds on this contract alone.
 */
export interface GroupBackend {
  /** Holds one connection for the whole group; nothing else runs on it meanwhile. */
  withConnection(run: (conn: Db) => Promise<void>): Promise<void>;
  begin(conn: Db): Promise<void>;
  /** Commits; throws LostEarlier when the database had given the transaction up. */
  commit(conn: Db): Promise<void>;
  rollback(conn: Db): Promise<void>;
  /**
   * After a transaction of the group returned: `alone`, it is the only one of its group, and the
   * writes it left waiting (PostgreSQL, deferred-writes.ts) are sent now, so that their error is
   * its own; otherwise they may wait to go with the next ones'.
   */
  endOf?(conn: Db, alone: boolean): Promise<void>;
  /** After a transaction of the group returned (`error` undefined) or threw `error`. */
  state(error?: unknown): GroupState;
  /** Error codes after which the whole group may simply run again. */
  readonly retryable: ReadonlySet<string>;
}

/** The group's transaction given up because of an error an earlier transaction caught. */
export class LostEarlier extends Error {
  constructor(override readonly cause: unknown) {
    super("the group's transaction was given up before this work");
  }
}

/** Writes of several of the group's transactions, sent together, failed (`written-together`). */
export class WrittenTogether extends Error {
  constructor(override readonly cause: unknown) {
    super("writes of several transactions of the group failed together");
  }
}

/** A transaction's own error; the group's transaction is still open, to be rolled back. */
export class TransactionFailed extends Error {
  constructor(override readonly cause: unknown) {
    super("a transaction of the group failed");
  }
}

/** A transaction's error that made SQLite abandon the group's whole transaction. */
export class GroupLost extends Error {
  constructor(override readonly cause: unknown) {
    super("the group's transaction was abandoned");
  }
}
