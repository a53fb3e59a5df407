import type { Meeting } from "../../meetings/types.js";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

export interface ApprovalRecord {
  tenantId: string;
  meetingId: string;
  kind: string;
  status: "pending" | "approved" | "refused";
  requestedBy: string;
  requestedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

/**
 * Mirrors a meeting's approvals into their table, in the caller's transaction (saveMeeting does
 * it). The first time an approval is seen is when it was requested.
 */
export async function syncApprovals(trx: Db, meeting: Meeting, at: string): Promise<void> {
  requireTenant(meeting.tenantId, "syncApprovals");
  const byKind = new Map(meeting.approvals.map((a) => [a.kind, a]));
  let stale = trx
    .deleteFrom("approvals")
    .where("tenant_id", "=", meeting.tenantId)
    .where("meeting_id", "=", meeting.id);
  if (byKind.size > 0) stale = stale.where("kind", "not in", [...byKind.keys()]);
  await stale.execute();
  if (byKind.size === 0) return;
  await trx
    .insertInto("approvals")
    .values(
      [...byKind.values()].map((a) => ({
        tenant_id: meeting.tenantId,
        meeting_id: meeting.id,
        kind: a.kind,
        status: a.status,
        requested_by: meeting.organizerId,
        requested_at: at,
        decided_by: a.decidedBy ?? null,
        decided_at: a.decidedAt ?? null,
        reason: a.reason ?? null,
      })),
    )
    .onConflict((oc) =>
      oc.columns(["tenant_id", "meeting_id", "kind"]).doUpdateSet((eb) => ({
        status: eb.ref("excluded.status"),
        decided_by: eb.ref("excluded.decided_by"),
        decided_at: eb.ref("excluded.decided_at"),
        reason: eb.ref("excluded.reason"),
      })),
    )
    .execute();
}

/** A tenant's approvals, e.g. the pending queue an approver works through, oldest first. */
export async function listApprovals(
  db: Db,
  tenantId: string,
  filter: { status?: ApprovalRecord["status"]; meetingId?: string } = {},
): Promise<ApprovalRecord[]> {
  requireTenant(tenantId, "listApprovals");
  let query = db.selectFrom("approvals").selectAll().where("tenant_id", "=", tenantId);
  if (filter.status) query = query.where("status", "=", filter.status);
  if (filter.meetingId) query = query.where("meeting_id", "=", filter.meetingId);
  const rows = await query.orderBy("requested_at").orderBy("meeting_id").orderBy("kind").execute();
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    meetingId: r.meeting_id,
    kind: r.kind,
    status: r.status as ApprovalRecord["status"],
    requestedBy: r.requested_by,
    requestedAt: r.requested_at,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    reason: r.reason,
  }));
}
