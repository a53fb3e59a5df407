import type { Kysely } from "kysely";

/**
 * A tenant's own policy layer (R-TEN 2: the municipality layer, with its directory of approvers
 * and incident contacts), every upload kept as a version; and the platform identity an admin
 * answers approvals as in the console (R-EXT 1: the approver the directory names).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("tenant_policy_layers")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.notNull())
    .addColumn("uploaded_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("tenant_policy_layers_pk", ["tenant_id", "version"])
    .execute();
  await db.schema.alterTable("admin_accounts").addColumn("identity", "text").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("admin_accounts").dropColumn("identity").execute();
  await db.schema.dropTable("tenant_policy_layers").ifExists().execute();
}
