import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { afterAll, beforeEach, expect, it } from "vitest";
import { Database, type Db } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { enqueue } from "../../src/store/outbox/outbox.js";
import { saveMeeting } from "../../src/store/repos/meetings.js";
import { scheduleTimer } from "../../src/store/timers/timers.js";
import { testClock } from "../_util.js";
import { PG_URL, forEachDialect } from "./_util.js";

const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-fail-"));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** What one governor transition writes: state, a log entry, an outbox row, a timer. */
async function transition(trx: Db, meetingId: string, bulk = "") {
  const clock = testClock();
  await saveMeeting(
    trx,
    {
      id: meetingId,
      tenantId: "city-a",
      organizerId: "aad:o",
      state: "scheduled",
      title: bulk,
      approvals: [],
      cleanup: [],
      remindersSent: 0,
    },
    clock.now(),
  );
  await appendLog(trx, clock, [
    {
      tenantId: "city-a",
      meetingId,
      actor: "aad:o",
      action: "meeting.confirmed",
      payload: { bulk },
    },
  ]);
  await enqueue(trx, clock, {
    tenantId: "city-a",
    idempotencyKey: `${meetingId}#0`,
    kind: "message",
    payload: { bulk },
  });
  await scheduleTimer(trx, {
    tenantId: "city-a",
    key: `${meetingId}:end-fallback`,
    meetingId,
    kind: "end",
    payload: {},
    runAt: clock.now(),
  });
}

const counts = async (db: Database) => ({
  meetings: (await db.kysely.selectFrom("meetings").select("id").execute()).length,
  log: (await db.kysely.selectFrom("log_entries").select("seq").execute()).length,
  outbox: (await db.kysely.selectFrom("outbox").select("id").execute()).length,
  timers: (await db.kysely.selectFrom("timers").select("id").execute()).length,
});

it.each([
  ["PostgreSQL refusing connections", "postgres://postgres@127.0.0.1:1/test"],
  [
    "PostgreSQL by a name that resolves to several addresses",
    "postgres://postgres@localhost:1/test",
  ],
])("%s → STORE_UNAVAILABLE at start-up", async (_what, url) => {
  await expect(Database.open({ kind: "postgres", url })).rejects.toMatchObject({
    code: "STORE_UNAVAILABLE",
  });
  await expect(Database.open({ kind: "postgres", url, schema: "kg_never" })).rejects.toMatchObject({
    code: "STORE_UNAVAILABLE",
  });
});

it("a SQLite path that cannot hold a database → STORE_UNAVAILABLE", async () => {
  const file = join(dir, "not-a-folder");
  writeFileSync(file, "x");
  await expect(
    Database.open({ kind: "sqlite", path: join(file, "db.sqlite") }),
  ).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
  const garbage = join(dir, "garbage.sqlite");
  writeFileSync(
    garbage,
    "this is not a database file, but it is long enough to be read".repeat(20),
  );
  await expect(Database.open({ kind: "sqlite", path: garbage })).rejects.toMatchObject({
    code: "STORE_UNAVAILABLE",
  });
});

forEachDialect("a failing database leaves nothing half-written (R-LOG 3)", (store) => {
  let db: Database;
  beforeEach(async () => {
    const config = store.fresh();
    db = await store.open(config.kind === "postgres" ? { ...config, poolSize: 1 } : config);
    await db.transaction((trx) => transition(trx, "m1"));
  });

  it("a full (or refusing) database → STORE_WRITE_FAILED; no state, log, outbox or timer written, no hook run", async () => {
    const before = await counts(db);
    if (db.dialect === "sqlite") {
      const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db.kysely);
      await sql.raw(`pragma max_page_count = ${pages.rows[0]?.page_count ?? 1}`).execute(db.kysely);
    } else {
      // PostgreSQL's disk cannot be filled from a test: a constraint refuses the write instead.
      await sql`alter table outbox add constraint small check (length(payload) < 1000)`.execute(
        db.kysely,
      );
    }
    let hooks = 0;
    await expect(
      db.transaction(async (trx, onCommit) => {
        onCommit(() => hooks++);
        await transition(trx, "m2", "x".repeat(300_000));
      }),
    ).rejects.toMatchObject({
      code: "STORE_WRITE_FAILED",
      message: expect.stringContaining("nothing was recorded"),
    });
    expect(hooks).toBe(0);
    expect(await counts(db)).toEqual(before);
    expect(await verifyChain(db, "city-a")).toMatchObject({ ok: true, entries: 1 });
  });

  if (store.dialect === "postgres") {
    it("a connection the server drops mid-way → STORE_UNAVAILABLE, nothing written, the next try works", async () => {
      const backend = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db.kysely);
      const admin = new pg.Client({ connectionString: PG_URL });
      await admin.connect();
      let hooks = 0;
      await expect(
        db.transaction(async (trx, onCommit) => {
          onCommit(() => hooks++);
          await saveMeeting(
            trx,
            {
              id: "m3",
              tenantId: "city-a",
              organizerId: "o",
              state: "draft",
              approvals: [],
              cleanup: [],
              remindersSent: 0,
            },
            new Date(),
          );
          await admin.query("select pg_terminate_backend($1)", [backend.rows[0]?.pid]);
          await transition(trx, "m3");
        }),
      ).rejects.toMatchObject({ code: "STORE_UNAVAILABLE" });
      await admin.end();
      expect(hooks).toBe(0);
      expect(await counts(db)).toEqual({ meetings: 1, log: 1, outbox: 1, timers: 1 });
      await db.transaction((trx) => transition(trx, "m4"));
      expect(await counts(db)).toEqual({ meetings: 2, log: 2, outbox: 2, timers: 2 });
    });
  }
});
