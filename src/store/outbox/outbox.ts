import type { Clock } from "../../clock.js";
import { precompiled } from "../compiled.js";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";
import { canonicalJson } from "../log/chain.js";

export interface OutboxItem {
  id: number;
  tenantId: string;
  idempotencyKey: string;
  kind: string;
  payload: Record<string, unknown>;
  attempts: number;
  state: "pending" | "delivering" | "delivered" | "dead";
  lastError: string | null;
}

/** What a delivery attempt came to; a value, not an exception (STYLE 8). */
export type DeliveryResult =
  { ok: true } | { ok: false; error: string; retryAfterMs?: number; permanent?: boolean };

/** Writes a delivery into the caller's transaction; the same idempotency key is written once. */
export async function enqueue(
  trx: Db,
  clock: Clock,
  item: {
    tenantId: string;
    idempotencyKey: string;
    kind: string;
    payload: Record<string, unknown>;
  },
): Promise<void> {
  requireTenant(item.tenantId, "enqueue");
  const now = clock.now().toISOString();
  await insertItem(
    trx,
    item.tenantId,
    item.idempotencyKey,
    item.kind,
    canonicalJson(item.payload),
    now,
  );
}

const insertItem = precompiled(
  (db: Db, tenantId: string, idempotencyKey: string, kind: string, payload: string, now: string) =>
    db
      .insertInto("outbox")
      .values({
        tenant_id: tenantId,
        idempotency_key: idempotencyKey,
        kind,
        payload,
        state: "pending",
        attempts: 0,
        next_attempt_at: now,
        created_at: now,
      })
      .onConflict((oc) => oc.column("idempotency_key").doNothing()),
  { defer: "outbox", rows: { key: [1] } },
);

/** Requeues a dead letter in the caller's transaction (so the admin's log entry goes with it). */
export async function requeueDead(
  trx: Db,
  clock: Clock,
  tenantId: string,
  id: number,
): Promise<boolean> {
  requireTenant(tenantId, "requeue");
  const res = await trx
    .updateTable("outbox")
    .set({ state: "pending", attempts: 0, next_attempt_at: clock.now().toISOString() })
    .where("tenant_id", "=", tenantId)
    .where("id", "=", id)
    .where("state", "=", "dead")
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}
