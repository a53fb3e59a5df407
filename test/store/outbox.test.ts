import { beforeEach, expect, it } from "vitest";
import type { Database } from "../../src/store/db.js";
import {
  OutboxDispatcher,
  enqueue,
  type DeliveryResult,
  type OutboxItem,
} from "../../src/store/outbox/outbox.js";
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
      { maxAttempts: 3, baseDelayMs: 1000, leaseMs: 60_000 },
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

  it("a permanent refusal is a dead letter at once", async () => {
    answers.push({ ok: false, error: "HTTP 403", permanent: true });
    await put("evt-5#0");
    await dispatcher.runOnce();
    expect(await dispatcher.deadLetters("city-a")).toHaveLength(1);
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
