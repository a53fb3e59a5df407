import type { Db } from "../db.js";
import { GENESIS_HASH, entryHash, sensitiveHash } from "./chain.js";

export interface ChainReport {
  tenantId: string;
  ok: boolean;
  entries: number;
  headSeq: number;
  /** The first sequence number that does not verify, and why. */
  firstBad?: {
    seq: number;
    reason:
      | "missing"
      | "altered"
      | "out-of-order"
      | "beyond-head"
      | "head-mismatch"
      | "personal-data-altered";
  };
}

const BATCH = 5000;

/**
 * Walks one tenant's chain from the genesis: every sequence number present, every hash
 * recomputed, every link matching, the head row agreeing with the last entry, and personal data
 * (where not redacted) matching its salted hash. Streams in batches: memory stays flat.
 */
export async function verifyChain(db: Db, tenantId: string): Promise<ChainReport> {
  const head = await db
    .selectFrom("log_heads")
    .select(["seq", "hash"])
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  const headSeq = head?.seq ?? 0;
  let expected = 1;
  let prev = GENESIS_HASH;
  const bad = (
    seq: number,
    reason: NonNullable<ChainReport["firstBad"]>["reason"],
  ): ChainReport => ({
    tenantId,
    ok: false,
    entries: expected - 1,
    headSeq,
    firstBad: { seq, reason },
  });
  for (;;) {
    const rows = await db
      .selectFrom("log_entries as e")
      .leftJoin("log_sensitive as s", (j) =>
        j.onRef("s.tenant_id", "=", "e.tenant_id").onRef("s.seq", "=", "e.seq"),
      )
      .select([
        "e.seq",
        "e.meeting_id",
        "e.actor",
        "e.action",
        "e.payload",
        "e.sensitive_hash",
        "e.at",
        "e.prev_hash",
        "e.hash",
        "s.salt",
        "s.data",
      ])
      .where("e.tenant_id", "=", tenantId)
      .where("e.seq", ">=", expected)
      .orderBy("e.seq")
      .limit(BATCH)
      .execute();
    for (const r of rows) {
      if (r.seq > expected) return bad(expected, "missing");
      if (r.seq > headSeq) return bad(r.seq, "beyond-head");
      if (r.prev_hash !== prev) return bad(r.seq, "out-of-order");
      const hash = entryHash({
        tenantId,
        seq: r.seq,
        meetingId: r.meeting_id,
        actor: r.actor,
        action: r.action,
        payload: r.payload,
        sensitiveHash: r.sensitive_hash,
        at: r.at,
        prevHash: prev,
      });
      if (hash !== r.hash) return bad(r.seq, "altered");
      if (r.salt !== null && r.data !== null && sensitiveHash(r.salt, r.data) !== r.sensitive_hash)
        return bad(r.seq, "personal-data-altered");
      prev = r.hash;
      expected++;
    }
    if (rows.length < BATCH) break;
  }
  if (expected - 1 !== headSeq) return bad(expected, "missing");
  if (headSeq > 0 && prev !== head?.hash) return bad(headSeq, "head-mismatch");
  return { tenantId, ok: true, entries: expected - 1, headSeq };
}

/** Every tenant that has a chain (or a head row): the set `log verify` walks. */
export async function chainTenants(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom("log_heads")
    .select("tenant_id")
    .union(db.selectFrom("log_entries").select("tenant_id").distinct())
    .execute();
  return [...new Set(rows.map((r) => r.tenant_id))].sort();
}
