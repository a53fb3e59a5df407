import { createHash } from "node:crypto";
import { deepFreeze } from "../../frozen.js";
import type { Meeting } from "../../meetings/types.js";
import type { Verdict } from "../../policy/verdict.js";
import { precompiled } from "../compiled.js";
import type { Db, OnCommit } from "../db.js";
import { withVerdictTexts, type Text } from "./verdict-texts.js";

/** How a stored meeting document refers to its verdict, kept in `verdicts` (migration 010). */
interface VerdictRef {
  $verdict: string;
}
const isRef = (v: unknown): v is VerdictRef =>
  typeof (v as Partial<VerdictRef> | undefined)?.$verdict === "string";

/** A frozen verdict's id, computed once: it cannot change under it. */
const ids = new WeakMap<Verdict, string>();
function idOf(verdict: Verdict, json: () => string): string {
  let id = ids.get(verdict);
  if (id === undefined) {
    id = createHash("sha256").update(json()).digest("hex").slice(0, 32);
    if (Object.isFrozen(verdict)) ids.set(verdict, id);
  }
  return id;
}

/**
 * Per database (its dialect adapter, which its transactions share) and tenant: every verdict read
 * or written, frozen, by id; and the ids known to be stored — only once the transaction that
 * wrote them committed, so a rolled-back write is never taken for a stored one.
 */
interface Known {
  verdicts: Map<string, Map<string, Verdict>>;
  stored: Map<string, Set<string>>;
  /** Texts of meetings written between migrations 009 and 010, by id. */
  texts: Map<string, Map<string, Text>>;
}
const known = new WeakMap<object, Known>();
const knownFor = (db: Db): Known => {
  const adapter = db.getExecutor().adapter;
  let k = known.get(adapter);
  if (!k) {
    k = { verdicts: new Map(), stored: new Map(), texts: new Map() };
    known.set(adapter, k);
  }
  return k;
};
/** Distinct verdicts are few (a plan's handful of flags × the policy's versions); past this, start over. */
const LIMIT = 10_000;
function ofTenant<C extends { size: number; clear: () => void }>(
  outer: Map<string, C>,
  tenantId: string,
  make: () => C,
): C {
  let inner = outer.get(tenantId);
  if (!inner) {
    if (outer.size >= LIMIT) outer.clear();
    inner = make();
    outer.set(tenantId, inner);
  }
  if (inner.size >= LIMIT) inner.clear();
  return inner;
}
const verdictsOf = (k: Known, tenantId: string) =>
  ofTenant(k.verdicts, tenantId, () => new Map<string, Verdict>());
const storedOf = (k: Known, tenantId: string) =>
  ofTenant(k.stored, tenantId, () => new Set<string>());
const textsOf = (k: Known, tenantId: string) =>
  ofTenant(k.texts, tenantId, () => new Map<string, Text>());

const insertVerdict = precompiled((db: Db, tenantId: string, id: string, data: string) =>
  db
    .insertInto("verdicts")
    .values({ tenant_id: tenantId, id, data })
    .onConflict((oc) => oc.columns(["tenant_id", "id"]).doNothing()),
);
const selectVerdict = precompiled((db: Db, tenantId: string, id: string) =>
  db.selectFrom("verdicts").select("data").where("tenant_id", "=", tenantId).where("id", "=", id),
);

/**
 * What the meeting document holds in place of its verdict: a reference to the verdict, written
 * once per tenant into `verdicts` by content hash. `onCommit`, when given, lets a verdict written
 * here count as stored once the transaction commits; without it, it is written again
 * (idempotently) the next time.
 */
export async function verdictForStorage(
  trx: Db,
  meeting: Meeting,
  onCommit?: OnCommit,
): Promise<VerdictRef | undefined> {
  const verdict = meeting.verdict;
  if (!verdict) return undefined;
  const k = knownFor(trx);
  const tenantId = meeting.tenantId;
  let json: string | undefined;
  const text = () => (json ??= JSON.stringify(verdict));
  const id = idOf(verdict, text);
  const verdicts = verdictsOf(k, tenantId);
  if (!verdicts.has(id)) {
    // A verdict from evaluateRemembered is frozen already; any other is copied before freezing.
    const frozen = Object.isFrozen(verdict) ? verdict : deepFreeze(JSON.parse(text()) as Verdict);
    ids.set(frozen, id);
    verdicts.set(id, frozen);
  }
  if (!storedOf(k, tenantId).has(id)) {
    await insertVerdict(trx, tenantId, id, text());
    onCommit?.(() => storedOf(k, tenantId).add(id));
  }
  return { $verdict: id };
}

/**
 * The meeting as stored, with its verdict put back (frozen, shared with every meeting that has
 * the same one). Documents written before migration 010 hold the verdict inline or its texts
 * by reference (009); they read as before.
 */
export async function withVerdict(db: Db, meeting: Meeting): Promise<Meeting> {
  const ref: unknown = meeting.verdict;
  const k = knownFor(db);
  if (!isRef(ref)) return withVerdictTexts(db, meeting, textsOf(k, meeting.tenantId));
  const verdicts = verdictsOf(k, meeting.tenantId);
  let verdict = verdicts.get(ref.$verdict);
  if (!verdict) {
    const row = (await selectVerdict(db, meeting.tenantId, ref.$verdict)).rows[0];
    if (!row) throw new Error(`verdict ${ref.$verdict} missing from the store`);
    verdict = deepFreeze(JSON.parse(row.data) as Verdict);
    ids.set(verdict, ref.$verdict);
    verdicts.set(ref.$verdict, verdict);
  }
  return { ...meeting, verdict };
}
