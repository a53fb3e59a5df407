import type { Kysely } from "kysely";

/**
 * How a platform's own ids lead to a meeting: the join URL (known once the meeting is created or
 * caught) and the platform's meeting id (learned from its first event), per tenant.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("meeting_links")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("external_id", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("meeting_links_pk", ["tenant_id", "kind", "external_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("meeting_links").ifExists().execute();
}
