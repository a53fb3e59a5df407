import {
  closeScope,
  openScope,
  type AheadClaim,
  type ClaimAhead,
  type GroupScope,
} from "./group-scope.js";
import type { Db, OnCommit } from "./handle.js";
import { StoreWriteFailedError, storeError } from "./errors.js";
import {
  GroupLost,
  LostEarlier,
  TransactionFailed,
  WrittenTogether,
  type GroupBackend,
} from "./group-backend.js";

type Work = (trx: Db, onCommit: OnCommit) => Promise<unknown>;
interface Waiting {
  work: Work;
  resolve: (result: unknown) => void;
  reject: (error: unknown) => void;
  /** Groups it was part of that did not commit. */
  attempts: number;
  /** Runs in a group of its own: its group failed and whose fault it was is not known. */
  alone: boolean;
  /** What it will claim first (see ClaimAhead), when it said so. */
  ahead: AheadClaim | undefined;
}

/** How many transactions one commit may carry, and how often one may be re-run. */
const GROUP_MAX = 32;
const MAX_ATTEMPTS = 5;

/**
 * Group commit: transactions asked for while the event loop is busy (the turns of one burst of
 * requests) run one after another inside ONE database transaction, on one connection, and are
 * committed together. Nobody is told "done" before the commit. A transaction that fails fails
 * alone: what it wrote cannot be undone apart from the others', so the group is rolled back, it
 * is told its error, and the ones before it run again in the next group (the caller's contract: a
 * transaction may run again, and writes only through `trx`). The same happens to the whole group
 * if the commit itself fails or an error makes the database give up the transaction. One commit
 * writes each shared page or row (the log's head, the newest leaf of each index) once instead of
 * once per turn, and holds each tenant's log-head lock once for the group instead of once per
 * transaction. Why without a savepoint each: docs/deployment.md, "Round trips per turn".
 */
export class GroupCommit {
  private readonly waiting: Waiting[] = [];
  private draining = false;

  constructor(
    private readonly backend: GroupBackend,
    private readonly claimAhead?: ClaimAhead,
  ) {}

  /** `ahead`: the event `work` claims first, if it does (see ClaimAhead). */
  run<T>(work: (trx: Db, onCommit: OnCommit) => Promise<T>, ahead?: AheadClaim): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.waiting.push({
        work,
        resolve: resolve as (r: unknown) => void,
        reject,
        attempts: 0,
        alone: false,
        ahead,
      });
      if (this.draining) return;
      this.draining = true;
      // After this turn of the event loop, so requests read in the same turn join the group.
      setImmediate(() => {
        void this.drain();
      });
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.waiting.length > 0) await this.group();
    } finally {
      this.draining = false;
    }
  }

  /** One database transaction carrying up to GROUP_MAX waiting transactions. */
  private async group(): Promise<void> {
    const backend = this.backend;
    const ran: { waiting: Waiting; result: unknown; hooks: (() => void)[] }[] = [];
    // The first is taken before BEGIN, so a BEGIN that fails is charged to it.
    let current = this.waiting.shift();
    const alone = current?.alone === true;
    try {
      await backend.withConnection(async (conn) => {
        const scope = openScope(conn);
        try {
          // Inside the try: a BEGIN that fails half-way (PostgreSQL, cancelled while waiting for
          // the group lock) must not hand its connection back to the pool in an aborted transaction.
          await backend.begin(conn);
          if (current && !alone) await this.claimFor(conn, current, scope);
          while (current) {
            const hooks: (() => void)[] = [];
            let result: unknown;
            try {
              result = await current.work(conn, (hook) => hooks.push(hook));
              if (backend.endOf) await backend.endOf(conn, alone);
            } catch (error) {
              const state = backend.state(error);
              if (state === "lost-earlier") throw new LostEarlier(error);
              // A deadlock or serialization failure: the whole group may simply run again.
              const code = (error as { code?: unknown } | null)?.code;
              if (typeof code === "string" && backend.retryable.has(code)) throw error;
              if (state === "written-together") throw new WrittenTogether(error);
              throw state === "lost" ? new GroupLost(error) : new TransactionFailed(error);
            }
            // One that caught such an error and went on: what comes after it must not run outside
            // the group's transaction (each statement would then be committed on its own).
            if (backend.state() === "lost")
              throw new GroupLost(
                new StoreWriteFailedError("transaction abandoned during this work"),
              );
            ran.push({ waiting: current, result, hooks });
            current =
              ran.length < GROUP_MAX && !alone && this.waiting[0]?.alone === false
                ? this.waiting.shift()
                : undefined;
          }
          if (scope.claimed.size > 0)
            throw new Error("an event claimed ahead was not taken by its transaction");
          for (const write of scope.beforeCommit.values())
            await write().catch((error: unknown) => {
              // As at COMMIT: a transaction of the group caught an error and went on, or the
              // writes its transactions left waiting failed.
              const state = backend.state(error);
              if (state === "lost-earlier") throw new LostEarlier(error);
              throw state === "written-together" ? new WrittenTogether(error) : error;
            });
          await backend.commit(conn);
        } catch (error) {
          await backend.rollback(conn);
          throw error;
        } finally {
          closeScope(conn);
        }
      });
    } catch (error) {
      await this.notCommitted(error, current, ran);
      return;
    }
    for (const r of ran) {
      try {
        for (const hook of r.hooks) hook();
      } catch (error) {
        // Committed, but what was to follow the commit failed: its caller hears of it (as
        // without the group), and the others are told "done" all the same.
        r.waiting.reject(error);
        continue;
      }
      r.waiting.resolve(r.result);
    }
  }

  /**
   * Claims ahead for the transactions this group will run: the first, and those waiting behind it
   * that may join (the group takes them in this order, nothing is put before them meanwhile).
   */
  private async claimFor(conn: Db, first: Waiting, scope: GroupScope): Promise<void> {
    if (!this.claimAhead) return;
    const joining: Waiting[] = [first];
    for (const next of this.waiting) {
      if (joining.length >= GROUP_MAX || next.alone) break;
      joining.push(next);
    }
    const claims = joining.flatMap((w) => (w.ahead ? [w.ahead] : []));
    // One alone costs what its own claim would.
    if (claims.length > 1) await this.claimAhead(conn, claims, scope);
  }

  /**
   * The group did not commit, so nobody in it is told "done". A transaction whose own error
   * ended the group fails with that error; the others run again (first in the queue, after a
   * short pause when another process held the write lock) unless the error is not one worth
   * running again for, or they have run MAX_ATTEMPTS times.
   */
  private async notCommitted(
    error: unknown,
    current: Waiting | undefined,
    ran: readonly { waiting: Waiting }[],
  ): Promise<void> {
    const all = current ? [...ran.map((r) => r.waiting), current] : ran.map((r) => r.waiting);
    if (error instanceof WrittenTogether) {
      // A group of one: the writes were its own.
      if (all.length === 1 && all[0]) {
        all[0].reject(storeError(error.cause));
        return;
      }
      // Each runs again alone, where its writes are sent before the next one runs: the one whose
      // write failed fails with its own error, the others commit. Not counted as an attempt (so
      // nobody is failed with another's error): a group of one cannot end this way with others.
      for (const waiting of all) waiting.alone = true;
      this.waiting.unshift(...all);
      return;
    }
    if (error instanceof LostEarlier) {
      // Somebody in `ran` caught an error and went on, and the database gave up the transaction;
      // which one is not known. Each runs again in a group of its own, where the one to blame
      // fails alone (with its own error, or as abandoned).
      if (all.length === 1 && all[0])
        all[0].reject(
          new StoreWriteFailedError("transaction aborted by an error this work caught and went on"),
        );
      else this.againAlone(all, error.cause);
      return;
    }
    if (error instanceof TransactionFailed) {
      // Its own error, as if it had run alone; the others did nothing wrong and run again without
      // it (not counted as attempts: each such round takes one failed transaction out).
      current?.reject(storeError(error.cause));
      this.waiting.unshift(...ran.map((r) => r.waiting));
      return;
    }
    const lost = error instanceof GroupLost;
    const cause = lost ? error.cause : error;
    const code = (cause as { code?: unknown }).code;
    const again = lost || (typeof code === "string" && this.backend.retryable.has(code));
    const uncommitted = ran.map((r) => r.waiting);
    if (lost) current?.reject(storeError(cause));
    else if (current) uncommitted.unshift(current);
    const retry: Waiting[] = [];
    for (const waiting of uncommitted) {
      waiting.attempts++;
      if (again && waiting.attempts < MAX_ATTEMPTS) retry.push(waiting);
      else waiting.reject(storeError(cause));
    }
    this.waiting.unshift(...retry);
    if (!lost && retry.length > 0)
      await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20));
  }

  /** Runs each of `all` again in a group of its own, first in the queue (MAX_ATTEMPTS at most). */
  private againAlone(all: readonly Waiting[], cause: unknown): void {
    const retry: Waiting[] = [];
    for (const waiting of all) {
      waiting.attempts++;
      waiting.alone = true;
      if (waiting.attempts < MAX_ATTEMPTS) retry.push(waiting);
      else waiting.reject(storeError(cause));
    }
    this.waiting.unshift(...retry);
  }
}
