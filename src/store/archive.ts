import type { Clock } from "../clock.js";
import { KaigiError } from "../errors.js";
import type { Database, Db } from "./db.js";
import { requireTenant } from "./errors.js";
import { migrations } from "./migrations/index.js";
import type { Tables } from "./schema.js";

/**
 * Everything a tenant owns, as one JSON document another deployment can load (LGC: no vendor
 * lock-in; docs/archive.md). Rows are copied as stored — the meeting log with its hashes, so the
 * chain verifies after import. Admin accounts and sessions are not exported (credentials stay).
 */
export const ARCHIVE_FORMAT = "kaigi-guard-tenant-archive";

/** Tenant-owned tables, in an order that loads cleanly. */
const TABLES = [
  "verdict_texts",
  "verdicts",
  "meetings",
  "processed_events",
  "participants",
  "consent_answers",
  "devices",
  "device_uses",
  "approvals",
  "cleanup_items",
  "log_entries",
  "log_sensitive",
  "log_heads",
  "log_checkpoints",
  "outbox",
  "timers",
  "conversations",
  "sent_cards",
  "meeting_links",
  "graph_subscriptions",
  "tenant_policy_layers",
] as const satisfies readonly (keyof Tables)[];
type ArchivedTable = (typeof TABLES)[number];

/** Their ids are the store's own counters: renumbered on import, nothing refers to them. */
const RENUMBERED = new Set<ArchivedTable>(["consent_answers", "device_uses", "outbox", "timers"]);

export interface TenantArchive {
  format: typeof ARCHIVE_FORMAT;
  version: 1;
  tenantId: string;
  exportedAt: string;
  /** The migrations the exporting store had run: an importer must know them all. */
  migrations: string[];
  tenant: Tables["tenants"] | null;
  tables: Record<ArchivedTable, Record<string, unknown>[]>;
}

export class ArchiveInvalidError extends KaigiError {
  constructor(reason: string) {
    super("BAD_ARGUMENT", `the archive cannot be imported: ${reason}`, { argument: "archive" });
  }
}

export async function exportTenant(db: Db, tenantId: string, clock: Clock): Promise<TenantArchive> {
  requireTenant(tenantId, "exportTenant");
  const tables = {} as TenantArchive["tables"];
  for (const table of TABLES) {
    tables[table] = await db
      .selectFrom(table)
      .selectAll()
      .where("tenant_id", "=", tenantId)
      .execute();
  }
  const tenant = await db
    .selectFrom("tenants")
    .selectAll()
    .where("id", "=", tenantId)
    .executeTakeFirst();
  return {
    format: ARCHIVE_FORMAT,
    version: 1,
    tenantId,
    exportedAt: clock.now().toISOString(),
    migrations: Object.keys(migrations),
    tenant: tenant ?? null,
    tables,
  };
}

/**
 * Loads an archive into this store in one transaction, only for a tenant this store does not
 * know yet (nothing is merged or overwritten). Returns the rows loaded per table.
 */
export async function importTenant(db: Database, input: unknown): Promise<Record<string, number>> {
  const archive = input as Partial<TenantArchive> | null;
  if (archive?.format !== ARCHIVE_FORMAT || archive.version !== 1)
    throw new ArchiveInvalidError(`not a ${ARCHIVE_FORMAT} version 1`);
  const tenantId = archive.tenantId;
  if (typeof tenantId !== "string" || tenantId === "") throw new ArchiveInvalidError("no tenantId");
  const unknown = (archive.migrations ?? []).filter((m) => !(m in migrations));
  if (unknown.length > 0)
    throw new ArchiveInvalidError(`made by a newer version (migrations ${unknown.join(", ")})`);
  const tables = archive.tables;
  if (!tables) throw new ArchiveInvalidError("no tables");
  return db.transaction(
    async (trx) => {
      const existing = await trx
        .selectFrom("meetings")
        .select("id")
        .where("tenant_id", "=", tenantId)
        .executeTakeFirst();
      const logged = await trx
        .selectFrom("log_heads")
        .select("seq")
        .where("tenant_id", "=", tenantId)
        .executeTakeFirst();
      if (existing || logged)
        throw new ArchiveInvalidError(`tenant ${tenantId} already has data here`);
      if (archive.tenant)
        await trx
          .insertInto("tenants")
          .values(archive.tenant)
          .onConflict((oc) => oc.column("id").doNothing())
          .execute();
      const counts: Record<string, number> = {};
      for (const table of TABLES) {
        const rows = Array.isArray(tables[table]) ? tables[table] : [];
        for (const row of rows) {
          if (row.tenant_id !== tenantId)
            throw new ArchiveInvalidError(`a row of ${table} belongs to another tenant`);
          const values = RENUMBERED.has(table)
            ? Object.fromEntries(Object.entries(row).filter(([column]) => column !== "id"))
            : row;
          await trx
            .insertInto(table)
            .values(values as never)
            .execute();
        }
        counts[table] = rows.length;
      }
      return counts;
    },
    { tenantId },
  );
}
