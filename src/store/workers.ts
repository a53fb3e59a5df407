import type { KeyObject } from "node:crypto";
import type { Clock } from "../clock.js";
import type { Database } from "./db.js";
import { makeCheckpoints, type Checkpoint } from "./log/checkpoint.js";
import { OutboxDispatcher } from "./outbox/dispatcher.js";
import type { DeliveryResult, OutboxItem } from "./outbox/outbox.js";
import { PollLoop } from "./poll-loop.js";
import { TimerWorker, type FireTimer } from "./timers/timers.js";

export interface StoreWorkerOptions {
  /** Unique per process (e.g. host + pid): leases name it. */
  workerId: string;
  clock: Clock;
  /** Delivers one outbox row (a message or a platform call) with its idempotency key. */
  deliver: (item: OutboxItem) => Promise<DeliveryResult>;
  /** Runs a due timer's work inside the transaction that also deletes the timer. */
  fireTimer: FireTimer;
  /** Where a failed pass is reported (logging); the pass is retried at the next tick. */
  onError: (error: unknown) => void;
  /** How often to look for work nobody woke us for (other instances', missed). Default 1 s. */
  idleMs?: number;
  /**
   * How long an instance keeps what it claimed before another may take it over, in the clock's
   * time (defaults: outbox rows 60 s, timers 30 s). Longer than the slowest delivery.
   */
  leases?: { outboxMs?: number; timerMs?: number };
  /** Signed checkpoints every `everyMs`, handed to `ship` to keep outside the database. */
  checkpoints?: {
    key: KeyObject;
    everyMs: number;
    ship: (made: Checkpoint[]) => Promise<void>;
  };
}

export interface StoreWorkers {
  /** Call after a commit that wrote outbox rows (governorStore's afterCommit). */
  wakeOutbox: () => void;
  /** Call after a commit that scheduled a timer due now. */
  wakeTimers: () => void;
  /** Stops the loops and waits for the passes under way. */
  stop: () => Promise<void>;
}

/**
 * Starts the background work of one instance: the outbox dispatcher, the timer worker (missed
 * timers fire on the first pass, i.e. at start-up) and, if configured, periodic checkpoints.
 */
export function startStoreWorkers(db: Database, options: StoreWorkerOptions): StoreWorkers {
  const { workerId, clock, onError, idleMs = 1_000 } = options;
  const { outboxMs, timerMs } = options.leases ?? {};
  const dispatcher = new OutboxDispatcher(
    db,
    options.deliver,
    clock,
    outboxMs === undefined ? {} : { leaseMs: outboxMs },
  );
  const outbox = new PollLoop(() => dispatcher.runOnce(), { idleMs, onError });
  const worker = new TimerWorker(
    db,
    workerId,
    clock,
    async (trx, timer, onCommit) => {
      await options.fireTimer(trx, timer, onCommit);
      onCommit(() => {
        outbox.wake();
      });
    },
    timerMs === undefined ? {} : { leaseMs: timerMs },
  );
  const timers = new PollLoop(() => worker.runOnce(), { idleMs, onError });
  const loops = [outbox, timers];
  const cp = options.checkpoints;
  if (cp) {
    loops.push(
      new PollLoop(
        async () => {
          await cp.ship(await makeCheckpoints(db.kysely, cp.key, clock));
          return 0;
        },
        { idleMs: cp.everyMs, onError },
      ),
    );
  }
  for (const loop of loops) loop.start();
  return {
    wakeOutbox: () => {
      outbox.wake();
    },
    wakeTimers: () => {
      timers.wake();
    },
    stop: async () => {
      // The timers whose firing has begun finish; the rest of its batch is handed back to other instances.
      worker.stop();
      await Promise.all(loops.map((loop) => loop.stop()));
    },
  };
}
