import { CompiledQuery, Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { createHash } from "node:crypto";
import type { Tables } from "./schema.js";
import type { Db } from "./handle.js";
import { storeError } from "./errors.js";
import { LostEarlier, WrittenTogether, type GroupBackend } from "./group-backend.js";
import {
  FLUSH,
  GROUP_BEGIN,
  GROUP_COMMIT,
  GROUP_ROLLBACK,
  TURN,
  WrittenTogetherFailed,
  deferWrites,
} from "./deferred-writes.js";

/** PostgreSQL bigint (seq) as a JS number; sequences stay far below 2^53. */
const pgTypes = new pg.TypeOverrides();
pgTypes.setTypeParser(20, (v: string) => Number(v));
/** Advisory lock id for migrations (any constant shared by all instances). */
export const MIGRATION_LOCK = 7_427_001;

/**
 * Kysely over a pool of PostgreSQL connections, for Database; the schema asked for is created
 * first, and each connection defers the writes of a group (deferred-writes.ts).
 */
export async function openPostgres(config: {
  url: string;
  schema?: string;
  poolSize?: number;
}): Promise<Db> {
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
  return new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
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
export function postgresGroupBackend(kysely: Db, tenantId: string | undefined): GroupBackend {
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
  const retryable: ReadonlySet<unknown> = new Set(["40001", "40P01", "0A000"]);
  return {
    withConnection: (work) => kysely.connection().execute(work),
    begin: (conn) => run(conn, begin),
    commit: async (conn) => {
      try {
        // Sends the writes the group's transactions left waiting first (deferred-writes.ts).
        await run(conn, `${GROUP_COMMIT}select 1; commit`);
      } catch (error) {
        if (code(error) === ABORTED) throw new LostEarlier(error);
        if (error instanceof WrittenTogetherFailed && !retryable.has(error.code))
          throw new WrittenTogether(error);
        throw error;
      }
    },
    // Also after a lost connection: the original error is the one to report.
    rollback: (conn) => run(conn, `${GROUP_ROLLBACK}rollback`).catch(() => undefined),
    endOf: (conn, alone) => run(conn, alone ? FLUSH : TURN),
    state: (error) => {
      if (error === undefined) return "ok";
      if (code(error) === ABORTED) return "lost-earlier";
      return error instanceof WrittenTogetherFailed ? "written-together" : "failed";
    },
    // 0A000: a prepared statement's table changed under it (deferred-writes.ts).
    retryable: retryable as ReadonlySet<string>,
  };
}
