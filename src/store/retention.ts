import type { Clock } from "../clock.js";
import type { Database } from "./db.js";
import { requireTenant } from "./errors.js";
import { appendLog } from "./log/append.js";

export interface RetentionResult {
  cutoff: string;
  /** Personal data beside log entries (names, user names) erased. */
  logPersonalData: number;
  /** Participants' display names erased. */
  participantNames: number;
}

const DAY_MS = 86_400_000;

/**
 * Erases a tenant's personal data older than `days` (R-LOG 4: retention is policy; KSS
 * 第8章3(2)エ): the data kept beside log entries and participants' display names. The chained
 * entries stay as they are, so the log still verifies end to end (the chain covers only a salted
 * hash of that data). What was erased, and up to when, is itself a log entry, in the same
 * transaction; a run that finds nothing to erase writes nothing.
 */
export async function applyRetention(
  db: Database,
  clock: Clock,
  tenantId: string,
  days: number,
): Promise<RetentionResult> {
  requireTenant(tenantId, "applyRetention");
  const cutoff = new Date(clock.now().getTime() - days * DAY_MS).toISOString();
  return db.transaction(async (trx) => {
    const old = trx
      .selectFrom("log_entries")
      .select("seq")
      .where("tenant_id", "=", tenantId)
      .where("at", "<", cutoff);
    const erased = await trx
      .deleteFrom("log_sensitive")
      .where("tenant_id", "=", tenantId)
      .where("seq", "in", old)
      .executeTakeFirst();
    const names = await trx
      .updateTable("participants")
      .set({ display_name: null })
      .where("tenant_id", "=", tenantId)
      .where("display_name", "is not", null)
      .where((eb) =>
        eb.or([
          eb("joined_at", "<", cutoff),
          eb(
            "meeting_id",
            "in",
            eb
              .selectFrom("meetings")
              .select("id")
              .where("tenant_id", "=", tenantId)
              .where("starts_at", "<", cutoff),
          ),
        ]),
      )
      .executeTakeFirst();
    const result = {
      cutoff,
      logPersonalData: Number(erased.numDeletedRows),
      participantNames: Number(names.numUpdatedRows),
    };
    if (result.logPersonalData + result.participantNames > 0)
      await appendLog(trx, clock, [
        {
          tenantId,
          meetingId: null,
          actor: "system:retention",
          action: "retention.applied",
          payload: { ...result, days },
        },
      ]);
    return result;
  });
}

/**
 * One retention pass over every tenant with a log whose policy sets a retention period. Returns
 * how many tenants had something erased.
 */
export async function retentionPass(
  db: Database,
  clock: Clock,
  daysFor: (tenantId: string) => number | undefined,
): Promise<number> {
  const tenants = await db.kysely.selectFrom("log_heads").select("tenant_id").execute();
  let touched = 0;
  for (const { tenant_id: tenantId } of tenants) {
    const days = daysFor(tenantId);
    if (days === undefined) continue;
    const result = await applyRetention(db, clock, tenantId, days);
    if (result.logPersonalData + result.participantNames > 0) touched++;
  }
  return touched;
}
