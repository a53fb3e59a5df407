import { randomUUID } from "node:crypto";
import type { Clock } from "../../clock.js";
import { KaigiError } from "../../errors.js";
import type { Database, Db, OnCommit } from "../db.js";

/** A due timer as one claim of a worker holds it. */
export interface Timer {
  id: number;
  tenantId: string;
  key: string;
  meetingId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  runAt: string;
  attempts: number;
  /** The lease this claim holds (worker id + claim id); firing needs it to still be current. */
  lease: string;
}

class LeaseLostError extends KaigiError {
  constructor(key: string) {
    super("STORE_WRITE_FAILED", `timer ${key} was taken over by another worker`);
  }
}

export interface TimerWorkerOptions {
  leaseMs: number;
  maxAttempts: number;
  baseDelayMs: number;
}

export type FireTimer = (trx: Db, timer: Timer, onCommit: OnCommit) => Promise<void>;

/**
 * Fires due timers exactly once with respect to committed state: a worker leases a batch
 * (SKIP LOCKED on PostgreSQL), then runs each timer's handler and deletes the timer in ONE
 * transaction, which commits only if the worker still holds the lease. A crash anywhere leaves
 * the timer to be fired again after its lease expires; it can never fire twice. Missed timers
 * (downtime) are simply due at start-up.
 */
export class TimerWorker {
  private readonly options: TimerWorkerOptions;

  constructor(
    private readonly db: Database,
    private readonly workerId: string,
    private readonly clock: Clock,
    private readonly fire: FireTimer,
    options: Partial<TimerWorkerOptions> = {},
  ) {
    this.options = { leaseMs: 30_000, maxAttempts: 10, baseDelayMs: 5_000, ...options };
  }

  /** Claims due timers and fires them; returns how many fired. */
  async runOnce(limit = 50): Promise<number> {
    return this.fireClaimed(await this.claim(limit));
  }

  private stopping = false;

  /**
   * Graceful shutdown: the timers whose firing has begun finish (with their group commit); the
   * rest of the batch is handed back at once (lease released) so another instance fires them without waiting for the lease to run out.
   */
  stop(): void {
    this.stopping = true;
  }

  /**
   * Fires timers this worker has claimed; one whose lease was taken over is skipped. They are
   * asked for all at once, so that a tenant's timers share a group commit (one COMMIT, and on
   * PostgreSQL one statement of writes, for the group: store/group-commit.ts); the group still
   * runs them one after another, in the order claimed, each in its own transaction that fails
   * alone. A timer whose turn comes after stop() does nothing and is handed back.
   */
  async fireClaimed(timers: Timer[]): Promise<number> {
    // Settled, all of them, before returning: stop() then finds no firing of this batch under way.
    const settled = await Promise.allSettled(timers.map((timer) => this.fireOne(timer)));
    const outcome = (i: number) => {
      const s = settled[i];
      return s?.status === "fulfilled" ? s.value : "not-fired";
    };
    const handedBack = timers.filter((_, i) => outcome(i) === "handed-back");
    if (handedBack.length > 0) await this.release(handedBack);
    // Recording a failure failed (the database gone): said once, the timers wait out their lease.
    const unrecorded = settled.find((s) => s.status === "rejected");
    if (unrecorded) throw unrecorded.reason;
    return settled.filter((_, i) => outcome(i) === "fired").length;
  }

  private async fireOne(timer: Timer): Promise<"fired" | "handed-back" | "not-fired"> {
    try {
      return await this.db.transaction(
        async (trx, onCommit) => {
          if (this.stopping) return "handed-back" as const;
          // Take the timer first: the handler may itself cancel timers by prefix.
          const res = await trx
            .deleteFrom("timers")
            .where("id", "=", timer.id)
            .where("locked_by", "=", timer.lease)
            .executeTakeFirst();
          if (Number(res.numDeletedRows) !== 1) throw new LeaseLostError(timer.key);
          await this.fire(trx, timer, onCommit);
          return "fired" as const;
        },
        { tenantId: timer.tenantId },
      );
    } catch (error) {
      if (!(error instanceof LeaseLostError)) await this.failed(timer, error);
      return "not-fired";
    }
  }

  /** Hands claimed timers back (only those this claim still holds). */
  private async release(timers: Timer[]): Promise<void> {
    for (const lease of new Set(timers.map((t) => t.lease)))
      await this.db.kysely
        .updateTable("timers")
        .set({ locked_by: null, locked_until: null })
        .where("locked_by", "=", lease)
        .where(
          "id",
          "in",
          timers.filter((t) => t.lease === lease).map((t) => t.id),
        )
        .execute();
  }

  /**
   * Leases up to `limit` due timers to this worker. Each claim has its own lease id, so even a
   * restarted worker reusing its id cannot fire a timer through a claim that has run out.
   */
  claim(limit = 50): Promise<Timer[]> {
    if (this.stopping) return Promise.resolve([]);
    const lease = `${this.workerId}/${randomUUID()}`;
    return this.db.transaction(async (trx) => {
      const now = this.clock.now();
      const nowIso = now.toISOString();
      let due = trx
        .selectFrom("timers")
        .select("id")
        .where("run_at", "<=", nowIso)
        .where((eb) => eb.or([eb("locked_until", "is", null), eb("locked_until", "<", nowIso)]))
        .where("attempts", "<", this.options.maxAttempts)
        .orderBy("run_at")
        .orderBy("id")
        .limit(limit);
      if (this.db.dialect === "postgres") due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await trx
        .updateTable("timers")
        .set({
          locked_by: lease,
          locked_until: new Date(now.getTime() + this.options.leaseMs).toISOString(),
        })
        .where("id", "in", ids)
        .returning([
          "id",
          "tenant_id",
          "key",
          "meeting_id",
          "kind",
          "payload",
          "run_at",
          "attempts",
        ])
        .execute();
      return rows.map((r) => ({
        id: r.id,
        tenantId: r.tenant_id,
        key: r.key,
        meetingId: r.meeting_id,
        kind: r.kind,
        payload: JSON.parse(r.payload) as Record<string, unknown>,
        runAt: r.run_at,
        attempts: r.attempts,
        lease,
      }));
    });
  }

  private async failed(timer: Timer, error: unknown): Promise<void> {
    const attempts = timer.attempts + 1;
    const retryAt = new Date(
      this.clock.now().getTime() + this.options.baseDelayMs * 2 ** (attempts - 1),
    );
    const message =
      error instanceof KaigiError
        ? `${error.code}: ${error.message}`
        : error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error);
    await this.db.transaction((trx) =>
      trx
        .updateTable("timers")
        .set({
          attempts,
          run_at: retryAt.toISOString(),
          locked_by: null,
          locked_until: null,
          last_error: message,
        })
        .where("id", "=", timer.id)
        .where("locked_by", "=", timer.lease)
        .execute(),
    );
  }
}
