import { sql } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { KaigiError } from "../../src/errors.js";
import { Database, type Db } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { saveMeeting } from "../../src/store/repos/meetings.js";
import { testClock } from "../_util.js";
import { forEachDialect, freshConfig } from "./_util.js";

const clock = testClock();

/** A meeting and its log entry, as one governor transition writes them. */
async function write(trx: Db, meetingId: string): Promise<void> {
  await saveMeeting(
    trx,
    {
      id: meetingId,
      tenantId: "city-a",
      organizerId: "aad:o",
      state: "draft",
      approvals: [],
      cleanup: [],
      remindersSent: 0,
    },
    clock.now(),
  );
  await appendLog(trx, clock, [
    { tenantId: "city-a", meetingId, actor: "aad:o", action: "meeting.drafted", payload: {} },
  ]);
}

const meetings = async (db: Database) =>
  (await db.kysely.selectFrom("meetings").select("id").orderBy("id").execute()).map((r) => r.id);

/** A promise that settles when `open` is called. */
function gate(): { closed: Promise<void>; open: () => void } {
  let open = () => undefined as unknown;
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

/** Transitions that count their runs and after-commit hooks; `fail` ends one after it wrote. */
function counted(db: Database) {
  const runs = new Map<string, number>();
  const hooks: string[] = [];
  const transition = (id: string, fail?: (trx: Db) => Promise<void>) =>
    db.transaction(async (trx, onCommit) => {
      runs.set(id, (runs.get(id) ?? 0) + 1);
      onCommit(() => hooks.push(id));
      await write(trx, id);
      if (fail) await fail(trx);
      return id;
    });
  /**
   * What each case checks: which failed and with what code; that exactly the others were kept
   * (rows, after-commit hooks, log entries); how often each ran.
   */
  const outcome = async (
    results: PromiseSettledResult<string>[],
    failed: Record<number, string>,
    ranTimes: Record<string, number>,
  ) => {
    expect(results.map((r) => r.status)).toEqual(
      results.map((_, i) => (i in failed ? "rejected" : "fulfilled")),
    );
    for (const [i, code] of Object.entries(failed))
      expect(results[Number(i)]).toMatchObject({ reason: { code } });
    const kept = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    expect(await meetings(db)).toEqual(kept);
    expect(hooks.sort()).toEqual(kept);
    expect(Object.fromEntries(runs)).toEqual(ranTimes);
    expect(await verifyChain(db, "city-a")).toMatchObject({ ok: true, entries: kept.length });
  };
  return { transition, outcome };
}

forEachDialect("transactions asked for together each commit or fail alone (R-LOG 3)", (store) => {
  it("one that fails among twenty leaves no trace and no hook; the nineteen others commit", async () => {
    const db = await store.open();
    const hooks: string[] = [];
    const ids = Array.from({ length: 20 }, (_, i) => `m${String(i).padStart(2, "0")}`);
    const results = await Promise.allSettled(
      ids.map((id) =>
        db.transaction(async (trx, onCommit) => {
          onCommit(() => hooks.push(id));
          await write(trx, id);
          if (id === "m07") throw new KaigiError("ILLEGAL_TRANSITION", "refused after writing");
          return id;
        }),
      ),
    );
    expect(results.filter((r) => r.status === "rejected")).toEqual([
      { status: "rejected", reason: expect.objectContaining({ code: "ILLEGAL_TRANSITION" }) },
    ]);
    const kept = ids.filter((id) => id !== "m07");
    expect(await meetings(db)).toEqual(kept);
    expect(hooks.sort()).toEqual(kept);
    expect(await verifyChain(db, "city-a")).toMatchObject({ ok: true, entries: 19 });
  });

  it("an after-commit hook that throws fails its own caller only; the writes stay", async () => {
    const db = await store.open();
    const results = await Promise.allSettled(
      ["h1", "h2", "h3"].map((id) =>
        db.transaction(async (trx, onCommit) => {
          await write(trx, id);
          onCommit(() => {
            if (id === "h2") throw new Error("wake-up failed");
          });
          return id;
        }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(await meetings(db)).toEqual(["h1", "h2", "h3"]);
  });

  it("each tenant's chain goes on from the head the group's previous transaction moved, and the next group's from the committed head", async () => {
    const db = await store.open();
    const entry = (tenantId: string, n: number) => ({
      tenantId,
      meetingId: null,
      actor: "aad:o",
      action: "test.entry",
      payload: { n },
    });
    const round = () =>
      Promise.all(
        ["city-a", "city-b", "city-a", "city-a", "city-b"].map((tenantId, i) =>
          db.transaction(async (trx) => {
            await appendLog(trx, clock, [entry(tenantId, i)]);
            if (i === 3) await appendLog(trx, clock, [entry(tenantId, 10), entry(tenantId, 11)]);
          }),
        ),
      );
    await round();
    await round();
    expect(await verifyChain(db, "city-a")).toMatchObject({ ok: true, entries: 10 });
    expect(await verifyChain(db, "city-b")).toMatchObject({ ok: true, entries: 4 });
    const seqs = await db.kysely
      .selectFrom("log_entries")
      .select(["tenant_id", "seq"])
      .orderBy("tenant_id")
      .orderBy("seq")
      .execute();
    expect(seqs.filter((r) => r.tenant_id === "city-a").map((r) => r.seq)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it("one whose work meets a deadlock or serialization failure runs again with its group, and all commit", async () => {
    const { transition, outcome } = counted(await store.open());
    const code = store.dialect === "sqlite" ? "SQLITE_BUSY" : "40P01";
    let thrown = false;
    const once = () => {
      if (thrown) return Promise.resolve();
      thrown = true;
      return Promise.reject(Object.assign(new Error("deadlock detected"), { code }));
    };
    const results = await Promise.allSettled([transition("a"), transition("d", once)]);
    await outcome(results, {}, { a: 2, d: 2 });
  });

  it("one that fails after writing fails alone: those before it in the group run again, without its writes", async () => {
    const { transition, outcome } = counted(await store.open());
    const refuse = () =>
      Promise.reject(new KaigiError("ILLEGAL_TRANSITION", "refused after writing"));
    // Asked for in one turn of the event loop: one group, with two that fail.
    const results = await Promise.allSettled([
      transition("a"),
      transition("x", refuse),
      transition("b"),
      transition("y", refuse),
      transition("c"),
    ]);
    // a ran before x failed, and again; a and b before y failed, and again: a three times.
    await outcome(
      results,
      { 1: "ILLEGAL_TRANSITION", 3: "ILLEGAL_TRANSITION" },
      { a: 3, x: 1, b: 2, y: 1, c: 1 },
    );
  });
});

describe("SQLite group commit", () => {
  const opened: { db: Database; cleanup: () => Promise<void> }[] = [];
  afterEach(async () => {
    for (const { db, cleanup } of opened.splice(0)) {
      await db.close();
      await cleanup();
    }
  });
  const store = {
    open: async () => {
      const { config, cleanup } = freshConfig("sqlite");
      const db = await Database.open(config);
      opened.push({ db, cleanup });
      return db;
    },
  };

  it("transactions asked for in the same turn of the event loop are committed together", async () => {
    const db = await store.open();
    const other = db.sqliteReader();
    if (!other || other.shared) throw new Error("a file database has a second connection");
    const seenFromOutside: (string | undefined)[] = [];
    await Promise.all([
      db.transaction((trx) => write(trx, "first")),
      db.transaction(async (trx) => {
        // Inside the group the first one's meeting is there; another connection does not see
        // it yet, because it is committed with this one, not before.
        const inside = await trx.selectFrom("meetings").select("id").execute();
        expect(inside.map((r) => r.id)).toEqual(["first"]);
        const row = other.reader.prepare("select id from meetings").get() as
          { id: string } | undefined;
        seenFromOutside.push(row?.id);
        await write(trx, "second");
      }),
    ]);
    expect(seenFromOutside).toEqual([undefined]);
    expect(other.reader.prepare("select count(*) as n from meetings").get()).toEqual({ n: 2 });
    other.reader.close();
  });

  it("keeps its temporary journals in memory, not in a temporary file", async () => {
    // A group of 32 savepoints journaled far more than the 64 KiB SQLite keeps in memory when
    // temporary files go to disk; that spill doubled a governance turn's writes (bench:teams).
    const db = await store.open();
    const { rows } = await sql<{ temp_store: number }>`pragma temp_store`.execute(db.kysely);
    expect(rows).toEqual([{ temp_store: 2 }]);
  });

  it("one that goes on after SQLite abandoned the transaction fails alone; nothing after it runs outside the group", async () => {
    const { transition, outcome } = counted(await store.open());
    // Catches the error after which SQLite dropped the transaction, and returns as if all is well.
    const swallow = async (trx: Db) => {
      await sql`rollback`.execute(trx);
    };
    const results = await Promise.allSettled([
      transition("a"),
      transition("swallowed", swallow),
      transition("c"),
    ]);
    await outcome(results, { 1: "STORE_WRITE_FAILED" }, { a: 2, swallowed: 1, c: 1 });
  });

  it("one that makes SQLite abandon the whole transaction fails alone; those before it in the group run again and commit", async () => {
    const { transition, outcome } = counted(await store.open());
    // What SQLite does by itself on some errors (SQLITE_FULL, SQLITE_IOERR…).
    const abandon = async (trx: Db) => {
      await sql`rollback`.execute(trx);
      throw Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" });
    };
    const results = await Promise.allSettled([
      transition("a"),
      transition("b"),
      transition("lost", abandon),
      transition("c"),
    ]);
    await outcome(results, { 2: "STORE_WRITE_FAILED" }, { a: 2, b: 2, lost: 1, c: 1 });
  });
});

forEachDialect(
  "PostgreSQL group commit",
  (store) => {
    it("transactions asked for in the same turn of the event loop are committed together", async () => {
      const config = store.fresh();
      const db = await store.open(config);
      const other = await store.open(config);
      const seenFromOutside: string[][] = [];
      await Promise.all([
        db.transaction((trx) => write(trx, "first")),
        db.transaction(async (trx) => {
          const inside = await trx.selectFrom("meetings").select("id").execute();
          expect(inside.map((r) => r.id)).toEqual(["first"]);
          seenFromOutside.push(await meetings(other));
          await write(trx, "second");
        }),
      ]);
      expect(seenFromOutside).toEqual([[]]);
      expect(await meetings(other)).toEqual(["first", "second"]);
    });

    // An error aborts PostgreSQL's whole transaction; one that catches it and goes on is seen only
    // at the next statement, another transaction's or the check before COMMIT.
    const swallow = async (trx: Db) => {
      await sql`select 1 / 0`.execute(trx).catch(() => undefined);
    };

    it("one that catches an error and goes on fails alone; the others of its group run again, each in a group of its own", async () => {
      const { transition, outcome } = counted(await store.open());
      const results = await Promise.allSettled([
        transition("a"),
        transition("swallowed", swallow),
        transition("c"),
      ]);
      // c's first statement found the transaction aborted: all three ran again, alone.
      await outcome(results, { 1: "STORE_WRITE_FAILED" }, { a: 2, swallowed: 2, c: 2 });
    });

    it("the last of a group that catches an error and goes on is found before COMMIT", async () => {
      const { transition, outcome } = counted(await store.open());
      const results = await Promise.allSettled([transition("a"), transition("swallowed", swallow)]);
      await outcome(results, { 1: "STORE_WRITE_FAILED" }, { a: 2, swallowed: 2 });
    });

    it("two instances' groups of one tenant take turns (its lock), so they never deadlock; another tenant's group does not wait", async () => {
      // Two instances (two pools) on one schema. Their groups of city-a would each hold some of its
      // rows (the log head, meetings) and wait for the other's: the tenant's advisory lock, taken
      // first by each of its groups, orders them. city-b's group takes another lock, other rows.
      const config = store.fresh();
      const one = await store.open(config);
      const two = await store.open(config);
      const held = gate();
      const started = gate();
      const first = one.transaction(
        async (trx) => {
          await write(trx, "one");
          started.open();
          await held.closed;
        },
        { tenantId: "city-a" },
      );
      await started.closed;
      const entry = (tenantId: string) => ({
        tenantId,
        meetingId: null,
        actor: "aad:p",
        action: "test.entry",
        payload: {},
      });
      let sameTenantDone = false;
      const sameTenant = two
        .transaction((trx) => appendLog(trx, clock, [entry("city-a")]), { tenantId: "city-a" })
        .then(() => {
          sameTenantDone = true;
        });
      const otherAt = Date.now();
      await two.transaction((trx) => appendLog(trx, clock, [entry("city-b")]), {
        tenantId: "city-b",
      });
      expect(Date.now() - otherAt).toBeLessThan(150);
      await new Promise((resolve) => setTimeout(resolve, 150));
      expect(sameTenantDone).toBe(false);
      held.open();
      await Promise.all([first, sameTenant]);
      expect(sameTenantDone).toBe(true);
      expect(await verifyChain(one, "city-a")).toMatchObject({ ok: true, entries: 2 });
      expect(await verifyChain(one, "city-b")).toMatchObject({ ok: true, entries: 1 });
    });
  },
  ["postgres"],
);
