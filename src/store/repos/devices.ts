import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

export interface DeviceRecord {
  id: string;
  label: string;
  department: string;
  retired: boolean;
}

/** One line of the 使用管理簿 / 運用管理簿 (R-DEV; KWS 要綱第5条(3), MWG 7(1)). */
export interface DeviceUse {
  id: number;
  deviceId: string;
  deviceLabel: string;
  meetingId: string | null;
  department: string;
  userName: string;
  usedFrom: string;
  usedTo: string | null;
}

/** A department device (tablet, mobile Wi-Fi router); registering it again updates it. */
export async function upsertDevice(
  trx: Db,
  tenantId: string,
  d: Omit<DeviceRecord, "retired">,
): Promise<void> {
  requireTenant(tenantId, "upsertDevice");
  await trx
    .insertInto("devices")
    .values({ tenant_id: tenantId, id: d.id, label: d.label, department: d.department, retired: 0 })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "id"]).doUpdateSet({ label: d.label, department: d.department }),
    )
    .execute();
}

export async function listDevices(db: Db, tenantId: string): Promise<DeviceRecord[]> {
  requireTenant(tenantId, "listDevices");
  const rows = await db
    .selectFrom("devices")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("id")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    label: r.label,
    department: r.department,
    retired: r.retired === 1,
  }));
}

/** Starts (or records) a use of a device; returns the logbook line's id. */
export async function recordDeviceUse(
  trx: Db,
  tenantId: string,
  u: Omit<DeviceUse, "id" | "deviceLabel">,
): Promise<number> {
  requireTenant(tenantId, "recordDeviceUse");
  const row = await trx
    .insertInto("device_uses")
    .values({
      tenant_id: tenantId,
      device_id: u.deviceId,
      meeting_id: u.meetingId,
      department: u.department,
      user_name: u.userName,
      used_from: u.usedFrom,
      used_to: u.usedTo,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Closes an open logbook line; false when there is no such open line in this tenant. */
export async function finishDeviceUse(
  trx: Db,
  tenantId: string,
  useId: number,
  usedTo: string,
): Promise<boolean> {
  requireTenant(tenantId, "finishDeviceUse");
  const res = await trx
    .updateTable("device_uses")
    .set({ used_to: usedTo })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", useId)
    .where("used_to", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/** The logbook in time order, for one device or all of them (exported as the 使用管理簿). */
export async function deviceLogbook(
  db: Db,
  tenantId: string,
  filter: { deviceId?: string } = {},
): Promise<DeviceUse[]> {
  requireTenant(tenantId, "deviceLogbook");
  let query = db
    .selectFrom("device_uses as u")
    .innerJoin("devices as d", (j) =>
      j.onRef("d.tenant_id", "=", "u.tenant_id").onRef("d.id", "=", "u.device_id"),
    )
    .select([
      "u.id",
      "u.device_id",
      "d.label",
      "u.meeting_id",
      "u.department",
      "u.user_name",
      "u.used_from",
      "u.used_to",
    ])
    .where("u.tenant_id", "=", tenantId);
  if (filter.deviceId) query = query.where("u.device_id", "=", filter.deviceId);
  const rows = await query.orderBy("u.used_from").orderBy("u.id").execute();
  return rows.map((r) => ({
    id: r.id,
    deviceId: r.device_id,
    deviceLabel: r.label,
    meetingId: r.meeting_id,
    department: r.department,
    userName: r.user_name,
    usedFrom: r.used_from,
    usedTo: r.used_to,
  }));
}

/** Takes a device out of use (kept in the logbook); false when the tenant has no such device. */
export async function retireDevice(trx: Db, tenantId: string, id: string): Promise<boolean> {
  requireTenant(tenantId, "retireDevice");
  const res = await trx
    .updateTable("devices")
    .set({ retired: 1 })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
