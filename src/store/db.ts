import BetterSqlite3 from "better-sqlite3";
import { CompiledQuery, Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { createHash } from "node:crypto";
import { dirname } from "node:path";
import { mkdirSync } from "node:fs";
import { migrationProvider, migrations } from "./migrations/index.js";
import type { Tables } from "./schema.js";
import type { Db, OnCommit } from "./handle.js";
import { StoreUnavailableError, storeError } from "./errors.js";
import { GroupCommit, LostEarlier, type GroupBackend } from "./group-commit.js";
import { runsDirectly, type DirectRun } from "./compiled.js";
import {
  FLUSH,
  GROUP_BEGIN,
  GROUP_COMMIT,
  GROUP_ROLLBACK,
  deferWrites,
} from "./deferred-writes.js";

export type StoreConfig =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; schema?: string; poolSize?: number };

export type { Db, OnCommit } from "./handle.js";

/** Opens (and migrates) the store; the same as Database.open. */
export const openDatabase = (config: StoreConfig): Promise<Database> => Database.open(config);

/** PostgreSQL bigint (seq) as a JS number; sequences stay far below 2^53. */
const pgTypes = new pg.TypeOverrides();
pgTypes.setTypeParser(20, (v: string) => Number(v));
/** Advisory lock id for migrations (any constant shared by all instances). */
const MIGRATION_LOCK = 7_427_001;

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

  /** Use Database.open; the constructor is for the dialect openers below. */
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
      group = new GroupCommit(postgresGroupBackend(this.kysely, tenantId));
      this.tenantGroups.set(key, group);
    }
    return group;
  }

  /**
   * Opens the store and brings its schema up to date. A database that cannot be reached or used
   * fails here with STORE_UNAVAILABLE (or STORE_WRITE_FAILED), never later half-way.
   */
  static async open(config: StoreConfig): Promise<Database> {
    const db = config.kind === "sqlite" ? openSqlite(config.path) : await openPostgres(config);
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
   */
  transaction<T>(
    fn: (trx: Db, onCommit: OnCommit) => Promise<T>,
    scope: { tenantId?: string } = {},
  ): Promise<T> {
    return this.groupFor(scope.tenantId).run(fn);
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

/**
 * SQLite's side of the group commit: BEGIN IMMEDIATE takes the write lock up front, so no
 * transaction fails half-way on lock upgrade; the group's precompiled statements run directly on
 * the connection it holds; SQLite abandons the transaction by itself after some errors
 * (SQLITE_FULL, IOERR), which `inTransaction` shows.
 */
function sqliteGroupBackend(
  kysely: Db,
  sqlite: BetterSqlite3.Database,
  direct?: DirectRun,
): GroupBackend {
  const begin = sqlite.prepare("begin immediate");
  const commit = sqlite.prepare("commit");
  const rollback = sqlite.prepare("rollback");
  return {
    withConnection: (run) =>
      kysely.connection().execute((conn) => {
        if (direct) runsDirectly(conn, direct);
        return run(conn);
      }),
    begin: () => {
      begin.run();
      return Promise.resolve();
    },
    commit: () => {
      commit.run();
      return Promise.resolve();
    },
    rollback: () => {
      if (sqlite.inTransaction) rollback.run();
      return Promise.resolve();
    },
    state: (error) => (sqlite.inTransaction ? (error === undefined ? "ok" : "failed") : "lost"),
    retryable: new Set(["SQLITE_BUSY"]),
  };
}

/** PostgreSQL's "current transaction is aborted, commands ignored until end of transaction". */
const ABORTED = "25P02";
/** The first key of a tenant's advisory lock (two-key form: its own space, apart from MIGRATION_LOCK). */
const TENANT_LOCK_SPACE = 7_427;

/** A tenant's advisory-lock key: 32 bits of the SHA-256 of its id (a collision only shares a lock). */
const tenantLockKey = (tenantId: string) =>
  createHash("sha256").update(tenantId).digest().readInt32BE(0);

/**
 * PostgreSQL's side of the group commit, for one tenant's group. The group first takes that
 * tenant's transaction-level advisory lock, so two instances' groups of one tenant run one after
 * the other instead of taking its log head and meeting rows in different orders (a deadlock);
 * groups of different tenants touch different rows and never wait for each other. (One lock used
 * to be shared by every tenant and instance: a stalled group of one municipality stopped every
 * other's turns on every instance.) Work that names no tenant takes no lock; were
 * it ever to cross a tenant's group in a cycle, PostgreSQL's deadlock detection ends one and the
 * group runs again (40P01 is retryable). An error aborts the whole transaction, so a transaction
 * that caught one and went on shows up only at the next statement: another transaction's, or the
 * check before COMMIT.
 */
function postgresGroupBackend(kysely: Db, tenantId: string | undefined): GroupBackend {
  // Marked as the group's, so the connection defers the writes in between (deferred-writes.ts).
  const begin =
    GROUP_BEGIN +
    (tenantId === undefined
      ? "begin"
      : `begin; select pg_advisory_xact_lock(${String(TENANT_LOCK_SPACE)}, ${String(tenantLockKey(tenantId))})`);
  // No parameters: the simple query protocol, which takes several statements in one round trip.
  const run = async (conn: Db, text: string) => {
    await conn.executeQuery(CompiledQuery.raw(text));
  };
  const code = (error: unknown) => (error as { code?: unknown }).code;
  return {
    withConnection: (work) => kysely.connection().execute(work),
    begin: (conn) => run(conn, begin),
    commit: async (conn) => {
      try {
        await run(conn, `${GROUP_COMMIT}select 1; commit`);
      } catch (error) {
        throw code(error) === ABORTED ? new LostEarlier(error) : error;
      }
    },
    // Also after a lost connection: the original error is the one to report.
    rollback: (conn) => run(conn, `${GROUP_ROLLBACK}rollback`).catch(() => undefined),
    flush: (conn) => run(conn, FLUSH),
    state: (error) =>
      error === undefined ? "ok" : code(error) === ABORTED ? "lost-earlier" : "failed",
    // 0A000: a prepared statement's table changed under it (deferred-writes.ts).
    retryable: new Set(["40001", "40P01", "0A000"]),
  };
}

function openSqlite(path: string): Database {
  let sqlite: BetterSqlite3.Database;
  try {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    sqlite = new BetterSqlite3(path, { timeout: 5000 });
    // WAL: readers never block the writer; NORMAL: a commit survives a crash of the process
    // (not necessarily of the machine), at a fraction of FULL's cost (docs/backup.md).
    sqlite.pragma("journal_mode = WAL");
    sqlite.pragma("synchronous = NORMAL");
    sqlite.pragma("foreign_keys = ON");
    // SQLite's temporary journals (of statements, of savepoints) stay in memory: with temporary
    // files on disk they spill to a file once past 64 KiB. When group commit ran each transaction
    // in a savepoint, half of a turn's writes went there (measured).
    sqlite.pragma("temp_store = MEMORY");
    // 64 MiB of pages kept (SQLite's default is 2 MiB): the meetings of the coming days stay in
    // memory; a tier answer made 3.3 read calls, now 1.7 (strace, 10,000 meetings).
    sqlite.pragma("cache_size = -65536");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw typeof code === "string" && /^E[A-Z]+$/.test(code)
      ? new StoreUnavailableError(`${code} at ${path}`)
      : storeError(error);
  }
  const statements = withStatementCache(sqlite);
  const kysely = new Kysely<Tables>({ dialect: new SqliteDialect({ database: statements }) });
  // What Kysely's SQLite connection does with a compiled query, minus the plumbing around it.
  const direct: DirectRun = (sql, parameters) => {
    const statement = statements.prepare(sql);
    if (statement.reader) return { rows: statement.all(parameters) };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid), rows: [] };
  };
  return new Database(kysely, "sqlite", sqlite, direct);
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements can be reused, and preparing was a
 * sixth of a governance turn's CPU (npm run bench:teams). A small LRU keyed by SQL text. Safe
 * because Kysely runs one query at a time on the connection and nothing here streams.
 */
function withStatementCache(db: BetterSqlite3.Database, size = 256) {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => {
      cache.clear();
      db.close();
    },
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement) {
        cache.delete(sql);
      } else {
        statement = db.prepare(sql);
        if (cache.size >= size) {
          const oldest = cache.keys().next().value;
          if (oldest !== undefined) cache.delete(oldest);
        }
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

async function openPostgres(config: {
  url: string;
  schema?: string;
  poolSize?: number;
}): Promise<Database> {
  if (config.schema) {
    const client = new pg.Client({ connectionString: config.url, connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      // Under the migration lock: concurrent CREATE SCHEMA IF NOT EXISTS can still collide.
      await client.query("begin");
      await client.query("select pg_advisory_xact_lock($1)", [MIGRATION_LOCK]);
      await client.query(`create schema if not exists "${config.schema.replace(/"/g, '""')}"`);
      await client.query("commit");
    } catch (error) {
      throw storeError(error);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    connectionTimeoutMillis: 5000,
    types: pgTypes,
    ...(config.schema ? { options: `-c search_path="${config.schema}"` } : {}),
  });
  // A connection the server closes is dropped by the pool (idle) or fails its query (in use);
  // without listeners its 'error' event would end the process. Say so, and carry on: the next
  // query gets a fresh connection.
  const lost = (error: Error & { code?: string }) => {
    process.emitWarning(`PostgreSQL connection lost (${error.code ?? error.message})`, {
      code: "KAIGI_STORE_CONNECTION_LOST",
    });
  };
  pool.on("error", lost);
  pool.on("connect", (client) => {
    client.on("error", lost);
    deferWrites(client);
  });
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return new Database(kysely, "postgres");
}
