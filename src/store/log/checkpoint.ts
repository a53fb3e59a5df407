import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import type { Clock } from "../../clock.js";
import type { Db } from "../db.js";
import { canonicalJson } from "./chain.js";

/** A signed statement "tenant T's chain had hash H at sequence N", to keep outside the database. */
export interface Checkpoint {
  tenantId: string;
  seq: number;
  hash: string;
  at: string;
  /** base64 Ed25519 signature over the canonical JSON of the four fields above. */
  signature: string;
  /** base64 SPKI DER of the public key, so the checkpoint names the key it needs. */
  publicKey: string;
}

export function loadSigningKey(pkcs8Base64: string): KeyObject {
  return createPrivateKey({
    key: Buffer.from(pkcs8Base64, "base64"),
    format: "der",
    type: "pkcs8",
  });
}

const signedPart = (c: Pick<Checkpoint, "tenantId" | "seq" | "hash" | "at">) =>
  Buffer.from(canonicalJson({ tenantId: c.tenantId, seq: c.seq, hash: c.hash, at: c.at }));

/** Signs the tenant's current head and records the checkpoint in the database too. */
export async function makeCheckpoint(
  db: Db,
  key: KeyObject,
  clock: Clock,
  tenantId: string,
): Promise<Checkpoint | undefined> {
  const head = await db
    .selectFrom("log_heads")
    .select(["seq", "hash"])
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  if (!head || head.seq === 0) return undefined;
  const body = { tenantId, seq: head.seq, hash: head.hash, at: clock.now().toISOString() };
  const signature = sign(null, signedPart(body), key).toString("base64");
  const publicKey = createPublicKey(key).export({ format: "der", type: "spki" }).toString("base64");
  await db
    .insertInto("log_checkpoints")
    .values({ tenant_id: tenantId, seq: body.seq, hash: body.hash, at: body.at, signature })
    .onConflict((oc) => oc.columns(["tenant_id", "seq"]).doNothing())
    .execute();
  return { ...body, signature, publicKey };
}

export type CheckpointCheck =
  { ok: true } | { ok: false; reason: "bad-signature" | "entry-missing" | "hash-differs" };

/**
 * Proves the log only grew since the checkpoint: the signature holds and the entry at its
 * sequence still has its hash (run `verifyChain` too, for everything after it).
 */
export async function checkCheckpoint(
  db: Db,
  checkpoint: Checkpoint,
  publicKeyDer?: string,
): Promise<CheckpointCheck> {
  const key = createPublicKey({
    key: Buffer.from(publicKeyDer ?? checkpoint.publicKey, "base64"),
    format: "der",
    type: "spki",
  });
  if (!verify(null, signedPart(checkpoint), key, Buffer.from(checkpoint.signature, "base64")))
    return { ok: false, reason: "bad-signature" };
  const row = await db
    .selectFrom("log_entries")
    .select("hash")
    .where("tenant_id", "=", checkpoint.tenantId)
    .where("seq", "=", checkpoint.seq)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "entry-missing" };
  return row.hash === checkpoint.hash ? { ok: true } : { ok: false, reason: "hash-differs" };
}
