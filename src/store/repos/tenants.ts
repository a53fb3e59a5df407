import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

export interface TenantRecord {
  id: string;
  name: string;
  /** Which policy (preset name or file) the tenant runs under. */
  policyRef: string;
  createdAt: string;
}

/** A municipality served by this deployment (R-TEN); its id is the platform's tenant / org id. */
export async function upsertTenant(trx: Db, t: TenantRecord): Promise<void> {
  requireTenant(t.id, "upsertTenant");
  await trx
    .insertInto("tenants")
    .values({ id: t.id, name: t.name, policy_ref: t.policyRef, created_at: t.createdAt })
    .onConflict((oc) => oc.column("id").doUpdateSet({ name: t.name, policy_ref: t.policyRef }))
    .execute();
}

export async function getTenant(db: Db, tenantId: string): Promise<TenantRecord | undefined> {
  requireTenant(tenantId, "getTenant");
  const row = await db
    .selectFrom("tenants")
    .selectAll()
    .where("id", "=", tenantId)
    .executeTakeFirst();
  return (
    row && { id: row.id, name: row.name, policyRef: row.policy_ref, createdAt: row.created_at }
  );
}
