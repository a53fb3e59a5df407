import { generateKeyPairSync } from "node:crypto";
import { beforeEach, expect, it, vi } from "vitest";
import { systemClock } from "../../src/clock.js";
import type { Database } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import type { Checkpoint } from "../../src/store/log/checkpoint.js";
import { enqueue, type OutboxItem } from "../../src/store/outbox/outbox.js";
import { scheduleTimer } from "../../src/store/timers/timers.js";
import { startStoreWorkers } from "../../src/store/workers.js";
import { forEachDialect } from "./_util.js";

forEachDialect("store workers: outbox, timers and checkpoints in the background", (store) => {
  let db: Database;
  beforeEach(async () => {
    db = await store.open();
  });

  it("a timer missed while down fires at start-up; what it enqueues is delivered after its commit", async () => {
    await db.transaction((trx) =>
      scheduleTimer(trx, {
        tenantId: "city-a",
        key: "m1:reminder:1",
        meetingId: "m1",
        kind: "reminder-due",
        payload: { n: 1 },
        runAt: new Date(Date.now() - 86_400_000),
      }),
    );
    const delivered: OutboxItem[] = [];
    const shipped: Checkpoint[][] = [];
    const errors: unknown[] = [];
    const workers = startStoreWorkers(db, {
      workerId: `test-${String(process.pid)}`,
      clock: systemClock,
      idleMs: 60_000, // nothing but start-up and wakes may drive this test
      onError: (e) => errors.push(e),
      deliver: (item) => {
        delivered.push(item);
        return Promise.resolve({ ok: true });
      },
      fireTimer: async (trx, timer) => {
        await appendLog(trx, systemClock, [
          {
            tenantId: timer.tenantId,
            meetingId: timer.meetingId,
            actor: "system:timer",
            action: "reminder.sent",
            payload: {},
          },
        ]);
        await enqueue(trx, systemClock, {
          tenantId: timer.tenantId,
          idempotencyKey: `timer:${timer.key}#0`,
          kind: "message",
          payload: { template: "reminder" },
        });
      },
      checkpoints: {
        key: generateKeyPairSync("ed25519").privateKey,
        everyMs: 50,
        ship: (made) => {
          shipped.push(made);
          return Promise.resolve();
        },
      },
    });
    try {
      await vi.waitFor(() => {
        expect(delivered.map((d) => d.idempotencyKey)).toEqual(["timer:m1:reminder:1#0"]);
      });
      // A row written by a later transaction is sent as soon as its commit wakes the outbox.
      await db.transaction(async (trx, onCommit) => {
        await enqueue(trx, systemClock, {
          tenantId: "city-a",
          idempotencyKey: "evt-9#0",
          kind: "message",
          payload: {},
        });
        onCommit(workers.wakeOutbox);
      });
      await vi.waitFor(() => {
        expect(delivered).toHaveLength(2);
      });
      await vi.waitFor(() => {
        expect(shipped.flat().map((c) => c.tenantId)).toContain("city-a");
      });
    } finally {
      await workers.stop();
    }
    expect(errors).toEqual([]);
  });
});
