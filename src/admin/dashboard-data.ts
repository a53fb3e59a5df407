import type { Meeting } from "../meetings/types.js";
import type { Db } from "../store/db.js";
import { monthRangeUtc } from "./time.js";

const DAY_MS = 24 * 3_600_000;

/** How long ago meetings with open clean-up items ended: the buckets the overview counts. */
export const overdueBuckets = [
  { id: "under-1d", upToDays: 1, text: ["1日未満", "under 1 day"] },
  { id: "1-3d", upToDays: 3, text: ["1〜3日", "1–3 days"] },
  { id: "3-7d", upToDays: 7, text: ["3〜7日", "3–7 days"] },
  { id: "over-7d", upToDays: Infinity, text: ["7日以上", "7 days or more"] },
] as const;

export interface OpenCleanup {
  meetingId: string;
  title: string | null;
  organizerId: string;
  endsAt: string | null;
  items: number;
  /** Since the meeting ended (0 when it has not, or its end is unknown). */
  overdueMs: number;
}

/** What the overview answers, for one Japan month and the tenant's state now. */
export interface Overview {
  month: string;
  meetings: {
    total: number;
    byTier: Map<string, number>;
    byService: Map<string, number>;
    /** Keyed `tier|service` ("none" where not known yet). */
    byTierService: Map<string, number>;
  };
  cleanups: { items: number; meetings: OpenCleanup[]; byBucket: Map<string, number> };
  refusals: {
    seq: number;
    at: string;
    meetingId: string | null;
    title: string | null;
    /** Who refused (kept beside the log as personal data; null once retention erased it). */
    personId: string | null;
  }[];
  approvals: { waiting: number; byKind: Map<string, number>; oldest: string | null };
  incidents: { total: number; byKind: Map<string, number> };
  escalations: { total: number; byReason: Map<string, number> };
}

const bump = (m: Map<string, number>, key: string) => m.set(key, (m.get(key) ?? 0) + 1);

const payloadOf = (text: string) => JSON.parse(text) as Record<string, unknown>;

/** Reads the overview from the tenant's rows only: meetings, clean-up items, approvals, the log. */
export async function readOverview(
  db: Db,
  tenantId: string,
  month: string,
  now: Date,
): Promise<Overview> {
  const { from, to } = monthRangeUtc(month);
  const meetings = (
    await db
      .selectFrom("meetings")
      .select("data")
      .where("tenant_id", "=", tenantId)
      .where("starts_at", ">=", from)
      .where("starts_at", "<", to)
      .execute()
  ).map((r) => JSON.parse(r.data) as Meeting);
  const byTier = new Map<string, number>();
  const byService = new Map<string, number>();
  const byTierService = new Map<string, number>();
  for (const m of meetings) {
    bump(byTier, m.tier ?? "none");
    bump(byService, m.plan?.service ?? "none");
    bump(byTierService, `${m.tier ?? "none"}|${m.plan?.service ?? "none"}`);
  }

  const open = await db
    .selectFrom("cleanup_items as c")
    .innerJoin("meetings as m", (j) =>
      j.onRef("m.tenant_id", "=", "c.tenant_id").onRef("m.id", "=", "c.meeting_id"),
    )
    .select(["c.meeting_id", "m.data"])
    .where("c.tenant_id", "=", tenantId)
    .where("c.done", "=", 0)
    .execute();
  const perMeeting = new Map<string, OpenCleanup>();
  for (const row of open) {
    const known = perMeeting.get(row.meeting_id);
    if (known) {
      known.items++;
      continue;
    }
    const m = JSON.parse(row.data) as Meeting;
    const ended = m.endsAt ? new Date(m.endsAt).getTime() : NaN;
    perMeeting.set(row.meeting_id, {
      meetingId: row.meeting_id,
      title: m.title ?? null,
      organizerId: m.organizerId,
      endsAt: m.endsAt ?? null,
      items: 1,
      overdueMs: Number.isNaN(ended) ? 0 : Math.max(0, now.getTime() - ended),
    });
  }
  const cleanupMeetings = [...perMeeting.values()].sort((a, b) => b.overdueMs - a.overdueMs);
  const byBucket = new Map<string, number>(overdueBuckets.map((b) => [b.id, 0]));
  for (const c of cleanupMeetings) {
    const days = c.overdueMs / DAY_MS;
    const bucket = overdueBuckets.find((b) => days < b.upToDays) ?? overdueBuckets[3];
    bump(byBucket, bucket.id);
  }

  const entries = await db
    .selectFrom("log_entries as e")
    .leftJoin("log_sensitive as p", (j) =>
      j.onRef("p.tenant_id", "=", "e.tenant_id").onRef("p.seq", "=", "e.seq"),
    )
    .select(["e.seq", "e.at", "e.meeting_id", "e.action", "e.payload", "p.data as personal"])
    .where("e.tenant_id", "=", tenantId)
    .where("e.at", ">=", from)
    .where("e.at", "<", to)
    .where("e.action", "in", ["consent.answered", "incident.reported", "meeting.escalated"])
    .orderBy("e.seq")
    .execute();
  const titles = new Map(meetings.map((m) => [m.id, m.title ?? null]));
  const refusals: Overview["refusals"] = [];
  const incidents = new Map<string, number>();
  const escalations = new Map<string, number>();
  for (const e of entries) {
    const p = payloadOf(e.payload);
    if (e.action === "consent.answered" && p.answer === "refuse")
      refusals.push({
        seq: e.seq,
        at: e.at,
        meetingId: e.meeting_id,
        title: null,
        personId: e.personal
          ? ((JSON.parse(e.personal) as { personId?: string }).personId ?? null)
          : null,
      });
    if (e.action === "incident.reported") bump(incidents, String(p.kind));
    if (e.action === "meeting.escalated") bump(escalations, String(p.reason));
  }
  for (const r of refusals) {
    if (!r.meetingId) continue;
    if (!titles.has(r.meetingId)) {
      const row = await db
        .selectFrom("meetings")
        .select("data")
        .where("tenant_id", "=", tenantId)
        .where("id", "=", r.meetingId)
        .executeTakeFirst();
      titles.set(r.meetingId, row ? ((JSON.parse(row.data) as Meeting).title ?? null) : null);
    }
    r.title = titles.get(r.meetingId) ?? null;
  }

  const pending = await db
    .selectFrom("approvals")
    .select(["kind", "requested_at"])
    .where("tenant_id", "=", tenantId)
    .where("status", "=", "pending")
    .orderBy("requested_at")
    .execute();
  const byKind = new Map<string, number>();
  for (const a of pending) bump(byKind, a.kind);

  const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
  return {
    month,
    meetings: { total: meetings.length, byTier, byService, byTierService },
    cleanups: { items: open.length, meetings: cleanupMeetings, byBucket },
    refusals,
    approvals: { waiting: pending.length, byKind, oldest: pending[0]?.requested_at ?? null },
    incidents: { total: sum(incidents), byKind: incidents },
    escalations: { total: sum(escalations), byReason: escalations },
  };
}
