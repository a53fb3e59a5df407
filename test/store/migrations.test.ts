import { Migrator, NO_MIGRATIONS, sql } from "kysely";
import { expect, it } from "vitest";
import { migrationProvider, migrations } from "../../src/store/migrations/index.js";
import { forEachDialect } from "./_util.js";

const tables = [
  "admin_accounts",
  "admin_sessions",
  "approvals",
  "cleanup_items",
  "consent_answers",
  "conversations",
  "device_uses",
  "devices",
  "graph_subscriptions",
  "log_checkpoints",
  "log_entries",
  "log_heads",
  "log_sensitive",
  "meeting_links",
  "meetings",
  "outbox",
  "participants",
  "processed_events",
  "sent_cards",
  "tenant_policy_layers",
  "tenants",
  "timers",
  "verdict_texts",
  "verdicts",
];

it("every migration is a TypeScript module with up and down, named NNN_name, in order", () => {
  const names = Object.keys(migrations);
  expect(names).toEqual([...names].sort());
  for (const [name, m] of Object.entries(migrations)) {
    expect(name).toMatch(/^\d{3}_[a-z0-9_]+$/);
    expect(typeof m.up).toBe("function");
    expect(typeof m.down).toBe("function");
  }
});

forEachDialect("migrations (R-OPS 1)", (store) => {
  it("run at open, go all the way down, and up again", async () => {
    const db = await store.open();
    const schema =
      db.dialect === "postgres"
        ? (await sql<{ s: string }>`select current_schema() as s`.execute(db.kysely)).rows[0]?.s
        : undefined;
    const ours = async () =>
      (await db.kysely.introspection.getTables())
        .filter((t) => t.schema === schema && !t.name.startsWith("kysely_"))
        .map((t) => t.name)
        .sort();
    expect(await ours()).toEqual(tables);
    const migrator = new Migrator({
      db: db.kysely,
      provider: migrationProvider,
      ...(schema ? { migrationTableSchema: schema } : {}),
    });
    const down = await migrator.migrateTo(NO_MIGRATIONS);
    expect(down.error).toBeUndefined();
    expect(await ours()).toEqual([]);
    const up = await migrator.migrateToLatest();
    expect(up.error).toBeUndefined();
    expect(up.results?.map((r) => r.migrationName)).toEqual(Object.keys(migrations));
    expect(await ours()).toEqual(tables);
  });
});
