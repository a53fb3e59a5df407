import { randomBytes } from "node:crypto";
import { SqliteAdapter } from "kysely";
import type { Clock } from "../../clock.js";
import type { LogInput } from "../../governor/port.js";
import { precompiled } from "../compiled.js";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";
import { groupScope } from "../group-scope.js";
import type { Tables } from "../schema.js";
import { GENESIS_HASH, canonicalJson, entryHash, sensitiveHash } from "./chain.js";

/** A log entry before the store numbers, times and hashes it: the governor port's shape. */
export type NewLogEntry = LogInput;

export interface AppendedEntry {
  tenantId: string;
  seq: number;
  hash: string;
  at: string;
}

/** Rows per INSERT statement: 10 columns each stays far below both dialects' parameter limits. */
const ROWS_PER_INSERT = 500;

/**
 * Appends entries to their tenants' chains inside the caller's transaction, in the order given.
 * Each tenant's head row is locked first (an upsert, which takes the row lock on PostgreSQL;
 * SQLite's write lock is already held), so concurrent writers queue instead of forking the
 * chain; (tenant, seq) is the primary key as a backstop. Passing many entries at once is the
 * group commit: one transaction, multi-row inserts, one head update per tenant. In the store's
 * group commit, a head a previous transaction of the same group moved is taken from the group's
 * scope instead of being read again (only this function moves heads, and the group holds the
 * head's lock — SQLite's write lock, PostgreSQL's row lock — until it ends), and the head row is
 * written once, just before the group's COMMIT, instead of once per transaction.
 */
export async function appendLog(
  trx: Db,
  clock: Clock,
  entries: readonly NewLogEntry[],
): Promise<AppendedEntry[]> {
  const heads = new Map<string, { seq: number; hash: string }>();
  // In a group, the head an earlier transaction of the group moved need not be read again.
  const scope = groupScope(trx);
  const kept = scope?.logHeads;
  const rows: Tables["log_entries"][] = [];
  const hidden: Tables["log_sensitive"][] = [];
  for (const entry of entries) {
    requireTenant(entry.tenantId, "appendLog");
    const head =
      heads.get(entry.tenantId) ??
      kept?.get(entry.tenantId) ??
      (await lockHead(trx, entry.tenantId));
    const seq = head.seq + 1;
    const sensitive = entry.sensitive && Object.keys(entry.sensitive).length > 0;
    const salt = sensitive ? randomBytes(16).toString("hex") : "";
    const data = sensitive ? canonicalJson(entry.sensitive) : "";
    const chained = {
      tenantId: entry.tenantId,
      seq,
      meetingId: entry.meetingId === null ? null : wellFormed(entry.meetingId),
      actor: wellFormed(entry.actor),
      action: wellFormed(entry.action),
      payload: canonicalJson(entry.payload),
      sensitiveHash: sensitive ? sensitiveHash(salt, data) : null,
      at: clock.now().toISOString(),
      prevHash: head.hash,
    };
    const hash = entryHash(chained);
    rows.push({
      tenant_id: chained.tenantId,
      seq,
      meeting_id: chained.meetingId,
      actor: chained.actor,
      action: chained.action,
      payload: chained.payload,
      sensitive_hash: chained.sensitiveHash,
      at: chained.at,
      prev_hash: chained.prevHash,
      hash,
    });
    if (sensitive) hidden.push({ tenant_id: entry.tenantId, seq, salt, data });
    heads.set(entry.tenantId, { seq, hash });
  }
  const [only] = rows;
  if (rows.length === 1 && only)
    await insertEntry(
      trx,
      only.tenant_id,
      only.seq,
      only.meeting_id,
      only.actor,
      only.action,
      only.payload,
      only.sensitive_hash,
      only.at,
      only.prev_hash,
      only.hash,
    );
  else
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
      await trx
        .insertInto("log_entries")
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .execute();
  for (let i = 0; i < hidden.length; i += ROWS_PER_INSERT)
    await trx
      .insertInto("log_sensitive")
      .values(hidden.slice(i, i + ROWS_PER_INSERT))
      .execute();
  for (const [tenantId, head] of heads) {
    if (!scope) {
      await moveHead(trx, tenantId, head.seq, head.hash);
      continue;
    }
    // In a group the head is written once, before its COMMIT, where it stands by then.
    scope.logHeads.set(tenantId, head);
    scope.beforeCommit.set(`log-head:${tenantId}`, async () => {
      const last = scope.logHeads.get(tenantId) ?? head;
      await moveHead(trx, tenantId, last.seq, last.hash);
    });
  }
  return rows.map((r) => ({ tenantId: r.tenant_id, seq: r.seq, hash: r.hash, at: r.at }));
}

/**
 * Creates the head row if needed and returns it, locked: ON CONFLICT DO UPDATE takes the row
 * lock on PostgreSQL, so a second writer for the same tenant waits here until this commits. A
 * SQLite transaction holds the database's write lock from its start (BEGIN IMMEDIATE), so there
 * an existing head is only read: the upsert wrote the head's page once more per entry.
 */
async function lockHead(trx: Db, tenantId: string) {
  if (trx.getExecutor().adapter instanceof SqliteAdapter) {
    const head = (await selectHead(trx, tenantId)).rows[0];
    if (head) return head;
  }
  const row = (await upsertHead(trx, tenantId, GENESIS_HASH)).rows[0];
  if (!row) throw new Error("the log head upsert returned no row");
  return row;
}

// One entry per transaction is what the bot writes: those statements are compiled once.
const upsertHead = precompiled((db: Db, tenantId: string, genesis: string) =>
  db
    .insertInto("log_heads")
    .values({ tenant_id: tenantId, seq: 0, hash: genesis })
    .onConflict((oc) =>
      oc.column("tenant_id").doUpdateSet((eb) => ({ seq: eb.ref("log_heads.seq") })),
    )
    .returning(["seq", "hash"]),
);
const selectHead = precompiled((db: Db, tenantId: string) =>
  db.selectFrom("log_heads").select(["seq", "hash"]).where("tenant_id", "=", tenantId),
);
const moveHead = precompiled(
  (db: Db, tenantId: string, seq: number, hash: string) =>
    db.updateTable("log_heads").set({ seq, hash }).where("tenant_id", "=", tenantId),
  { defer: "log_heads", rows: { key: [0] } },
);
const insertEntry = precompiled(
  (
    db: Db,
    tenantId: string,
    seq: number,
    meetingId: string | null,
    actor: string,
    action: string,
    payload: string,
    sensitiveHash: string | null,
    at: string,
    prevHash: string,
    hash: string,
  ) =>
    db.insertInto("log_entries").values({
      tenant_id: tenantId,
      seq,
      meeting_id: meetingId,
      actor,
      action,
      payload,
      sensitive_hash: sensitiveHash,
      at,
      prev_hash: prevHash,
      hash,
    }),
  { defer: "log_entries", rows: { key: [0, 1] } },
);

/**
 * A lone UTF-16 surrogate cannot be stored as UTF-8 (the driver writes U+FFFD instead), so the
 * hash would be computed over text the database never holds; replace it before hashing.
 */
function wellFormed(text: string): string {
  return /\p{Cs}/u.test(text) ? text.replace(/\p{Cs}/gu, "\uFFFD") : text;
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
