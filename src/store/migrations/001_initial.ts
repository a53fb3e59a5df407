import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

/** An auto-numbered key: identity on PostgreSQL, rowid alias on SQLite. */
function autoId(db: Kysely<unknown>) {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  return (c: ColumnDefinitionBuilder) =>
    postgres ? c.primaryKey().generatedAlwaysAsIdentity() : c.primaryKey().autoIncrement();
}

/** Everything the bot keeps. Integers for booleans so both dialects read them alike. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("tenants")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("policy_ref", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("meetings")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("organizer_id", "text", (c) => c.notNull())
    .addColumn("starts_at", "text")
    .addColumn("data", "text", (c) => c.notNull())
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("meetings_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createIndex("meetings_state")
    .on("meetings")
    .columns(["tenant_id", "state"])
    .execute();
  await db.schema
    .createTable("processed_events")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("processed_events_pk", ["tenant_id", "event_id"])
    .execute();
  await db.schema
    .createTable("participants")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("display_name", "text")
    .addColumn("invited", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("joined_at", "text")
    .addColumn("left_at", "text")
    .addPrimaryKeyConstraint("participants_pk", ["tenant_id", "meeting_id", "person_id"])
    .execute();
  await db.schema
    .createTable("consent_answers")
    .addColumn("id", "integer", autoId(db))
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text", (c) => c.notNull())
    .addColumn("person_id", "text", (c) => c.notNull())
    .addColumn("answer", "text", (c) => c.notNull())
    .addColumn("card_version", "integer", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("devices")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("label", "text", (c) => c.notNull())
    .addColumn("department", "text", (c) => c.notNull())
    .addColumn("retired", "integer", (c) => c.notNull().defaultTo(0))
    .addPrimaryKeyConstraint("devices_pk", ["tenant_id", "id"])
    .execute();
  await db.schema
    .createTable("device_uses")
    .addColumn("id", "integer", autoId(db))
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("device_id", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text")
    .addColumn("department", "text", (c) => c.notNull())
    .addColumn("user_name", "text", (c) => c.notNull())
    .addColumn("used_from", "text", (c) => c.notNull())
    .addColumn("used_to", "text")
    .execute();
  await db.schema
    .createTable("log_entries")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("meeting_id", "text")
    .addColumn("actor", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("sensitive_hash", "text")
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("prev_hash", "text", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("log_entries_pk", ["tenant_id", "seq"])
    .execute();
  await db.schema
    .createIndex("log_entries_meeting")
    .on("log_entries")
    .columns(["tenant_id", "meeting_id"])
    .execute();
  await db.schema
    .createTable("log_sensitive")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("salt", "text", (c) => c.notNull())
    .addColumn("data", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("log_sensitive_pk", ["tenant_id", "seq"])
    .execute();
  await db.schema
    .createTable("log_heads")
    .addColumn("tenant_id", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createTable("log_checkpoints")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("seq", "bigint", (c) => c.notNull())
    .addColumn("hash", "text", (c) => c.notNull())
    .addColumn("at", "text", (c) => c.notNull())
    .addColumn("signature", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("log_checkpoints_pk", ["tenant_id", "seq"])
    .execute();
  await db.schema
    .createTable("outbox")
    .addColumn("id", "integer", autoId(db))
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("idempotency_key", "text", (c) => c.notNull().unique())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("state", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("next_attempt_at", "text", (c) => c.notNull())
    .addColumn("locked_until", "text")
    .addColumn("last_error", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("delivered_at", "text")
    .execute();
  await db.schema
    .createIndex("outbox_due")
    .on("outbox")
    .columns(["state", "next_attempt_at"])
    .execute();
  await db.schema
    .createTable("timers")
    .addColumn("id", "integer", autoId(db))
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("run_at", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("locked_by", "text")
    .addColumn("locked_until", "text")
    .addColumn("last_error", "text")
    .addUniqueConstraint("timers_key", ["tenant_id", "key"])
    .execute();
  await db.schema.createIndex("timers_due").on("timers").columns(["run_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    "timers",
    "outbox",
    "log_checkpoints",
    "log_heads",
    "log_sensitive",
    "log_entries",
    "device_uses",
    "devices",
    "consent_answers",
    "participants",
    "processed_events",
    "meetings",
    "tenants",
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
