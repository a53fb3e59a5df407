import type { Db } from "./handle.js";

/*
 * What one group of the group commit (group-commit.ts) keeps while its database transaction is
 * open, how a transaction finds it, and the claims it makes ahead for its transactions: apart
 * from group-commit.ts so that the store's repositories (append.ts, claim-ahead.ts, meetings.ts)
 * can name them without the group commit.
 */

/** The event a transaction will claim, and the meeting it will load, as its first statement. */
export interface AheadClaim {
  eventId: string;
  meetingId: string;
  /** When it was claimed, as the claim records it (the app's clock). */
  at: string;
}

/**
 * Claims the events of the group's transactions and loads their meetings in one statement, right
 * after BEGIN, instead of one statement per transaction (PostgreSQL: one round trip for the
 * whole group instead of one per turn). It puts what it found in the scope's `claimed`, which
 * the transactions take from as they run (claimEventAndLoad).
 */
export type ClaimAhead = (
  conn: Db,
  claims: readonly AheadClaim[],
  scope: GroupScope,
) => Promise<void>;

/** What one group keeps while its database transaction is open (see groupScope). */
export interface GroupScope {
  /** Each tenant's log head as this group last read or moved it (appendLog). */
  readonly logHeads: Map<string, { seq: number; hash: string }>;
  /**
   * Writes the group makes once, just before its COMMIT, whatever number of its transactions
   * asked for them (keyed, so asking twice is once): each tenant's new log head is written once
   * per group instead of once per transaction. An error here fails the group as a failed
   * COMMIT would: nobody is told "done", and the group runs again when that is worth it.
   */
  readonly beforeCommit: Map<string, () => Promise<void>>;
  /**
   * Events claimed ahead for the group's transactions (ClaimAhead), by event id: whether this
   * transaction has them, and their meeting's data as of the group's start. Each transaction takes
   * its own out; one left at COMMIT fails the group, so no event is claimed without its handling.
   */
  readonly claimed: Map<string, { claimed: boolean; data: string | null }>;
  /** The meetings the group's transactions saved: data claimed ahead for them is stale. */
  readonly savedMeetings: Set<string>;
}

const scopes = new WeakMap<Db, GroupScope>();

/**
 * The scope of the group whose transaction `trx` belongs to; undefined outside a group. The group
 * holds what it locked until its end (SQLite's write lock from BEGIN IMMEDIATE; on PostgreSQL the
 * rows it wrote, such as a tenant's log head), so nobody else moves them meanwhile; each group has
 * a connection object of its own, so a group rolled back and run again starts with an empty scope.
 */
export function groupScope(trx: Db): GroupScope | undefined {
  return scopes.get(trx);
}

/** A new, empty scope for the group that runs on `conn` (group-commit.ts), until closeScope. */
export function openScope(conn: Db): GroupScope {
  const scope: GroupScope = {
    logHeads: new Map(),
    beforeCommit: new Map(),
    claimed: new Map(),
    savedMeetings: new Set(),
  };
  scopes.set(conn, scope);
  return scope;
}

export function closeScope(conn: Db): void {
  scopes.delete(conn);
}
