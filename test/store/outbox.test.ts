import { beforeEach, expect, it } from "vitest";
import type { Database } from "../../src/store/db.js";
import { OutboxDispatcher, retryDelay } from "../../src/store/outbox/dispatcher.js";
import { enqueue, type DeliveryResult, type OutboxItem } from "../../src/store/outbox/outbox.js";
import { FixedClock } from "../../src/clock.js";
import { forEachDialect } from "./_util.js";

forEachDialect("outbox (R-LOG 3, ARCHITECTURE: delivered after commit)", (store) => {
  let db: Database;
  let clock: FixedClock;
  let delivered: OutboxItem[];
  let answers: DeliveryResult[];
  let dispatcher: OutboxDispatcher;

  beforeEach(async () => {
    db = await store.open();
    clock = new FixedClock("2026-12-01T00:00:00.000Z");
    delivered = [];
    answers = [];
    dispatcher = new OutboxDispatcher(
      db,
      (item) => {
        delivered.push(item);
        return Promise.resolve(answers.shift() ?? { ok: true });
      },
      clock,
      { maxAttempts: 3, baseDelayMs: 1000, leaseMs: 60_000, random: () => 1 },
    );
  });

  const put = (key: string) =>
    db.transaction((trx) =>
      enqueue(trx, clock, {
        tenantId: "city-a",
        idempotencyKey: key,
        kind: "message",
        payload: { text: key },
      }),
    );

  it("delivers a committed row once, and the same idempotency key is written once", async () => {
    await put("evt-1#0");
    await put("evt-1#0");
    expect(await dispatcher.runOnce()).toBe(1);
    expect(await dispatcher.runOnce()).toBe(0);
    expect(delivered.map((d) => [d.idempotencyKey, d.payload])).toEqual([
      ["evt-1#0", { text: "evt-1#0" }],
    ]);
  });

  it("never delivers what a rolled-back transaction wrote", async () => {
    await expect(
      db.transaction(async (trx) => {
        await enqueue(trx, clock, {
          tenantId: "city-a",
          idempotencyKey: "evt-2#0",
          kind: "message",
          payload: {},
        });
        throw new Error("state change failed");
      }),
    ).rejects.toThrow("state change failed");
    expect(await dispatcher.runOnce()).toBe(0);
    expect(delivered).toEqual([]);
  });

  it("waits for Retry-After, then delivers", async () => {
    answers.push({ ok: false, error: "HTTP 429", retryAfterMs: 120_000 });
    await put("evt-3#0");
    await dispatcher.runOnce();
    clock.advance(119_000);
    expect(await dispatcher.runOnce()).toBe(0);
    clock.advance(1_000);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(delivered).toHaveLength(2);
  });

  it("backs off exponentially, then keeps the row as a dead letter with its error", async () => {
    answers.push(
      { ok: false, error: "HTTP 503" },
      { ok: false, error: "HTTP 503" },
      { ok: false, error: "HTTP 502" },
    );
    await put("evt-4#0");
    await dispatcher.runOnce();
    clock.advance(999);
    expect(await dispatcher.runOnce()).toBe(0);
    clock.advance(1);
    expect(await dispatcher.runOnce()).toBe(1);
    clock.advance(2_000);
    expect(await dispatcher.runOnce()).toBe(1);
    clock.advance(3_600_000);
    expect(await dispatcher.runOnce()).toBe(0);
    expect((await dispatcher.deadLetters("city-a")).map((d) => [d.attempts, d.lastError])).toEqual([
      [3, "HTTP 502"],
    ]);
    expect(await dispatcher.deadLetters("city-b")).toEqual([]);
  });

  it("a permanent refusal is a dead letter at once; an admin can put it back", async () => {
    answers.push({ ok: false, error: "HTTP 403", permanent: true });
    await put("evt-5#0");
    await dispatcher.runOnce();
    const [dead] = await dispatcher.deadLetters("city-a");
    expect(dead).toMatchObject({ state: "dead", lastError: "HTTP 403", attempts: 1 });
    if (!dead) return;
    expect(await dispatcher.requeue("city-b", dead.id)).toBe(false);
    expect(await dispatcher.requeue("city-a", dead.id)).toBe(true);
    expect(await dispatcher.runOnce()).toBe(1);
    expect(delivered.map((d) => d.idempotencyKey)).toEqual(["evt-5#0", "evt-5#0"]);
    expect(await dispatcher.deadLetters("city-a")).toEqual([]);
  });

  it("a thrown delivery error is recorded, not lost", async () => {
    const throwing = new OutboxDispatcher(
      db,
      () => Promise.reject(new TypeError("socket hang up")),
      clock,
      { maxAttempts: 1 },
    );
    await put("evt-7#0");
    await throwing.runOnce();
    expect((await throwing.deadLetters("city-a"))[0]?.lastError).toBe("TypeError: socket hang up");
  });

  it("a worker whose lease ran out cannot overwrite its successor's outcome", async () => {
    await put("evt-8#0");
    let release: (r: DeliveryResult) => void = () => undefined;
    const slow = new OutboxDispatcher(
      db,
      () => new Promise<DeliveryResult>((resolve) => (release = resolve)),
      clock,
      { leaseMs: 1_000 },
    );
    const slowPass = slow.runOnce();
    await new Promise((r) => setTimeout(r, 50));
    clock.advance(1_001);
    expect(await dispatcher.runOnce()).toBe(1);
    release({ ok: false, error: "late failure" });
    await slowPass;
    const row = await db.kysely.selectFrom("outbox").select(["state", "last_error"]).execute();
    expect(row).toEqual([{ state: "delivered", last_error: null }]);
  });

  it("a delivery whose worker died is taken up again after its lease", async () => {
    await put("evt-6#0");
    const crashed = new OutboxDispatcher(
      db,
      () => new Promise<DeliveryResult>(() => undefined),
      clock,
    );
    void crashed.runOnce();
    await new Promise((r) => setTimeout(r, 50));
    expect(await dispatcher.runOnce()).toBe(0);
    clock.advance(60_001);
    expect(await dispatcher.runOnce()).toBe(1);
  });
});

it("backoff doubles, is capped, jitters between half and all of it, and honours Retry-After", () => {
  const at = (random: number) => ({ baseDelayMs: 1000, maxDelayMs: 60_000, random: () => random });
  expect([1, 2, 3, 4].map((n) => retryDelay(at(1), n))).toEqual([1000, 2000, 4000, 8000]);
  expect(retryDelay(at(1), 20)).toBe(60_000);
  expect([1, 2, 3].map((n) => retryDelay(at(0), n))).toEqual([500, 1000, 2000]);
  expect(retryDelay(at(0.5), 3)).toBe(3000);
  expect(retryDelay(at(1), 1, 120_000)).toBe(120_000);
  expect(retryDelay(at(1), 5, 10)).toBe(16_000);
});
