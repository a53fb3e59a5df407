import pg from "pg";
import { expect, it } from "vitest";
import type { Database, Db } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { enqueue } from "../../src/store/outbox/outbox.js";
import { saveMeeting } from "../../src/store/repos/meetings.js";
import { cancelTimers, scheduleTimer } from "../../src/store/timers/timers.js";
import { testClock } from "../_util.js";
import { countStatements, forEachDialect } from "./_util.js";

const clock = testClock();
const TENANT = "city-a";

const sent = countStatements();

const meeting = (id: string) => ({
  id,
  tenantId: TENANT,
  organizerId: "aad:o",
  state: "draft" as const,
  approvals: [],
  cleanup: [],
  remindersSent: 0,
});

/**
 * What one governance turn writes: the meeting (loaded before, so its side tables are unchanged),
 * its log entry, an outbox row and a timer.
 */
async function turn(trx: Db, id: string, step = "1"): Promise<void> {
  const m = meeting(id);
  await saveMeeting(trx, m, clock.now(), m);
  await appendLog(trx, clock, [
    { tenantId: TENANT, meetingId: id, actor: "aad:o", action: "meeting.drafted", payload: {} },
  ]);
  await enqueue(trx, clock, {
    tenantId: TENANT,
    idempotencyKey: `notice:${id}:${step}`,
    kind: "notice",
    payload: { id },
  });
  await scheduleTimer(trx, {
    tenantId: TENANT,
    key: `remind:${id}:${step}`,
    meetingId: id,
    kind: "remind",
    payload: {},
    runAt: clock.now(),
  });
}

/** A timer of the tenant, due now. */
const timer = (key: string) => ({
  tenantId: TENANT,
  key,
  meetingId: null,
  kind: "remind",
  payload: {},
  runAt: clock.now(),
});

/** A timer without a key: NOT NULL violated, which only the database finds. */
const badTimer = (trx: Db) =>
  scheduleTimer(trx, { ...timer("unused"), key: null as unknown as string });

const count = async (db: Database, table: "meetings" | "log_entries" | "outbox" | "timers") =>
  Number(
    (
      await db.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<string>().as("n"))
        .executeTakeFirstOrThrow()
    ).n,
  );

forEachDialect(
  "PostgreSQL deferred writes",
  (store) => {
    it("in a group, the writes of all its turns go to the database as one statement, at COMMIT", async () => {
      const db = await store.open();
      await db.transaction((trx) => turn(trx, "m1"), { tenantId: TENANT });
      await db.transaction((trx) => turn(trx, "m2"), { tenantId: TENANT });
      // Three turns in one group: each finds the tenant's log head in the group's scope.
      const started = sent.length;
      const during: string[][] = [];
      await Promise.all(
        ["m1", "m2", "m3"].map((id) =>
          db.transaction(
            async (trx) => {
              const before = sent.length;
              await turn(trx, id, "2");
              during.push(sent.slice(before));
            },
            { tenantId: TENANT },
          ),
        ),
      );
      // Nothing was sent while the second and third turns ran, nor between them.
      expect(during.slice(1)).toEqual([[], []]);
      const writes = sent.slice(started).filter((text) => text.startsWith("with "));
      expect(writes).toHaveLength(1);
      // One insert of several rows per table, and the log head moved once. (The first turn's
      // meeting went before the group read the log head; in the bot the claims ahead read it.)
      const rows = (table: string, n: number) =>
        new RegExp(
          `insert into "${table}" [^)]*\\) values ${Array(n).fill("\\([$\\d, ]+\\)").join(", ")}( |\\))`,
        );
      expect(writes[0]).toMatch(rows("log_entries", 3));
      expect(writes[0]).toMatch(rows("outbox", 3));
      expect(writes[0]).toMatch(rows("timers", 3));
      expect(writes[0]).toMatch(rows("meetings", 2));
      expect(writes[0]).toMatch(/update "log_heads"/);
      // Besides: BEGIN, the first turn's meeting, the head's lock, COMMIT.
      expect(
        sent.slice(started).map((text) => /^(\/\*[^*]*\*\/ )?\w+( into "\w+")?/.exec(text)?.[0]),
      ).toEqual([
        "/*kaigi:group-begin*/ begin",
        'insert into "meetings"',
        'insert into "log_heads"',
        "with",
        "/*kaigi:group-commit*/ select",
      ]);
      expect(await count(db, "meetings")).toBe(3);
      for (const table of ["log_entries", "outbox", "timers"] as const)
        expect(await count(db, table)).toBe(5);
      const versions = await db.kysely
        .selectFrom("meetings")
        .select(["id", "version"])
        .orderBy("id")
        .execute();
      expect(versions).toEqual([
        { id: "m1", version: 2 },
        { id: "m2", version: 2 },
        { id: "m3", version: 1 },
      ]);
      expect(await verifyChain(db, TENANT)).toMatchObject({ ok: true, entries: 5 });
    });

    it("two turns of one group that save one meeting: the second's save is sent after the first's", async () => {
      const db = await store.open();
      const before = sent.length;
      await Promise.all(
        ["1", "2"].map((step) =>
          db.transaction((trx) => turn(trx, "same", step), { tenantId: TENANT }),
        ),
      );
      const writes = sent
        .slice(before)
        .filter((text) => /^(with |insert into "meetings")/.test(text));
      expect(writes.length).toBe(2);
      const row = await db.kysely
        .selectFrom("meetings")
        .select("version")
        .executeTakeFirstOrThrow();
      expect(row.version).toBe(2);
      expect(await count(db, "outbox")).toBe(2);
    });

    it("a read in the transaction sees the writes before it (they are sent first)", async () => {
      const db = await store.open();
      const seen = await db.transaction(
        async (trx) => {
          await turn(trx, "m1");
          return trx.selectFrom("timers").select("key").execute();
        },
        { tenantId: TENANT },
      );
      expect(seen.map((r) => r.key)).toEqual(["remind:m1:1"]);
    });

    it("two writes to one table keep their order: a timer cancelled and scheduled again stays", async () => {
      const db = await store.open();
      await db.transaction((trx) => scheduleTimer(trx, timer("remind:m1:1")), { tenantId: TENANT });
      await db.transaction(
        async (trx) => {
          await cancelTimers(trx, TENANT, "remind:m1:");
          await scheduleTimer(trx, timer("remind:m1:1"));
          await scheduleTimer(trx, timer("remind:m1:2"));
        },
        { tenantId: TENANT },
      );
      const keys = await db.kysely.selectFrom("timers").select("key").orderBy("key").execute();
      expect(keys.map((r) => r.key)).toEqual(["remind:m1:1", "remind:m1:2"]);
    });

    it("a later turn's cancel sees an earlier turn's timer of the same group: it is cancelled, not kept", async () => {
      const db = await store.open();
      await Promise.all([
        db.transaction((trx) => scheduleTimer(trx, timer("remind:m-1:1")), { tenantId: TENANT }),
        db.transaction(
          async (trx) => {
            await scheduleTimer(trx, timer("other:m-1:1"));
            await cancelTimers(trx, TENANT, "remind:m-1:");
            await scheduleTimer(trx, timer("remind:m-1:2"));
          },
          { tenantId: TENANT },
        ),
      ]);
      const keys = await db.kysely.selectFrom("timers").select("key").orderBy("key").execute();
      expect(keys.map((r) => r.key)).toEqual(["other:m-1:1", "remind:m-1:2"]);
    });

    it("a deferred write that fails fails its own transaction only, with its own error; the others of its group commit", async () => {
      const db = await store.open();
      const results = await Promise.allSettled([
        db.transaction((trx) => turn(trx, "a"), { tenantId: TENANT }),
        db.transaction(
          async (trx) => {
            await turn(trx, "bad");
            // Found only when the writes are sent, at the group's COMMIT.
            await badTimer(trx);
          },
          { tenantId: TENANT },
        ),
        db.transaction((trx) => turn(trx, "c"), { tenantId: TENANT }),
      ]);
      expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
      expect((results[1] as PromiseRejectedResult).reason).toMatchObject({
        code: "STORE_WRITE_FAILED",
      });
      const ids = await db.kysely.selectFrom("meetings").select("id").orderBy("id").execute();
      expect(ids.map((r) => r.id)).toEqual(["a", "c"]);
      expect(await count(db, "log_entries")).toBe(2);
      expect(await count(db, "timers")).toBe(2);
    });

    it("a bad write of one turn, found when a later turn of its group reads, fails the bad turn only", async () => {
      const db = await store.open();
      let reads = 0;
      const results = await Promise.allSettled([
        db.transaction(
          async (trx) => {
            await turn(trx, "bad");
            await badTimer(trx);
          },
          { tenantId: TENANT },
        ),
        db.transaction(
          async (trx) => {
            await turn(trx, "reader");
            // Sends what waits first, the first turn's bad write among it.
            await trx.selectFrom("timers").select("key").execute();
            reads++;
          },
          { tenantId: TENANT },
        ),
      ]);
      expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled"]);
      expect((results[0] as PromiseRejectedResult).reason).toMatchObject({
        code: "STORE_WRITE_FAILED",
      });
      // The reader ran again alone after the group failed, and then its read succeeded.
      expect(reads).toBe(1);
      const ids = await db.kysely.selectFrom("meetings").select("id").execute();
      expect(ids.map((r) => r.id)).toEqual(["reader"]);
      expect(await verifyChain(db, TENANT)).toMatchObject({ ok: true, entries: 1 });
    });

    it("writes of a transaction that throws are dropped: its connection's next transaction carries none of them", async () => {
      const db = await store.open({ ...store.fresh(), poolSize: 1 } as never);
      await expect(
        db.transaction(
          async (trx) => {
            await turn(trx, "thrown");
            throw new Error("changed its mind");
          },
          { tenantId: TENANT },
        ),
      ).rejects.toThrow("changed its mind");
      await db.transaction((trx) => turn(trx, "kept"), { tenantId: TENANT });
      const ids = await db.kysely.selectFrom("meetings").select("id").execute();
      expect(ids.map((r) => r.id)).toEqual(["kept"]);
      expect(await count(db, "outbox")).toBe(1);
    });

    it("a table changed under a prepared statement (another instance migrating) costs one rerun, not a failure", async () => {
      const config = store.fresh();
      const db = await store.open({ ...config, poolSize: 1 } as never);
      await db.transaction((trx) => turn(trx, "m1"), { tenantId: TENANT });
      // The head's upsert (RETURNING seq, hash) is prepared on the one connection; its result
      // type changes under it.
      const other = new pg.Client({ connectionString: (config as { url: string }).url });
      await other.connect();
      await other.query(
        `alter table "${(config as { schema: string }).schema}".log_heads alter column hash type varchar(200)`,
      );
      await other.end();
      await db.transaction((trx) => turn(trx, "m1", "2"), { tenantId: TENANT });
      expect(await count(db, "log_entries")).toBe(2);
    });

    it("outside a transaction nothing waits: the write is there at once", async () => {
      const db = await store.open();
      await scheduleTimer(db.kysely, {
        tenantId: TENANT,
        key: "now",
        meetingId: null,
        kind: "remind",
        payload: {},
        runAt: clock.now(),
      });
      expect(await count(db, "timers")).toBe(1);
    });
  },
  ["postgres"],
);
