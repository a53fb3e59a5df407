import type { Kysely } from "kysely";

/**
 * Approvals (R-EXT, R-PII, R-TIER 2) and cleanup items (R-POST) as rows of their own, kept in step
 * with the meeting by saveMeeting, so an approver's queue and the open cleanup work of a tenant
 * are queries rather than scans of every meeting's JSON.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("approvals")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("requested_by", "text", (c) => c.notNull())
    .addColumn("requested_at", "text", (c) => c.notNull())
    .addColumn("decided_by", "text")
    .addColumn("decided_at", "text")
    .addColumn("reason", "text")
    .addPrimaryKeyConstraint("approvals_pk", ["tenant_id", "meeting_id", "kind"])
    .execute();
  await db.schema
    .createIndex("approvals_status")
    .on("approvals")
    .columns(["tenant_id", "status"])
    .execute();
  await db.schema
    .createTable("cleanup_items")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text", (c) => c.notNull())
    .addColumn("item_id", "text", (c) => c.notNull())
    .addColumn("done", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("confirmed_by", "text")
    .addColumn("confirmed_at", "text")
    .addPrimaryKeyConstraint("cleanup_items_pk", ["tenant_id", "meeting_id", "item_id"])
    .execute();
  await db.schema
    .createIndex("cleanup_items_open")
    .on("cleanup_items")
    .columns(["tenant_id", "done"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("cleanup_items").ifExists().execute();
  await db.schema.dropTable("approvals").ifExists().execute();
}
