import type { Meeting } from "../../meetings/types.js";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

export interface CleanupRecord {
  tenantId: string;
  meetingId: string;
  itemId: string;
  done: boolean;
  confirmedBy: string | null;
  confirmedAt: string | null;
}

/** Mirrors a meeting's cleanup checklist into its table, in the caller's transaction. */
export async function syncCleanupItems(trx: Db, meeting: Meeting): Promise<void> {
  requireTenant(meeting.tenantId, "syncCleanupItems");
  const byId = new Map(meeting.cleanup.map((c) => [c.id, c]));
  let stale = trx
    .deleteFrom("cleanup_items")
    .where("tenant_id", "=", meeting.tenantId)
    .where("meeting_id", "=", meeting.id);
  if (byId.size > 0) stale = stale.where("item_id", "not in", [...byId.keys()]);
  await stale.execute();
  if (byId.size === 0) return;
  await trx
    .insertInto("cleanup_items")
    .values(
      [...byId.values()].map((c) => ({
        tenant_id: meeting.tenantId,
        meeting_id: meeting.id,
        item_id: c.id,
        done: c.done ? 1 : 0,
        confirmed_by: c.confirmedBy ?? null,
        confirmed_at: c.confirmedAt ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["tenant_id", "meeting_id", "item_id"]).doUpdateSet((eb) => ({
        done: eb.ref("excluded.done"),
        confirmed_by: eb.ref("excluded.confirmed_by"),
        confirmed_at: eb.ref("excluded.confirmed_at"),
      })),
    )
    .execute();
}

/** A tenant's cleanup items (R-POST): e.g. everything still open, for reminders and the admin. */
export async function listCleanupItems(
  db: Db,
  tenantId: string,
  filter: { meetingId?: string; done?: boolean } = {},
): Promise<CleanupRecord[]> {
  requireTenant(tenantId, "listCleanupItems");
  let query = db.selectFrom("cleanup_items").selectAll().where("tenant_id", "=", tenantId);
  if (filter.meetingId) query = query.where("meeting_id", "=", filter.meetingId);
  if (filter.done !== undefined) query = query.where("done", "=", filter.done ? 1 : 0);
  const rows = await query.orderBy("meeting_id").orderBy("item_id").execute();
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    meetingId: r.meeting_id,
    itemId: r.item_id,
    done: r.done === 1,
    confirmedBy: r.confirmed_by,
    confirmedAt: r.confirmed_at,
  }));
}
