import type { Clock } from "../../clock.js";
import type { Database } from "../db.js";
import { requireTenant } from "../errors.js";
import { requeueDead, type DeliveryResult, type OutboxItem } from "./outbox.js";

export interface DispatcherOptions {
  maxAttempts: number;
  leaseMs: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /** Source of jitter in [0, 1); injected so tests can pin it. */
  random: () => number;
}

const defaults: DispatcherOptions = {
  maxAttempts: 8,
  leaseMs: 60_000,
  baseDelayMs: 1_000,
  maxDelayMs: 3_600_000,
  random: Math.random,
};

/**
 * The wait before attempt n+1: exponential from baseDelayMs, capped at maxDelayMs, with "equal
 * jitter" (between half and all of it) so instances that failed together do not retry together;
 * never shorter than the platform's Retry-After.
 */
export function retryDelay(
  options: Pick<DispatcherOptions, "baseDelayMs" | "maxDelayMs" | "random">,
  attempts: number,
  retryAfterMs?: number,
): number {
  const backoff = Math.min(
    options.maxDelayMs,
    options.baseDelayMs * 2 ** Math.max(0, attempts - 1),
  );
  const jittered = Math.round(backoff / 2 + (backoff / 2) * options.random());
  return Math.max(jittered, retryAfterMs ?? 0);
}

/** The columns an OutboxItem is read from. */
const ITEM_COLUMNS = [
  "id",
  "tenant_id",
  "idempotency_key",
  "kind",
  "payload",
  "attempts",
  "state",
  "last_error",
] as const;

type Row = {
  id: number;
  tenant_id: string;
  idempotency_key: string;
  kind: string;
  payload: string;
  attempts: number;
  state: string;
  last_error: string | null;
};

const toItem = (r: Row): OutboxItem => ({
  id: r.id,
  tenantId: r.tenant_id,
  idempotencyKey: r.idempotency_key,
  kind: r.kind,
  payload: JSON.parse(r.payload) as Record<string, unknown>,
  attempts: r.attempts,
  state: r.state as OutboxItem["state"],
  lastError: r.last_error,
});

/**
 * Delivers committed outbox rows: claims due rows under a lease (SKIP LOCKED on PostgreSQL, so
 * several instances share the work), delivers each with its idempotency key, then records the
 * outcome: delivered, retried with exponential backoff or the platform's Retry-After, or dead
 * after `maxAttempts` with the last error kept for the admin.
 */
export class OutboxDispatcher {
  private readonly options: DispatcherOptions;

  constructor(
    private readonly db: Database,
    private readonly deliver: (item: OutboxItem) => Promise<DeliveryResult>,
    private readonly clock: Clock,
    options: Partial<DispatcherOptions> = {},
  ) {
    this.options = { ...defaults, ...options };
  }

  /**
   * One pass: returns how many rows it attempted. The rows are delivered one after another, in
   * the order claimed; each outcome is recorded without holding up the next delivery, so the
   * records of a pass share group commits instead of each waiting for its own.
   */
  async runOnce(limit = 50): Promise<number> {
    const items = await this.claim(limit);
    const records: Promise<void>[] = [];
    for (const item of items) {
      let result: DeliveryResult;
      try {
        result = await this.deliver(item);
      } catch (error) {
        result = {
          ok: false,
          error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
        };
      }
      const record = this.record(item, result);
      // Handled now (its error is thrown below, by Promise.all), not flagged as unhandled
      // while the next delivery is awaited.
      record.catch(() => undefined);
      records.push(record);
    }
    await Promise.all(records);
    return items.length;
  }

  private claim(limit: number): Promise<OutboxItem[]> {
    return this.db.transaction(async (trx) => {
      const now = this.clock.now();
      const nowIso = now.toISOString();
      let due = trx
        .selectFrom("outbox")
        .select("id")
        .where((eb) =>
          eb.or([
            eb.and([eb("state", "=", "pending"), eb("next_attempt_at", "<=", nowIso)]),
            eb.and([eb("state", "=", "delivering"), eb("locked_until", "<", nowIso)]),
          ]),
        )
        .orderBy("id")
        .limit(limit);
      if (this.db.dialect === "postgres") due = due.forUpdate().skipLocked();
      const ids = (await due.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await trx
        .updateTable("outbox")
        .set((eb) => ({
          state: "delivering",
          attempts: eb("attempts", "+", 1),
          locked_until: new Date(now.getTime() + this.options.leaseMs).toISOString(),
        }))
        .where("id", "in", ids)
        .returning(ITEM_COLUMNS)
        .execute();
      return rows.map(toItem);
    });
  }

  /**
   * Records an attempt's outcome, only while this attempt still owns the row (state delivering,
   * same attempt number): a worker whose lease ran out cannot overwrite its successor's result.
   */
  private async record(item: OutboxItem, result: DeliveryResult): Promise<void> {
    const now = this.clock.now();
    const update = result.ok
      ? {
          state: "delivered",
          delivered_at: now.toISOString(),
          locked_until: null,
          last_error: null,
        }
      : result.permanent === true || item.attempts >= this.options.maxAttempts
        ? { state: "dead", locked_until: null, last_error: result.error }
        : {
            state: "pending",
            locked_until: null,
            last_error: result.error,
            next_attempt_at: new Date(
              now.getTime() + retryDelay(this.options, item.attempts, result.retryAfterMs),
            ).toISOString(),
          };
    await this.db.transaction((trx) =>
      trx
        .updateTable("outbox")
        .set(update)
        .where("tenant_id", "=", item.tenantId)
        .where("id", "=", item.id)
        .where("state", "=", "delivering")
        .where("attempts", "=", item.attempts)
        .execute(),
    );
  }

  /** Puts a dead letter back in the queue (an admin's decision); false if it is not dead. */
  async requeue(tenantId: string, id: number): Promise<boolean> {
    return this.db.transaction((trx) => requeueDead(trx, this.clock, tenantId, id));
  }

  /** Rows that gave up, for the admin console. */
  async deadLetters(tenantId: string): Promise<OutboxItem[]> {
    requireTenant(tenantId, "deadLetters");
    const rows = await this.db.kysely
      .selectFrom("outbox")
      .select(ITEM_COLUMNS)
      .where("tenant_id", "=", tenantId)
      .where("state", "=", "dead")
      .orderBy("id")
      .execute();
    return rows.map(toItem);
  }
}
