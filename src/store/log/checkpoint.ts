import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from "node:crypto";
import { z } from "zod";
import type { Clock } from "../../clock.js";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";
import { canonicalJson } from "./chain.js";
import { chainTenants } from "./verify.js";

/**
 * A signed statement "tenant T's chain had head hash H at sequence N at time A" (docs/log-format.md).
 * An admin keeps it outside the database; later it proves the log only grew.
 */
export const checkpointSchema = z.object({
  tenantId: z.string().min(1),
  seq: z.number().int().positive(),
  hash: z.string().regex(/^[0-9a-f]{64}$/),
  at: z.string(),
  /** base64 Ed25519 signature over the canonical JSON of the four fields above. */
  signature: z.string().min(1),
  /** base64 SPKI DER of the public key, so the checkpoint names the key it needs. */
  publicKey: z.string().min(1),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export function loadSigningKey(pkcs8Base64: string): KeyObject {
  return createPrivateKey({
    key: Buffer.from(pkcs8Base64, "base64"),
    format: "der",
    type: "pkcs8",
  });
}

/** The base64 SPKI DER public key of a signing key (what a checkpoint carries). */
export function publicKeyOf(key: KeyObject): string {
  return createPublicKey(key).export({ format: "der", type: "spki" }).toString("base64");
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
  requireTenant(tenantId, "makeCheckpoint");
  const head = await db
    .selectFrom("log_heads")
    .select(["seq", "hash"])
    .where("tenant_id", "=", tenantId)
    .executeTakeFirst();
  if (!head || head.seq === 0) return undefined;
  const body = { tenantId, seq: head.seq, hash: head.hash, at: clock.now().toISOString() };
  const signature = sign(null, signedPart(body), key).toString("base64");
  await db
    .insertInto("log_checkpoints")
    .values({ tenant_id: tenantId, seq: body.seq, hash: body.hash, at: body.at, signature })
    .onConflict((oc) => oc.columns(["tenant_id", "seq"]).doNothing())
    .execute();
  return { ...body, signature, publicKey: publicKeyOf(key) };
}

/** A checkpoint for every tenant with a chain: what `log checkpoint` prints, and what a periodic job calls. */
export async function makeCheckpoints(db: Db, key: KeyObject, clock: Clock): Promise<Checkpoint[]> {
  const made: Checkpoint[] = [];
  for (const tenantId of await chainTenants(db)) {
    const checkpoint = await makeCheckpoint(db, key, clock, tenantId);
    if (checkpoint) made.push(checkpoint);
  }
  return made;
}

export type CheckpointCheck =
  | { ok: true }
  | { ok: false; reason: "unknown-key" | "bad-signature" | "entry-missing" | "hash-differs" };

/**
 * Proves the log still holds what the checkpoint saw: the signature holds (with `trustedKey`,
 * base64 SPKI, when given: a checkpoint signed by any other key is refused) and the entry at its
 * sequence still has its hash. Together with verifyChain (every link from the genesis to the
 * head) this shows the log only grew since the checkpoint.
 */
export async function verifyCheckpoint(
  db: Db,
  checkpoint: Checkpoint,
  trustedKey?: string,
): Promise<CheckpointCheck> {
  if (trustedKey !== undefined && trustedKey !== checkpoint.publicKey)
    return { ok: false, reason: "unknown-key" };
  let signed: boolean;
  try {
    const key = createPublicKey({
      key: Buffer.from(checkpoint.publicKey, "base64"),
      format: "der",
      type: "spki",
    });
    signed = verify(null, signedPart(checkpoint), key, Buffer.from(checkpoint.signature, "base64"));
  } catch {
    signed = false; // a key that does not parse proves nothing
  }
  if (!signed) return { ok: false, reason: "bad-signature" };
  const row = await db
    .selectFrom("log_entries")
    .select("hash")
    .where("tenant_id", "=", checkpoint.tenantId)
    .where("seq", "=", checkpoint.seq)
    .executeTakeFirst();
  if (!row) return { ok: false, reason: "entry-missing" };
  return row.hash === checkpoint.hash ? { ok: true } : { ok: false, reason: "hash-differs" };
}
