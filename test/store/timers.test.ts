import { beforeEach, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import type { Database } from "../../src/store/db.js";
import {
  TimerWorker,
  cancelTimers,
  listTimers,
  scheduleTimer,
  type Timer,
} from "../../src/store/timers/timers.js";
import { countStatements, forEachDialect } from "./_util.js";

forEachDialect("durable timers (R-POST 3)", (store) => {
  let db: Database;
  let clock: FixedClock;
  let fired: Timer[];
  const worker = (id: string, fail = false) =>
    new TimerWorker(db, id, clock, async (trx, timer) => {
      fired.push(timer);
      await trx
        .insertInto("processed_events")
        .values({
          tenant_id: timer.tenantId,
          event_id: `fired:${timer.key}`,
          at: clock.now().toISOString(),
        })
        .execute();
      if (fail) throw new Error("handler failed");
    });

  beforeEach(async () => {
    db = await store.open();
    clock = new FixedClock("2026-12-01T00:00:00.000Z");
    fired = [];
  });

  const schedule = (key: string, inMs: number, tenantId = "city-a") =>
    db.transaction((trx) =>
      scheduleTimer(trx, {
        tenantId,
        key,
        meetingId: "m1",
        kind: "reminder-due",
        payload: { n: 1 },
        runAt: new Date(clock.now().getTime() + inMs),
      }),
    );

  const firedRows = async () =>
    (await db.kysely.selectFrom("processed_events").select("event_id").execute())
      .map((r) => r.event_id)
      .sort();

  it("fires when due, once; a duplicate key is ignored", async () => {
    await schedule("m1:reminder:1", 60_000);
    await schedule("m1:reminder:1", 1);
    expect(await worker("w1").runOnce()).toBe(0);
    clock.advance(60_000);
    expect(await worker("w1").runOnce()).toBe(1);
    expect(await worker("w1").runOnce()).toBe(0);
    expect(await firedRows()).toEqual(["fired:m1:reminder:1"]);
  });

  it("timers missed while the bot was down fire at start-up", async () => {
    await schedule("a", 1_000);
    await schedule("b", 2_000);
    clock.advance(86_400_000);
    expect(await worker("restarted").runOnce()).toBe(2);
  });

  it("a failing handler rolls back its writes and retries later with backoff", async () => {
    await schedule("m1:reminder:2", 0);
    expect(await worker("w1", true).runOnce()).toBe(0);
    expect(await firedRows()).toEqual([]);
    expect(await listTimers(db.kysely, "city-a")).toEqual([
      {
        key: "m1:reminder:2",
        kind: "reminder-due",
        meetingId: "m1",
        runAt: "2026-12-01T00:00:05.000Z",
        attempts: 1,
        lastError: "Error: handler failed",
      },
    ]);
    expect(await listTimers(db.kysely, "city-b")).toEqual([]);
    expect(await worker("w1").runOnce()).toBe(0);
    clock.advance(5_000);
    expect(await worker("w1").runOnce()).toBe(1);
    expect(await firedRows()).toEqual(["fired:m1:reminder:2"]);
  });

  it("cancels by key prefix within one tenant, treating % and _ literally", async () => {
    await schedule("m1:reminder:1", 0);
    await schedule("m1:reminder:2", 0);
    await schedule("m1:end-fallback", 0);
    await schedule("m1_reminder:9", 0);
    await schedule("m1:reminder:1", 0, "city-b");
    await db.transaction((trx) => cancelTimers(trx, "city-a", "m1:reminder:"));
    const keys = await db.kysely
      .selectFrom("timers")
      .select(["tenant_id", "key"])
      .orderBy("tenant_id")
      .orderBy("key")
      .execute();
    expect(keys).toEqual([
      { tenant_id: "city-a", key: "m1:end-fallback" },
      { tenant_id: "city-a", key: "m1_reminder:9" },
      { tenant_id: "city-b", key: "m1:reminder:1" },
    ]);
  });

  it("a worker whose lease ran out cannot fire what another worker took over", async () => {
    await schedule("slow", 0);
    const stalled = await worker("slow-worker").claim();
    expect(stalled.map((t) => t.key)).toEqual(["slow"]);
    expect(await worker("fast").runOnce()).toBe(0);
    clock.advance(30_001);
    expect(await worker("fast").runOnce()).toBe(1);
    expect(await worker("slow-worker").fireClaimed(stalled)).toBe(0);
    expect(await firedRows()).toEqual(["fired:slow"]);
  });

  it("a stopping worker finishes the timer it is firing and hands the rest of its batch back at once", async () => {
    for (const key of ["s1", "s2", "s3", "s4"]) await schedule(key, 0);
    const stopping: TimerWorker = new TimerWorker(db, "stopping", clock, async (trx, timer) => {
      fired.push(timer);
      stopping.stop(); // shutdown arrives while the first timer is being fired
      await trx
        .insertInto("processed_events")
        .values({ tenant_id: timer.tenantId, event_id: `fired:${timer.key}`, at: "x" })
        .execute();
    });
    expect(await stopping.runOnce()).toBe(1);
    expect(await stopping.runOnce()).toBe(0); // claims nothing more
    const held = await db.kysely
      .selectFrom("timers")
      .select(["key", "locked_by"])
      .orderBy("key")
      .execute();
    expect(held).toEqual([
      { key: "s2", locked_by: null },
      { key: "s3", locked_by: null },
      { key: "s4", locked_by: null },
    ]);
    // Another instance fires them now, without waiting for the 30 s lease.
    expect(await worker("other").runOnce()).toBe(3);
    expect(await firedRows()).toEqual(["fired:s1", "fired:s2", "fired:s3", "fired:s4"]);
  });

  it("a restarted worker with the same id cannot fire through its old, expired claim", async () => {
    await schedule("again", 0);
    const old = await worker("w1").claim();
    clock.advance(30_001);
    const fresh = await worker("w1").claim();
    expect(await worker("w1").fireClaimed(old)).toBe(0);
    expect(await worker("w1").fireClaimed(fresh)).toBe(1);
    expect(fired.map((t) => t.key)).toEqual(["again"]);
  });

  it("a timer that keeps failing stops after maxAttempts and stays visible with its error", async () => {
    const failing = new TimerWorker(
      db,
      "w1",
      clock,
      () => Promise.reject(new Error("platform down")),
      { maxAttempts: 2, baseDelayMs: 1_000 },
    );
    await schedule("doomed", 0);
    expect(await failing.runOnce()).toBe(0);
    clock.advance(1_000);
    expect(await failing.runOnce()).toBe(0);
    clock.advance(86_400_000);
    expect(await failing.claim()).toEqual([]);
    expect(await listTimers(db.kysely, "city-a")).toMatchObject([
      { key: "doomed", attempts: 2, lastError: "Error: platform down" },
    ]);
  });

  it("a batch's timers fire in the order claimed, and one whose handler fails fails alone", async () => {
    for (const key of ["b1", "b2", "b3", "b4", "b5"]) await schedule(key, 0);
    const order: string[] = [];
    const picky = new TimerWorker(db, "w1", clock, async (trx, timer) => {
      order.push(timer.key);
      if (timer.key === "b3") throw new Error("b3 refused");
      await trx
        .insertInto("processed_events")
        .values({ tenant_id: timer.tenantId, event_id: `fired:${timer.key}`, at: "x" })
        .execute();
    });
    expect(await picky.runOnce()).toBe(4);
    // b3 ran once and failed; the others of its group ran again without it, in the same order.
    expect(order).toEqual(["b1", "b2", "b3", "b1", "b2", "b4", "b5"]);
    expect(await firedRows()).toEqual(["fired:b1", "fired:b2", "fired:b4", "fired:b5"]);
    expect(await listTimers(db.kysely, "city-a")).toMatchObject([
      { key: "b3", attempts: 1, lastError: "Error: b3 refused" },
    ]);
  });
});

const sent = countStatements();

forEachDialect(
  "durable timers: a batch shares its commits (PostgreSQL)",
  (store) => {
    it("20 due timers of one tenant fired in one pass take one or two COMMITs, not 20", async () => {
      const db = await store.open();
      const clock = new FixedClock("2026-12-01T00:00:00.000Z");
      for (let i = 0; i < 20; i++)
        await db.transaction((trx) =>
          scheduleTimer(trx, {
            tenantId: "city-a",
            key: `t${String(i)}`,
            meetingId: null,
            kind: "reminder-due",
            payload: {},
            runAt: clock.now(),
          }),
        );
      const worker = new TimerWorker(db, "w1", clock, () => Promise.resolve());
      const before = sent.length;
      expect(await worker.runOnce()).toBe(20);
      const commits = sent.slice(before).filter((t) => t.startsWith("/*kaigi:group-commit*/"));
      // The claim's group, and the firing tenant's group(s).
      expect(commits.length).toBeLessThanOrEqual(3);
      expect(await listTimers(db.kysely, "city-a")).toEqual([]);
    });
  },
  ["postgres"],
);
