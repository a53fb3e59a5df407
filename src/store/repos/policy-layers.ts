import { createHash } from "node:crypto";
import type { Selectable } from "kysely";
import type { Db } from "../db.js";
import type { Tables } from "../schema.js";
import { requireTenant } from "../errors.js";

export interface PolicyLayerVersion {
  tenantId: string;
  version: number;
  source: string;
  sha256: string;
  uploadedBy: string;
  uploadedAt: string;
}

const toVersion = (r: Selectable<Tables["tenant_policy_layers"]>): PolicyLayerVersion => ({
  tenantId: r.tenant_id,
  version: r.version,
  source: r.source,
  sha256: r.sha256,
  uploadedBy: r.uploaded_by,
  uploadedAt: r.uploaded_at,
});

/** The newest layer of every tenant that has one (what each instance lays over the base). */
export async function currentPolicyLayers(db: Db): Promise<PolicyLayerVersion[]> {
  const rows = await db
    .selectFrom("tenant_policy_layers as l")
    .selectAll("l")
    .where((eb) =>
      eb(
        "l.version",
        "=",
        eb
          .selectFrom("tenant_policy_layers as m")
          .select(({ fn }) => fn.max("m.version").as("v"))
          .whereRef("m.tenant_id", "=", "l.tenant_id"),
      ),
    )
    .execute();
  return rows.map(toVersion);
}

/** A tenant's uploads, newest first. */
export async function policyLayerHistory(db: Db, tenantId: string): Promise<PolicyLayerVersion[]> {
  requireTenant(tenantId, "policyLayerHistory");
  const rows = await db
    .selectFrom("tenant_policy_layers")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .orderBy("version", "desc")
    .execute();
  return rows.map(toVersion);
}

/**
 * Stores a new version, only if the tenant's newest is still `after` (0: none yet) — two admins
 * uploading at once cannot overwrite each other unseen. Returns the new version, or undefined.
 */
export async function savePolicyLayer(
  trx: Db,
  tenantId: string,
  after: number,
  source: string,
  uploadedBy: string,
  at: Date,
): Promise<PolicyLayerVersion | undefined> {
  requireTenant(tenantId, "savePolicyLayer");
  const newest = await trx
    .selectFrom("tenant_policy_layers")
    .select(({ fn }) => fn.max("version").as("v"))
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  if ((newest?.v ?? 0) !== after) return undefined;
  const row = {
    tenant_id: tenantId,
    version: after + 1,
    source,
    sha256: createHash("sha256").update(source).digest("hex"),
    uploaded_by: uploadedBy,
    uploaded_at: at.toISOString(),
  };
  // The primary key refuses a concurrent insert of the same version on PostgreSQL too.
  await trx.insertInto("tenant_policy_layers").values(row).execute();
  return toVersion(row);
}
