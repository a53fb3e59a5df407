import { CompiledQuery, SqliteAdapter } from "kysely";
import type { Meeting } from "../../meetings/types.js";
import { precompiled } from "../compiled.js";
import type { Db, OnCommit } from "../db.js";
import { requireTenant } from "../errors.js";
import { groupScope } from "../group-scope.js";
import { syncApprovals } from "./approvals.js";
import { syncCleanupItems } from "./cleanup.js";
import { syncJoinLink } from "./links.js";
import { syncParticipants } from "./participants.js";
import { verdictForStorage, withVerdict } from "./verdicts.js";

/* Meetings: the lifecycle's plain data as JSON, with state and organizer as columns to query. */
const meetingData = precompiled((db: Db, tenantId: string, id: string) =>
  db.selectFrom("meetings").select("data").where("tenant_id", "=", tenantId).where("id", "=", id),
);

/** A meeting's row as saveMeeting writes it, after the database handle. */
type MeetingRow = [
  tenantId: string,
  id: string,
  state: string,
  organizerId: string,
  startsAt: string | null,
  data: string,
  updatedAt: string,
];
const columns = (...[, , state, organizerId, startsAt, data, updatedAt]: MeetingRow) => ({
  state,
  organizer_id: organizerId,
  starts_at: startsAt,
  data,
  updated_at: updatedAt,
});

// The update takes the row's new values from `excluded`, not as parameters again: in a group,
// several meetings' upserts then go as one insert of several rows (deferred-batch.ts).
const upsertMeeting = precompiled(
  (db: Db, ...row: MeetingRow) =>
    db
      .insertInto("meetings")
      .values({ tenant_id: row[0], id: row[1], version: 1, ...columns(...row) })
      .onConflict((oc) =>
        oc.columns(["tenant_id", "id"]).doUpdateSet((eb) => ({
          state: eb.ref("excluded.state"),
          organizer_id: eb.ref("excluded.organizer_id"),
          starts_at: eb.ref("excluded.starts_at"),
          data: eb.ref("excluded.data"),
          updated_at: eb.ref("excluded.updated_at"),
          version: eb("meetings.version", "+", 1),
        })),
      ),
  { defer: "meetings", rows: { key: [0, 1] } },
);

const updateMeeting = precompiled((db: Db, ...row: MeetingRow) =>
  db
    .updateTable("meetings")
    .set((eb) => ({ ...columns(...row), version: eb("meetings.version", "+", 1) }))
    .where("tenant_id", "=", row[0])
    .where("id", "=", row[1]),
);

/**
 * Writes the meeting (insert or update, version + 1) and keeps its approvals and cleanup items
 * in step, all in the caller's transaction.
 */
export async function saveMeeting(
  trx: Db,
  meeting: Meeting,
  at: Date,
  previous?: Meeting,
  onCommit?: OnCommit,
): Promise<void> {
  requireTenant(meeting.tenantId, "saveMeeting");
  const verdict = await verdictForStorage(trx, meeting, onCommit);
  const updatedAt = at.toISOString();
  const row = [
    trx,
    meeting.tenantId,
    meeting.id,
    meeting.state,
    meeting.organizerId,
    meeting.startsAt ?? null,
    JSON.stringify(verdict === undefined ? meeting : { ...meeting, verdict }),
    updatedAt,
  ] as const;
  // A meeting loaded in this transaction is there to update: a plain UPDATE costs SQLite less
  // than an insert that conflicts. Should it be gone after all, the upsert writes it. PostgreSQL
  // always upserts, as a write that waits to go with the transaction's others (its count unread).
  const sqlite = trx.getExecutor().adapter instanceof SqliteAdapter;
  const updated = previous && sqlite ? (await updateMeeting(...row)).numAffectedRows : undefined;
  if (updated === undefined || updated === 0n) await upsertMeeting(...row);
  groupScope(trx)?.savedMeetings.add(meetingKey(meeting.tenantId, meeting.id));
  // The tables beside the JSON are rewritten only when their part changed (most events touch none).
  // The lifecycle returns new objects for what it changes and keeps the rest: the same object is
  // unchanged, and only two different ones need comparing.
  const changed = (part: (m: Meeting) => unknown) => {
    if (!previous) return true;
    const before = part(previous);
    const after = part(meeting);
    return before !== after && JSON.stringify(before) !== JSON.stringify(after);
  };
  if (changed((m) => m.approvals)) await syncApprovals(trx, meeting, updatedAt);
  if (changed((m) => m.cleanup)) await syncCleanupItems(trx, meeting);
  if (changed((m) => m.platformMeeting)) await syncJoinLink(trx, meeting);
  if (changed((m) => m.participants)) await syncParticipants(trx, meeting);
}

export async function listMeetings(
  db: Db,
  tenantId: string,
  filter: { state?: string } = {},
): Promise<Meeting[]> {
  requireTenant(tenantId, "listMeetings");
  let query = db.selectFrom("meetings").select("data").where("tenant_id", "=", tenantId);
  if (filter.state) query = query.where("state", "=", filter.state);
  const rows = await query.orderBy("starts_at").execute();
  return Promise.all(rows.map((r) => withVerdict(db, JSON.parse(r.data) as Meeting)));
}

const insertEvent = precompiled((db: Db, tenantId: string, eventId: string, at: string) =>
  db
    .insertInto("processed_events")
    .values({ tenant_id: tenantId, event_id: eventId, at })
    .onConflict((oc) => oc.columns(["tenant_id", "event_id"]).doNothing()),
);

/** Records an inbound event id; false when the tenant has seen it before (idempotent handling). */
export async function claimEvent(
  trx: Db,
  tenantId: string,
  eventId: string,
  at: Date,
): Promise<boolean> {
  requireTenant(tenantId, "claimEvent");
  const res = await insertEvent(trx, tenantId, eventId, at.toISOString());
  return Number(res.numAffectedRows ?? 0n) > 0;
}

/**
 * One inbound event's first step: records its id (as claimEvent) and loads its meeting, locked
 * until the transaction ends. PostgreSQL does both in one statement (the load FOR UPDATE), a
 * round trip fewer per turn; the meeting is then read and locked even for a duplicate, which
 * changes nothing. SQLite runs the two in-process, where a round trip costs nothing, and its
 * transaction holds the write lock already.
 */
export async function claimEventAndLoad(
  trx: Db,
  dialect: "sqlite" | "postgres",
  at: Date,
  { tenantId, eventId, meetingId }: { tenantId: string; eventId: string; meetingId: string },
): Promise<{ claimed: boolean; meeting: Meeting | undefined }> {
  requireTenant(tenantId, "claimEventAndLoad");
  if (dialect === "sqlite") {
    if (!(await claimEvent(trx, tenantId, eventId, at)))
      return { claimed: false, meeting: undefined };
    return { claimed: true, meeting: await readMeeting(trx, tenantId, meetingId) };
  }
  // Claimed ahead with the rest of its group (claim-ahead.ts): taken out, so it is used once.
  const scope = groupScope(trx);
  const ahead = scope?.claimed.get(eventId);
  if (ahead) scope?.claimed.delete(eventId);
  const row =
    ahead ??
    (
      await trx.executeQuery<{ claimed: boolean; data: string | null }>(
        CompiledQuery.raw(CLAIM_AND_LOAD, [tenantId, eventId, at.toISOString(), meetingId]),
      )
    ).rows[0];
  if (!row?.claimed) return { claimed: false, meeting: undefined };
  // Saved by an earlier transaction of the group since: read again (its write goes first).
  if (ahead && scope?.savedMeetings.has(meetingKey(tenantId, meetingId)))
    return { claimed: true, meeting: await readMeeting(trx, tenantId, meetingId) };
  return {
    claimed: true,
    meeting:
      row.data === null ? undefined : await withVerdict(trx, JSON.parse(row.data) as Meeting),
  };
}

const meetingKey = (tenantId: string, id: string) => `${tenantId}\u0000${id}`;
const CLAIM_AND_LOAD = `with claimed as (
  insert into processed_events (tenant_id, event_id, at) values ($1, $2, $3)
  on conflict (tenant_id, event_id) do nothing returning 1
)
select exists (select 1 from claimed) as claimed,
  (select data from meetings where tenant_id = $1 and id = $4 for update) as data`;

/** Reads a meeting without locking it: for deliveries and pages (and SQLite's claimEventAndLoad). */
export async function readMeeting(
  db: Db,
  tenantId: string,
  id: string,
): Promise<Meeting | undefined> {
  requireTenant(tenantId, "readMeeting");
  const row = (await meetingData(db, tenantId, id)).rows[0];
  return row ? withVerdict(db, JSON.parse(row.data) as Meeting) : undefined;
}
