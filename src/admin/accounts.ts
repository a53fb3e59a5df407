import { createHash, randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import type { Db } from "../store/db.js";
import { requireTenant } from "../store/errors.js";

/** scrypt (memory-hard): N=2^15, r=8, p=1 — 32 MiB per check, which also slows guessing. */
const PARAMS = { N: 32768, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

const derive = (password: string, salt: Buffer) =>
  new Promise<Buffer>((resolve, reject) => {
    scrypt(password, salt, 32, PARAMS, (error, key) => {
      if (error) reject(error);
      else resolve(key);
    });
  });

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString("base64")}$${(await derive(password, salt)).toString("base64")}`;
}

export async function checkPassword(password: string, stored: string): Promise<boolean> {
  const [kind, salt, hash] = stored.split("$");
  if (kind !== "scrypt" || !salt || !hash) return false;
  const want = Buffer.from(hash, "base64");
  const got = await derive(password, Buffer.from(salt, "base64"));
  return got.length === want.length && timingSafeEqual(got, want);
}

/** A platform identity an admin can be linked to (as the directory names approvers). */
export const PLATFORM_IDENTITY = /^(aad|webex):\S{1,200}$/;

/** Creates (or resets) a tenant admin; returns the one-time password to hand over. */
export async function createAdmin(
  db: Db,
  tenantId: string,
  email: string,
  at: Date,
  identity: string | null = null,
) {
  requireTenant(tenantId, "createAdmin");
  const password = randomBytes(12).toString("base64url");
  const hash = await hashPassword(password);
  await db
    .insertInto("admin_accounts")
    .values({
      tenant_id: tenantId,
      email: email.toLowerCase(),
      password_hash: hash,
      created_at: at.toISOString(),
      identity,
    })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "email"]).doUpdateSet({ password_hash: hash, identity }),
    )
    .execute();
  return password;
}

export async function findAdmin(db: Db, tenantId: string, email: string) {
  requireTenant(tenantId, "findAdmin");
  return db
    .selectFrom("admin_accounts")
    .select(["tenant_id", "email", "password_hash"])
    .where("tenant_id", "=", tenantId)
    .where("email", "=", email.toLowerCase())
    .executeTakeFirst();
}

const sha256 = (s: string) => createHash("sha256").update(s).digest("hex");

export interface AdminSession {
  tenantId: string;
  email: string;
  csrf: string;
  /** The platform identity this admin answers approvals as, if they are an approver. */
  identity: string | null;
}

/** A session: its id goes only to the browser's cookie; the database keeps its hash. */
export async function openSession(
  db: Db,
  tenantId: string,
  email: string,
  now: Date,
  ttlMs: number,
) {
  const id = randomBytes(32).toString("base64url");
  const csrf = randomBytes(24).toString("base64url");
  await db
    .insertInto("admin_sessions")
    .values({
      id_hash: sha256(id),
      tenant_id: tenantId,
      email,
      csrf,
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
    })
    .execute();
  return id;
}

export async function findSession(
  db: Db,
  id: string,
  now: Date,
): Promise<AdminSession | undefined> {
  if (!/^[A-Za-z0-9_-]{43}$/.test(id)) return undefined;
  // The account must still exist: a removed admin's sessions end with it.
  const row = await db
    .selectFrom("admin_sessions as s")
    .innerJoin("admin_accounts as a", (j) =>
      j.onRef("a.tenant_id", "=", "s.tenant_id").onRef("a.email", "=", "s.email"),
    )
    .select(["s.tenant_id", "s.email", "s.csrf", "s.expires_at", "a.identity"])
    .where("s.id_hash", "=", sha256(id))
    .executeTakeFirst();
  if (!row || row.expires_at <= now.toISOString()) return undefined;
  return { tenantId: row.tenant_id, email: row.email, csrf: row.csrf, identity: row.identity };
}

export async function closeSession(db: Db, id: string): Promise<void> {
  await db.deleteFrom("admin_sessions").where("id_hash", "=", sha256(id)).execute();
}
