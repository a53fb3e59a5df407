import { sql } from "kysely";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";
import { precompiled } from "../compiled.js";
import { canonicalJson } from "../log/chain.js";

// Firing due timers is the worker's (worker.ts); its names stay importable from here.
export { TimerWorker, type FireTimer, type Timer, type TimerWorkerOptions } from "./worker.js";

export interface NewTimer {
  tenantId: string;
  key: string;
  meetingId: string | null;
  kind: string;
  payload: Record<string, unknown>;
  runAt: Date;
}

/** Schedules a timer in the caller's transaction; a second timer with the same key is ignored. */
export async function scheduleTimer(trx: Db, timer: NewTimer): Promise<void> {
  requireTenant(timer.tenantId, "scheduleTimer");
  await insertTimer(
    trx,
    timer.tenantId,
    timer.key,
    timer.meetingId,
    timer.kind,
    canonicalJson(timer.payload),
    timer.runAt.toISOString(),
  );
}
const insertTimer = precompiled(
  (
    db: Db,
    tenantId: string,
    key: string,
    meetingId: string | null,
    kind: string,
    payload: string,
    runAt: string,
  ) =>
    db
      .insertInto("timers")
      .values({
        tenant_id: tenantId,
        key,
        meeting_id: meetingId,
        kind,
        payload,
        run_at: runAt,
        attempts: 0,
      })
      .onConflict((oc) => oc.columns(["tenant_id", "key"]).doNothing()),
  { defer: "timers", rows: { key: [0, 1] } },
);

/** Cancels every timer of the tenant whose key starts with `prefix`. */
export async function cancelTimers(trx: Db, tenantId: string, prefix: string): Promise<void> {
  requireTenant(tenantId, "cancelTimers");
  await deleteTimers(trx, tenantId, `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
}
const deleteTimers = precompiled(
  (db: Db, tenantId: string, pattern: string) =>
    db
      .deleteFrom("timers")
      .where("tenant_id", "=", tenantId)
      .where(sql<boolean>`key like ${pattern} escape '\\'`),
  { defer: "timers", rows: { like: [0, 1] } },
);

export interface TimerRecord {
  key: string;
  kind: string;
  meetingId: string | null;
  runAt: string;
  attempts: number;
  lastError: string | null;
}

/**
 * A tenant's pending timers, soonest first, with their failures: what the admin sees, including
 * timers that gave up after maxAttempts (they stay, with their last error, until cancelled).
 */
export async function listTimers(db: Db, tenantId: string): Promise<TimerRecord[]> {
  requireTenant(tenantId, "listTimers");
  const rows = await db
    .selectFrom("timers")
    .select(["key", "kind", "meeting_id", "run_at", "attempts", "last_error"])
    .where("tenant_id", "=", tenantId)
    .orderBy("run_at")
    .orderBy("key")
    .execute();
  return rows.map((r) => ({
    key: r.key,
    kind: r.kind,
    meetingId: r.meeting_id,
    runAt: r.run_at,
    attempts: r.attempts,
    lastError: r.last_error,
  }));
}
