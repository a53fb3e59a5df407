import type { Kysely } from "kysely";

/**
 * Where the bot can reach a person proactively: the platform's conversation reference for the
 * person's personal chat with the bot, saved whenever they write to it (Teams) or are messaged.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("conversations")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("channel", "text", (c) => c.notNull())
    .addColumn("reference", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("conversations_pk", ["tenant_id", "person_id", "channel"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("conversations").ifExists().execute();
}
