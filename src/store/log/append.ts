import { randomBytes } from "node:crypto";
import type { Clock } from "../../clock.js";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";
import { GENESIS_HASH, canonicalJson, entryHash, sensitiveHash } from "./chain.js";

export interface NewLogEntry {
  tenantId: string;
  meetingId: string | null;
  actor: string;
  action: string;
  payload: Record<string, unknown>;
  /** Personal data: kept beside the chain, hashed into it with a salt, erasable (redact). */
  sensitive?: Record<string, unknown>;
}

export interface AppendedEntry {
  seq: number;
  hash: string;
  at: string;
}

/**
 * Appends entries to their tenants' chains inside the caller's transaction. The tenant's head row
 * is locked first (FOR UPDATE on PostgreSQL; SQLite's write lock is already held), so concurrent
 * writers queue instead of forking the chain; (tenant, seq) is unique as a backstop.
 */
export async function appendLog(
  trx: Db,
  dialect: "sqlite" | "postgres",
  clock: Clock,
  entries: NewLogEntry[],
): Promise<AppendedEntry[]> {
  const out: AppendedEntry[] = [];
  const heads = new Map<string, { seq: number; hash: string }>();
  for (const entry of entries) {
    requireTenant(entry.tenantId, "appendLog");
    let head = heads.get(entry.tenantId);
    if (!head) head = await lockHead(trx, dialect, entry.tenantId);
    const at = clock.now().toISOString();
    const payload = canonicalJson(entry.payload);
    const seq = head.seq + 1;
    let hidden: { salt: string; data: string; hash: string } | undefined;
    if (entry.sensitive && Object.keys(entry.sensitive).length > 0) {
      const salt = randomBytes(16).toString("hex");
      const data = canonicalJson(entry.sensitive);
      hidden = { salt, data, hash: sensitiveHash(salt, data) };
    }
    const chained = {
      tenantId: entry.tenantId,
      seq,
      meetingId: entry.meetingId,
      actor: entry.actor,
      action: entry.action,
      payload,
      sensitiveHash: hidden?.hash ?? null,
      at,
      prevHash: head.hash,
    };
    const hash = entryHash(chained);
    await trx
      .insertInto("log_entries")
      .values({
        tenant_id: entry.tenantId,
        seq,
        meeting_id: entry.meetingId,
        actor: entry.actor,
        action: entry.action,
        payload,
        sensitive_hash: chained.sensitiveHash,
        at,
        prev_hash: head.hash,
        hash,
      })
      .execute();
    if (hidden) {
      await trx
        .insertInto("log_sensitive")
        .values({ tenant_id: entry.tenantId, seq, salt: hidden.salt, data: hidden.data })
        .execute();
    }
    head = { seq, hash };
    heads.set(entry.tenantId, head);
    out.push({ seq, hash, at });
  }
  for (const [tenantId, head] of heads) {
    await trx
      .updateTable("log_heads")
      .set({ seq: head.seq, hash: head.hash })
      .where("tenant_id", "=", tenantId)
      .execute();
  }
  return out;
}

async function lockHead(trx: Db, dialect: "sqlite" | "postgres", tenantId: string) {
  await trx
    .insertInto("log_heads")
    .values({ tenant_id: tenantId, seq: 0, hash: GENESIS_HASH })
    .onConflict((oc) => oc.column("tenant_id").doNothing())
    .execute();
  let query = trx.selectFrom("log_heads").select(["seq", "hash"]).where("tenant_id", "=", tenantId);
  if (dialect === "postgres") query = query.forUpdate();
  return query.executeTakeFirstOrThrow();
}

/** Erases an entry's personal data; the chain still verifies (it holds only the salted hash). */
export async function redactEntry(trx: Db, tenantId: string, seq: number): Promise<boolean> {
  requireTenant(tenantId, "redactEntry");
  const res = await trx
    .deleteFrom("log_sensitive")
    .where("tenant_id", "=", tenantId)
    .where("seq", "=", seq)
    .executeTakeFirst();
  return Number(res.numDeletedRows) > 0;
}
