import { beforeEach, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import type { Database } from "../../src/store/db.js";
import {
  TimerWorker,
  cancelTimers,
  scheduleTimer,
  type Timer,
} from "../../src/store/timers/timers.js";
import { forEachDialect } from "./_util.js";

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
});
