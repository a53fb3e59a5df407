import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

/** Participants of a meeting, as the platform reported them (R-ADMIT, R-ATT). */
export async function upsertParticipant(
  trx: Db,
  p: {
    tenantId: string;
    meetingId: string;
    personId: string;
    displayName: string | null;
    invited: boolean;
    joinedAt?: string;
    leftAt?: string;
  },
): Promise<void> {
  requireTenant(p.tenantId, "upsertParticipant");
  const values = {
    display_name: p.displayName,
    invited: p.invited ? 1 : 0,
    ...(p.joinedAt ? { joined_at: p.joinedAt } : {}),
    ...(p.leftAt ? { left_at: p.leftAt } : {}),
  };
  await trx
    .insertInto("participants")
    .values({
      tenant_id: p.tenantId,
      meeting_id: p.meetingId,
      person_id: p.personId,
      joined_at: null,
      left_at: null,
      ...values,
    })
    .onConflict((oc) => oc.columns(["tenant_id", "meeting_id", "person_id"]).doUpdateSet(values))
    .execute();
}

export async function listParticipants(db: Db, tenantId: string, meetingId: string) {
  requireTenant(tenantId, "listParticipants");
  return db
    .selectFrom("participants")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .where("meeting_id", "=", meetingId)
    .orderBy("person_id")
    .execute();
}

/** A consent answer, bound to the authenticated person and the card version shown (R-REC 2). */
export async function recordConsent(
  trx: Db,
  c: {
    tenantId: string;
    meetingId: string;
    personId: string;
    answer: "agree" | "refuse";
    cardVersion: number;
    at: string;
  },
): Promise<void> {
  requireTenant(c.tenantId, "recordConsent");
  await trx
    .insertInto("consent_answers")
    .values({
      tenant_id: c.tenantId,
      meeting_id: c.meetingId,
      person_id: c.personId,
      answer: c.answer,
      card_version: c.cardVersion,
      at: c.at,
    })
    .execute();
}

export async function latestConsents(db: Db, tenantId: string, meetingId: string) {
  requireTenant(tenantId, "latestConsents");
  const rows = await db
    .selectFrom("consent_answers")
    .select(["person_id", "answer", "card_version", "at", "id"])
    .where("tenant_id", "=", tenantId)
    .where("meeting_id", "=", meetingId)
    .orderBy("id")
    .execute();
  return [...new Map(rows.map((r) => [r.person_id, r])).values()];
}

/** Department devices and their logbook (R-DEV, KWS 要綱第5条(3), MWG 7(1)). */
export async function addDevice(
  trx: Db,
  d: { tenantId: string; id: string; label: string; department: string },
): Promise<void> {
  requireTenant(d.tenantId, "addDevice");
  await trx
    .insertInto("devices")
    .values({
      tenant_id: d.tenantId,
      id: d.id,
      label: d.label,
      department: d.department,
      retired: 0,
    })
    .execute();
}

export async function recordDeviceUse(
  trx: Db,
  u: {
    tenantId: string;
    deviceId: string;
    meetingId: string | null;
    department: string;
    userName: string;
    usedFrom: string;
    usedTo: string | null;
  },
): Promise<void> {
  requireTenant(u.tenantId, "recordDeviceUse");
  await trx
    .insertInto("device_uses")
    .values({
      tenant_id: u.tenantId,
      device_id: u.deviceId,
      meeting_id: u.meetingId,
      department: u.department,
      user_name: u.userName,
      used_from: u.usedFrom,
      used_to: u.usedTo,
    })
    .execute();
}

export async function deviceLogbook(db: Db, tenantId: string) {
  requireTenant(tenantId, "deviceLogbook");
  return db
    .selectFrom("device_uses as u")
    .innerJoin("devices as d", (j) =>
      j.onRef("d.tenant_id", "=", "u.tenant_id").onRef("d.id", "=", "u.device_id"),
    )
    .select([
      "u.device_id",
      "d.label",
      "u.department",
      "u.user_name",
      "u.used_from",
      "u.used_to",
      "u.meeting_id",
    ])
    .where("u.tenant_id", "=", tenantId)
    .orderBy("u.used_from")
    .execute();
}

export async function upsertTenant(
  trx: Db,
  t: { id: string; name: string; policyRef: string; createdAt: string },
): Promise<void> {
  requireTenant(t.id, "upsertTenant");
  await trx
    .insertInto("tenants")
    .values({ id: t.id, name: t.name, policy_ref: t.policyRef, created_at: t.createdAt })
    .onConflict((oc) => oc.column("id").doUpdateSet({ name: t.name, policy_ref: t.policyRef }))
    .execute();
}
