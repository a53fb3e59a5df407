import BetterSqlite3 from "better-sqlite3";
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql } from "kysely";
import pg from "pg";
import { dirname } from "node:path";
import { mkdirSync } from "node:fs";
import { migrationProvider } from "./migrations/index.js";
import type { Tables } from "./schema.js";
import { StoreUnavailableError, storeError } from "./errors.js";

export type StoreConfig =
  | { kind: "sqlite"; path: string }
  | { kind: "postgres"; url: string; schema?: string; poolSize?: number };

export type Db = Kysely<Tables>;
export type OnCommit = (hook: () => void) => void;

/** PostgreSQL bigint (seq) as a JS number; sequences stay far below 2^53. */
const pgTypes = new pg.TypeOverrides();
/** Advisory lock id for migrations (any constant shared by all instances). */
const MIGRATION_LOCK = 7_427_001;
pgTypes.setTypeParser(20, (v: string) => Number(v));

/**
 * The one database wrapper (STYLE 9): Kysely over better-sqlite3 (WAL, synchronous=NORMAL) or
 * PostgreSQL; transactions with retry on SQLite busy; after-commit hooks so nothing is sent for a
 * rolled-back change; migrations at open, safe when two instances start together.
 */
export class Database {
  /** Use Database.open; the constructor is for the dialect openers below. */
  constructor(
    readonly kysely: Db,
    readonly dialect: "sqlite" | "postgres",
    private readonly sqlite?: BetterSqlite3.Database,
  ) {}

  static async open(config: StoreConfig): Promise<Database> {
    const db = config.kind === "sqlite" ? openSqlite(config.path) : await openPostgres(config);
    await db.migrate();
    return db;
  }

  /**
   * Runs the migrations under a lock that spans instances: a PostgreSQL session advisory lock
   * (Kysely's own lock comes after it creates its tables, which races), or SQLite's write lock
   * (Kysely takes none there). A second instance waits, then finds nothing left to do.
   */
  private async migrate(): Promise<void> {
    const run = async () => {
      const { error } = await new Migrator({
        db: this.kysely,
        provider: migrationProvider,
      }).migrateToLatest();
      if (error) throw storeError(error);
    };
    if (this.sqlite) {
      await this.sqliteWriteLock();
      try {
        await run();
        this.sqlite.exec("commit");
      } finally {
        if (this.sqlite.inTransaction) this.sqlite.exec("rollback");
      }
      return;
    }
    await this.kysely.connection().execute(async (conn) => {
      await sql`select pg_advisory_lock(${MIGRATION_LOCK})`.execute(conn);
      try {
        await run();
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

  /** Runs `fn` in one transaction; hooks given to `onCommit` run only after a successful commit. */
  async transaction<T>(fn: (trx: Db, onCommit: OnCommit) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const hooks: (() => void)[] = [];
      try {
        const result = await this.runTransaction((trx) => fn(trx, (hook) => hooks.push(hook)));
        for (const hook of hooks) hook();
        return result;
      } catch (error) {
        const busy = (error as { code?: unknown }).code === "SQLITE_BUSY";
        if (!busy || attempt >= 5) throw storeError(error);
      }
    }
  }

  private runTransaction<T>(fn: (trx: Db) => Promise<T>): Promise<T> {
    if (this.dialect === "postgres") return this.kysely.transaction().execute(fn);
    // BEGIN IMMEDIATE takes the write lock up front, so a transaction never fails half-way on
    // lock upgrade; the connection is held for the whole transaction.
    return this.kysely.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (error) {
        // SQLite rolls back by itself on some errors (SQLITE_FULL); roll back only what is open.
        if (this.sqlite?.inTransaction) await sql`rollback`.execute(conn);
        throw error;
      }
    });
  }

  /** SQLite online backup (consistent while the bot keeps writing). */
  async backup(file: string): Promise<void> {
    if (!this.sqlite)
      throw new StoreUnavailableError("backup to a file is for SQLite; use pg_dump for PostgreSQL");
    await this.sqlite.backup(file);
  }

  async close(): Promise<void> {
    await this.kysely.destroy();
  }
}

function openSqlite(path: string): Database {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  let sqlite: BetterSqlite3.Database;
  try {
    sqlite = new BetterSqlite3(path, { timeout: 5000 });
  } catch (error) {
    throw storeError(error);
  }
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  const kysely = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
  return new Database(kysely, "sqlite", sqlite);
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
  const kysely = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return new Database(kysely, "postgres");
}
