import type { Kysely } from "kysely";

/**
 * The texts of verdicts (Japanese and English, with their citations inside), kept once per tenant
 * by content hash and referenced from meeting documents: a verdict is mostly these texts, and
 * writing them with every change of the meeting made a tier answer cost a third more CPU
 * (npm run bench:teams). A meeting written before this keeps its texts inline and still loads.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("verdict_texts")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("ja", "text", (c) => c.notNull())
    .addColumn("en", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("verdict_texts_pk", ["tenant_id", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("verdict_texts").ifExists().execute();
}
