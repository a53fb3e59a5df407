import pg from "pg";
import { expect, it } from "vitest";
import type { Database, Db } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
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
    it("in a group, a turn's four writes go to the database as one statement, sent when it returns", async () => {
      const db = await store.open();
      await db.transaction((trx) => turn(trx, "m1"), { tenantId: TENANT });
      await db.transaction((trx) => turn(trx, "m2"), { tenantId: TENANT });
      // Two turns in one group: the second finds the tenant's log head in the group's scope.
      const during: string[][] = [];
      let started = 0;
      await Promise.all(
        ["m1", "m2"].map((id) =>
          db.transaction(
            async (trx) => {
              started = sent.length;
              await turn(trx, id, "2");
              during.push(sent.slice(started));
            },
            { tenantId: TENANT },
          ),
        ),
      );
      // Nothing was sent while the second turn ran; its writes went after, as one statement.
      expect(during[1]).toEqual([]);
      const writes = sent.slice(started).filter((text) => text.startsWith("with "));
      expect(writes).toHaveLength(1);
      expect(writes[0]).toMatch(
        /insert into "meetings".*insert into "log_entries".*insert into "outbox".*insert into "timers"/s,
      );
      expect(await count(db, "meetings")).toBe(2);
      for (const table of ["log_entries", "outbox", "timers"] as const)
        expect(await count(db, table)).toBe(4);
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
      const timer = (key: string) => ({
        tenantId: TENANT,
        key,
        meetingId: null,
        kind: "remind",
        payload: {},
        runAt: clock.now(),
      });
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

    it("a deferred write that fails fails its own transaction only, with its own error; the others of its group commit", async () => {
      const db = await store.open();
      const results = await Promise.allSettled([
        db.transaction((trx) => turn(trx, "a"), { tenantId: TENANT }),
        db.transaction(
          async (trx) => {
            await turn(trx, "bad");
            // NOT NULL violated: found only when the writes are sent, at the transaction's end.
            await scheduleTimer(trx, {
              tenantId: TENANT,
              key: null as unknown as string,
              meetingId: null,
              kind: "remind",
              payload: {},
              runAt: clock.now(),
            });
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
