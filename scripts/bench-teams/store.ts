/**
 * The server process's store (bench-teams-server.ts): opened for the run and dropped at its end,
 * the meetings the governance phases answer prepared in it, the WAL written back before each
 * measured phase, and what it holds after the run.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import type { Governor } from "../../src/governor/governor.js";
import { Database } from "../../src/store/db.js";
import { BENCH_ORGANIZER_OID, BENCH_TENANT, type FromServer } from "../bench-teams-ipc.js";

/**
 * PostgreSQL when asked (--pg, or DATABASE_URL set), in a schema of its own dropped at the end;
 * otherwise SQLite in a temporary directory, removed at the end.
 */
export async function openStore(
  pgAsked: boolean,
): Promise<{ db: Database; drop: () => Promise<void> }> {
  const pgUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
  const usePg = pgAsked || process.env.DATABASE_URL !== undefined;
  const schema = `kaigi_bench_${Date.now().toString(36)}`;
  const dir = usePg ? undefined : mkdtempSync(join(tmpdir(), "kaigi-bench-"));
  const db = await Database.open(
    dir === undefined
      ? { kind: "postgres", url: pgUrl, schema }
      : { kind: "sqlite", path: join(dir, "bench.sqlite") },
  ).catch((error: unknown) => {
    const where = usePg ? pgUrl.replace(/\/\/[^@/]*@/, "//…@") : "a temporary directory";
    throw new Error(`cannot open the store at ${where}`, { cause: error });
  });
  const drop = async () => {
    if (db.dialect === "postgres")
      await sql`drop schema ${sql.id(schema)} cascade`.execute(db.kysely);
    await db.close();
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  };
  return { db, drop };
}

/** The plan every prepared meeting has (the evaluation-only bot evaluates it too). */
export const plan = {
  service: "webex",
  participants: 5,
  external: false,
  externalHost: false,
  personalInfo: false,
  recording: false,
  transcription: false,
  departmentDevice: false,
} as const;

const organizer = `aad:${BENCH_ORGANIZER_OID}`;
const run = Date.now().toString(36);
let prepared = 0;

/**
 * Meetings drafted as the schedule card's answer leaves them (state `draft`, plan set, organizer
 * = the fixture's sender), each to be answered once by one measured tier.submit. Through the
 * governor, a few at a time (PostgreSQL gains from it; SQLite serializes them anyway).
 */
export async function prepare(governor: Governor, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => `bench-${run}-${String(prepared++)}`);
  const startsAt = new Date(Date.now() + 86_400_000).toISOString();
  const endsAt = new Date(Date.now() + 90_000_000).toISOString();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
        const outcome = await governor.handle(
          { eventId: `draft:${id}`, tenantId: BENCH_TENANT, meetingId: id, actor: organizer },
          {
            type: "draft",
            title: "定例会議",
            startsAt,
            endsAt,
            plan,
          },
        );
        if (outcome.status !== "done") throw new Error(`draft ${id}: ${outcome.status}`);
      }
    }),
  );
  return ids;
}

/**
 * Before each measured phase, SQLite's WAL is written back to the database file off the clock, so
 * that a phase pays for its own writes only. SQLite does it every 1,000 pages, within whichever
 * commit crosses that line: the meetings prepared for a governance phase left its first commits to
 * write back what preparing wrote. (Collecting garbage here as well was tried in two runs: 0.92×,
 * with an echo phase slowed after the collection, and 0.79×; the next run without it, 0.87×.)
 */
export async function settle(db: Database): Promise<void> {
  if (db.dialect === "sqlite") await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db.kysely);
}

/** What the store holds for the bench's tenant after the run, with what the app logged. */
export async function verify(
  db: Database,
  logged: { warnings: number; errors: number; first: string[] },
): Promise<Extract<FromServer, { type: "verified" }>> {
  const states = await db.kysely
    .selectFrom("meetings")
    .select(["state", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("tenant_id", "=", BENCH_TENANT)
    .groupBy("state")
    .execute();
  const actions = await db.kysely
    .selectFrom("log_entries")
    .select(["action", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("tenant_id", "=", BENCH_TENANT)
    .groupBy("action")
    .execute();
  const outbox = await db.kysely
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("tenant_id", "=", BENCH_TENANT)
    .executeTakeFirstOrThrow();
  return {
    type: "verified",
    states: Object.fromEntries(states.map((r) => [r.state, Number(r.n)])),
    actions: Object.fromEntries(actions.map((r) => [r.action, Number(r.n)])),
    outbox: Number(outbox.n),
    ...logged,
  };
}
