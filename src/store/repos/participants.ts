import type { Meeting } from "../../meetings/types.js";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

export interface ParticipantRecord {
  tenantId: string;
  meetingId: string;
  personId: string;
  displayName: string | null;
  invited: boolean;
  joinedAt: string | null;
  leftAt: string | null;
}

/** A participant as the platform reported them (R-ADMIT, R-ATT); later reports fill in times. */
export async function upsertParticipant(
  trx: Db,
  tenantId: string,
  p: Omit<ParticipantRecord, "tenantId" | "joinedAt" | "leftAt"> & {
    joinedAt?: string;
    leftAt?: string;
  },
): Promise<void> {
  requireTenant(tenantId, "upsertParticipant");
  const values = {
    display_name: p.displayName,
    invited: p.invited ? 1 : 0,
    ...(p.joinedAt ? { joined_at: p.joinedAt } : {}),
    ...(p.leftAt ? { left_at: p.leftAt } : {}),
  };
  await trx
    .insertInto("participants")
    .values({
      tenant_id: tenantId,
      meeting_id: p.meetingId,
      person_id: p.personId,
      joined_at: null,
      left_at: null,
      ...values,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "meeting_id", "person_id"]).doUpdateSet(values))
    .execute();
}

/** Keeps the participants table (attendance, R-ATT) in step with the meeting, in its transaction. */
export async function syncParticipants(trx: Db, meeting: Meeting): Promise<void> {
  for (const p of meeting.participants ?? []) {
    await upsertParticipant(trx, meeting.tenantId, {
      meetingId: meeting.id,
      personId: p.id,
      displayName: p.name ?? null,
      invited: p.invited,
      joinedAt: p.joinedAt,
      ...(p.leftAt ? { leftAt: p.leftAt } : {}),
    });
  }
}

export async function listParticipants(
  db: Db,
  tenantId: string,
  meetingId: string,
): Promise<ParticipantRecord[]> {
  requireTenant(tenantId, "listParticipants");
  const rows = await db
    .selectFrom("participants")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("meeting_id", "=", meetingId)
    .orderBy("person_id")
    .execute();
  return rows.map((r) => ({
    tenantId: r.tenant_id,
    meetingId: r.meeting_id,
    personId: r.person_id,
    displayName: r.display_name,
    invited: r.invited === 1,
    joinedAt: r.joined_at,
    leftAt: r.left_at,
  }));
}

export interface ConsentAnswer {
  meetingId: string;
  /** The authenticated sender of the answer, never a name from the card data (R-REC 2). */
  personId: string;
  answer: "agree" | "refuse";
  cardVersion: number;
  at: string;
}

/** Records a consent answer; every answer is kept, the latest per person counts. */
export async function recordConsent(trx: Db, tenantId: string, c: ConsentAnswer): Promise<void> {
  requireTenant(tenantId, "recordConsent");
  await trx
    .insertInto("consent_answers")
    .values({
      tenant_id: tenantId,
      meeting_id: c.meetingId,
      person_id: c.personId,
      answer: c.answer,
      card_version: c.cardVersion,
      at: c.at,
    })
    .execute();
}

/** Each person's latest answer for the meeting. */
export async function latestConsents(
  db: Db,
  tenantId: string,
  meetingId: string,
): Promise<ConsentAnswer[]> {
  requireTenant(tenantId, "latestConsents");
  const rows = await db
    .selectFrom("consent_answers")
    .select(["meeting_id", "person_id", "answer", "card_version", "at"])
    .where("tenant_id", "=", tenantId)
    .where("meeting_id", "=", meetingId)
    .orderBy("id")
    .execute();
  const latest = new Map(rows.map((r) => [r.person_id, r]));
  return [...latest.values()]
    .map((r) => ({
      meetingId: r.meeting_id,
      personId: r.person_id,
      answer: r.answer as ConsentAnswer["answer"],
      cardVersion: r.card_version,
      at: r.at,
    }))
    .sort((a, b) => (a.personId < b.personId ? -1 : a.personId > b.personId ? 1 : 0));
}
