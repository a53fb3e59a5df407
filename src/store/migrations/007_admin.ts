import type { Kysely } from "kysely";

/** Admin accounts (per tenant, scrypt-hashed passwords) and their sessions (hashed ids). */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("admin_accounts")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("password_hash", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("admin_accounts_pk", ["tenant_id", "email"])
    .execute();
  await db.schema
    .createTable("admin_sessions")
    .addColumn("id_hash", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("email", "text", (c) => c.notNull())
    .addColumn("csrf", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("admin_sessions").ifExists().execute();
  await db.schema.dropTable("admin_accounts").ifExists().execute();
}
