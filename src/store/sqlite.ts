import BetterSqlite3 from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { dirname } from "node:path";
import { mkdirSync } from "node:fs";
import type { Tables } from "./schema.js";
import type { Db } from "./handle.js";
import { StoreUnavailableError, storeError } from "./errors.js";
import type { GroupBackend } from "./group-backend.js";
import { runsDirectly, type DirectRun } from "./compiled.js";

/** An opened SQLite file, for Database: Kysely over it, its connection, and the direct run. */
export interface OpenedSqlite {
  kysely: Db;
  sqlite: BetterSqlite3.Database;
  direct: DirectRun;
}

/** Opens the file (its folder made if need be) with the pragmas the bot runs under. */
export function openSqlite(path: string): OpenedSqlite {
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
  return { kysely, sqlite, direct };
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

/**
 * SQLite's side of the group commit: BEGIN IMMEDIATE takes the write lock up front, so no
 * transaction fails half-way on lock upgrade; the group's precompiled statements run directly on
 * the connection it holds; SQLite abandons the transaction by itself after some errors
 * (SQLITE_FULL, IOERR), which `inTransaction` shows.
 */
export function sqliteGroupBackend(
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
