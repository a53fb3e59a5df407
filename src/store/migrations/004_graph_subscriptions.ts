import type { Kysely } from "kysely";

/**
 * Microsoft Graph change-notification subscriptions on organizers' calendars: one per person,
 * with the secret `clientState` Graph echoes in every notification and the expiry to renew before.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("graph_subscriptions")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("subscription_id", "text", (c) => c.notNull().unique())
    .addColumn("client_state", "text", (c) => c.notNull())
    .addColumn("resource", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("graph_subscriptions_pk", ["tenant_id", "person_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("graph_subscriptions").ifExists().execute();
}
