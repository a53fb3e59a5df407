import type { Kysely } from "kysely";

/**
 * Verdicts, kept once per tenant by content hash and referenced from meeting documents as
 * `{"$verdict": id}`: the same plan under the same policy gives the same verdict, so most
 * meetings share a few. A meeting document shrinks from about 3 KB (7 KB before 009) to about
 * 600 bytes, and writing it no longer walks the verdict (npm run bench:teams). Meetings written
 * before keep their verdict inline, or with its texts in verdict_texts (009), and still load.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("verdicts")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("verdicts_pk", ["tenant_id", "id"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("verdicts").ifExists().execute();
}
