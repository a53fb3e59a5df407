import BetterSqlite3 from "better-sqlite3";
import { Migrator, sql } from "kysely";
import { migrationProvider, migrations } from "./migrations/index.js";
import type { Db, OnCommit } from "./handle.js";
import { StoreUnavailableError, storeError } from "./errors.js";
import { GroupCommit } from "./group-commit.js";
import type { AheadClaim } from "./group-scope.js";
import { claimAheadFor } from "./repos/claim-ahead.js";
import type { DirectRun } from "./compiled.js";
import { openSqlite, sqliteGroupBackend } from "./sqlite.js";
import { MIGRATION_LOCK, openPostgres, postgresGroupBackend } from "./postgres.js";

export type StoreConfig =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; schema?: string; poolSize?: number };

export type { Db, OnCommit } from "./handle.js";

/** Opens (and migrates) the store; the same as Database.open. */
export const openDatabase = (config: StoreConfig): Promise<Database> => Database.open(config);

/**
 * The one database wrapper (STYLE 9): Kysely over better-sqlite3 (WAL, synchronous=NORMAL) or
 * PostgreSQL; transactions with retry on SQLite busy; after-commit hooks so nothing is sent for a
 * rolled-back change; migrations at open, safe when two instances start together.
 */
export class Database {
  /**
   * Every transaction goes through a group commit (see GroupCommit). SQLite has one writer, so
   * one group. PostgreSQL has one group per tenant, each locking only its tenant (and one for
   * work that names no tenant): one municipality's slow or stalled transaction holds up its own
   * turns only (docs/deployment.md, "One tenant's trouble stays that tenant's").
   */
  private readonly grouped: GroupCommit | undefined;
  private readonly tenantGroups = new Map<string, GroupCommit>();

  /** Use Database.open; the constructor takes what a dialect's opener made (sqlite.ts, postgres.ts). */
  constructor(
    readonly kysely: Db,
    readonly dialect: "sqlite" | "postgres",
    private readonly sqlite?: BetterSqlite3.Database,
    direct?: DirectRun,
  ) {
    this.grouped = sqlite ? new GroupCommit(sqliteGroupBackend(kysely, sqlite, direct)) : undefined;
  }

  private groupFor(tenantId: string | undefined): GroupCommit {
    if (this.grouped) return this.grouped;
    const key = tenantId ?? "";
    let group = this.tenantGroups.get(key);
    if (!group) {
      group = new GroupCommit(
        postgresGroupBackend(this.kysely, tenantId),
        tenantId === undefined ? undefined : claimAheadFor(tenantId),
      );
      this.tenantGroups.set(key, group);
    }
    return group;
  }

  /**
   * Opens the store and brings its schema up to date. A database that cannot be reached or used
   * fails here with STORE_UNAVAILABLE (or STORE_WRITE_FAILED), never later half-way.
   */
  static async open(config: StoreConfig): Promise<Database> {
    let db: Database;
    if (config.kind === "sqlite") {
      const { kysely, sqlite, direct } = openSqlite(config.path);
      db = new Database(kysely, "sqlite", sqlite, direct);
    } else db = new Database(await openPostgres(config), "postgres");
    try {
      await db.migrate();
    } catch (error) {
      await db.close().catch(() => undefined); // the open error is the one to report
      throw storeError(error);
    }
    return db;
  }

  /**
   * Runs the migrations under a lock that spans instances: a PostgreSQL session advisory lock
   * (Kysely's own lock comes after it creates its tables, which races), or SQLite's write lock
   * (Kysely takes none there). A second instance waits, then finds nothing left to do.
   */
  private async migrate(): Promise<void> {
    const run = async (db: Db, migrationTableSchema?: string) => {
      const { error } = await new Migrator({
        db,
        provider: migrationProvider,
        ...(migrationTableSchema ? { migrationTableSchema } : {}),
      }).migrateToLatest();
      if (error) throw storeError(error);
    };
    if (this.sqlite) {
      await this.sqliteWriteLock();
      try {
        await run(this.kysely);
        this.sqlite.exec("commit");
      } finally {
        if (this.sqlite.inTransaction) this.sqlite.exec("rollback");
      }
      return;
    }
    // One connection for the lock and the migrations, so even a pool of one cannot deadlock.
    await this.kysely.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
      try {
        // Kysely looks for its own tables in every schema unless told which one: another
        // application (or test run) in the same database would make it skip creating them.
        const { rows } = await sql<{
          schema: string | null;
        }>`select current_schema() as schema`.execute(conn);
        const schema = rows[0]?.schema;
        if (!schema) throw new StoreUnavailableError("no schema on the search_path");
        await run(conn, schema);
      } finally {
        await sql`select pg_advisory_unlock(${MIGRATION_LOCK})`.execute(conn);
      }
    });
  }

  /** BEGIN IMMEDIATE without blocking the event loop: poll instead of SQLite's busy wait. */
  private async sqliteWriteLock(): Promise<void> {
    const sqlite = this.sqlite;
    if (!sqlite) return;
    const timeout = sqlite.pragma("busy_timeout", { simple: true }) as number;
    sqlite.pragma("busy_timeout = 0");
    try {
      for (let waited = 0; ; waited += 25) {
        try {
          sqlite.exec("begin immediate");
          return;
        } catch (error) {
          if ((error as { code?: unknown }).code !== "SQLITE_BUSY" || waited > 60_000)
            throw storeError(error);
          await new Promise((resolve) => setTimeout(resolve, 25));
        }
      }
    } finally {
      sqlite.pragma(`busy_timeout = ${timeout}`);
    }
  }

  /**
   * Runs `fn` in one transaction and runs it again (up to 5 times) when the database asks for it:
   * SQLite busy, PostgreSQL deadlock or serialization failure; `fn` must therefore only write
   * through `trx`. Hooks given to `onCommit` run only after a successful commit, never for a
   * rolled-back attempt. Driver failures come out as STORE_UNAVAILABLE / STORE_WRITE_FAILED.
   * Transactions asked for together are committed together (group commit); on PostgreSQL only
   * those of the same `tenantId`, which a transaction that writes one tenant's log must name.
   * `ahead`: the event `fn` claims first with claimEventAndLoad, claimed with the rest of its
   * group in one statement on PostgreSQL (ClaimAhead); `fn` must then claim exactly that event.
   */
  transaction<T>(
    fn: (trx: Db, onCommit: OnCommit) => Promise<T>,
    scope: { tenantId?: string; ahead?: AheadClaim } = {},
  ): Promise<T> {
    return this.groupFor(scope.tenantId).run(fn, scope.ahead);
  }

  /**
   * A read-only better-sqlite3 connection of its own, for a long read that must see one snapshot
   * while the bot keeps writing (log verify). undefined on PostgreSQL. An in-memory database has
   * no second connection: its own handle is returned (`shared: true`).
   */
  sqliteReader(): { reader: BetterSqlite3.Database; shared: boolean } | undefined {
    if (!this.sqlite) return undefined;
    if (this.sqlite.memory) return { reader: this.sqlite, shared: true };
    try {
      return {
        reader: new BetterSqlite3(this.sqlite.name, { readonly: true, fileMustExist: true }),
        shared: false,
      };
    } catch (error) {
      throw storeError(error);
    }
  }

  /** SQLite online backup (consistent while the bot keeps writing). */
  async backup(file: string): Promise<void> {
    if (!this.sqlite)
      throw new StoreUnavailableError("backup to a file is for SQLite; use pg_dump for PostgreSQL");
    await this.sqlite.backup(file);
  }

  /** Reachable, and every migration this build knows has run (for /readyz). */
  async ready(): Promise<boolean> {
    const done = await this.kysely
      .selectFrom("kysely_migration" as never)
      .select("name" as never)
      .execute();
    const names = new Set(done.map((r) => (r as { name: string }).name));
    return Object.keys(migrations).every((name) => names.has(name));
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}
