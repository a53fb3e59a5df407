import type { Kysely } from "kysely";

/**
 * Cards the bot sent and to whom, where the channel lets anyone in a space answer a card (Webex):
 * an answer from someone other than the addressee is refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("sent_cards")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("message_id", "text", (c) => c.notNull())
    .addColumn("addressee", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text")
    .addColumn("sent_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("sent_cards_pk", ["tenant_id", "message_id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("sent_cards").ifExists().execute();
}
