import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterEach, beforeEach, describe } from "vitest";
import { Database, type StoreConfig } from "../../src/store/db.js";

/** The machine's PostgreSQL (trust auth, database `test`); override with KAIGI_TEST_PG_URL. */
export const PG_URL = process.env.KAIGI_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";

async function postgresReachable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

const pgUp = await postgresReachable();
if (!pgUp) {
  console.warn(
    `\n*** PostgreSQL at ${PG_URL} is unreachable: the PostgreSQL half of the store tests is SKIPPED ***\n`,
  );
}

export type Dialect = "sqlite" | "postgres";

let counter = 0;

/** A fresh store config: a temporary SQLite file, or a PostgreSQL schema of its own. */
export function freshConfig(dialect: Dialect): {
  config: StoreConfig;
  cleanup: () => Promise<void>;
} {
  counter++;
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-store-"));
    return {
      config: { kind: "sqlite", path: join(dir, "store.sqlite") },
      cleanup: () => {
        rmSync(dir, { recursive: true, force: true });
        return Promise.resolve();
      },
    };
  }
  const schema = `kg_test_${process.pid}_${counter}_${Date.now()}`;
  return {
    config: { kind: "postgres", url: PG_URL, schema, poolSize: 4 },
    cleanup: async () => {
      const client = new pg.Client({ connectionString: PG_URL });
      await client.connect();
      await client.query(`drop schema if exists "${schema}" cascade`);
      await client.end();
    },
  };
}

export interface StoreHarness {
  dialect: Dialect;
  /** A store config of its own (file or schema), removed after the test. */
  fresh(): StoreConfig;
  /** A store opened on a fresh config, closed and removed after the test. */
  open(config?: StoreConfig): Promise<Database>;
}

/**
 * Runs a suite on both dialects (STYLE 9): SQLite always, PostgreSQL when reachable — skipped with
 * a visible message otherwise. `dialects` narrows it for what exists on one only (pg_dump).
 */
export function forEachDialect(
  name: string,
  suite: (store: StoreHarness) => void,
  dialects: readonly Dialect[] = ["sqlite", "postgres"],
): void {
  for (const dialect of dialects) {
    const run = dialect === "postgres" && !pgUp ? describe.skip : describe;
    run(`${name} [${dialect}]`, () => {
      const opened: Database[] = [];
      const cleanups: (() => Promise<void>)[] = [];
      afterEach(async () => {
        for (const db of opened.splice(0)) await db.close();
        for (const cleanup of cleanups.splice(0)) await cleanup();
      });
      const fresh = () => {
        const made = freshConfig(dialect);
        cleanups.push(made.cleanup);
        return made.config;
      };
      suite({
        dialect,
        fresh,
        open: async (config) => {
          const db = await Database.open(config ?? fresh());
          opened.push(db);
          return db;
        },
      });
    });
  }
}

/**
 * The statements the store sends to PostgreSQL, each a round trip: the `pg` client's query calls,
 * counted on the driver's prototype (as bench:teams does) from before each test of the file.
 */
export function countStatements(): string[] {
  const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const clientQuery = prototype.query;
  const sent: string[] = [];
  beforeEach(() => {
    sent.length = 0;
    prototype.query = function (this: unknown, ...args: unknown[]) {
      const [text] = args;
      sent.push(typeof text === "string" ? text : (text as { text: string }).text);
      return clientQuery.apply(this, args);
    };
  });
  afterEach(() => {
    prototype.query = clientQuery;
  });
  return sent;
}
