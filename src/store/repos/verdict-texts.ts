import { createHash } from "node:crypto";
import type { Meeting } from "../../meetings/types.js";
import { precompiled } from "../compiled.js";
import type { Db, OnCommit } from "../db.js";

type Text = { ja: string; en: string };
/** How a stored meeting document refers to a text kept in verdict_texts. */
type TextRef = { $text: string };

const isText = (v: object): v is Text => {
  const keys = Object.keys(v);
  return (
    keys.length === 2 &&
    typeof (v as Partial<Text>).ja === "string" &&
    typeof (v as Partial<Text>).en === "string"
  );
};
const isRef = (v: object): v is TextRef => {
  const ref = (v as Partial<TextRef>).$text;
  return typeof ref === "string" && Object.keys(v).length === 1;
};

/** A copy of `value` with every object matching `match` replaced by `replace(it)`. */
function mapObjects(
  value: unknown,
  match: (v: object) => boolean,
  replace: (v: object) => unknown,
): unknown {
  if (Array.isArray(value)) return value.map((v) => mapObjects(v, match, replace));
  if (typeof value !== "object" || value === null) return value;
  if (match(value)) return replace(value);
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) copy[k] = mapObjects(v, match, replace);
  return copy;
}

const insertText = precompiled((db: Db, tenantId: string, id: string, ja: string, en: string) =>
  db
    .insertInto("verdict_texts")
    .values({ tenant_id: tenantId, id, ja, en })
    .onConflict((oc) => oc.columns(["tenant_id", "id"]).doNothing()),
);

/**
 * Per database (its dialect adapter, which its transactions share): the id of each text, every
 * text read or written by id (a text never changes under its id), and the texts known to be
 * stored — only after the transaction that wrote them committed, so a rolled-back write is
 * never taken for a stored one.
 */
interface Known {
  /** Text id by Japanese, then English text (no key strings built per lookup). */
  ids: Map<string, Map<string, string>>;
  /** Text by tenant, then id. */
  texts: Map<string, Map<string, Text>>;
  /** Ids known to be stored, by tenant. */
  stored: Map<string, Set<string>>;
}
const known = new WeakMap<object, Known>();
const knownFor = (db: Db): Known => {
  const adapter = db.getExecutor().adapter;
  let k = known.get(adapter);
  if (!k) {
    k = { ids: new Map(), texts: new Map(), stored: new Map() };
    known.set(adapter, k);
  }
  return k;
};
/** Texts come from the policy: few, unless it churns; then the memory starts over. */
const LIMIT = 20_000;
function inner<K, V>(outer: Map<string, Map<K, V>>, key: string): Map<K, V> {
  let map = outer.get(key);
  if (!map) {
    if (outer.size >= LIMIT) outer.clear();
    map = new Map();
    outer.set(key, map);
  }
  if (map.size >= LIMIT) map.clear();
  return map;
}
function storedIds(k: Known, tenantId: string): Set<string> {
  let set = k.stored.get(tenantId);
  if (!set) {
    set = new Set();
    k.stored.set(tenantId, set);
  }
  if (set.size >= LIMIT) set.clear();
  return set;
}

/**
 * The meeting's verdict with its texts kept apart: each text is written once per tenant into
 * verdict_texts (by content hash) and the document holds `{"$text": id}` instead. `onCommit`,
 * when given, lets the texts written here count as stored once the transaction commits;
 * without it every text is written again (idempotently).
 */
export async function verdictForStorage(
  trx: Db,
  meeting: Meeting,
  onCommit?: OnCommit,
): Promise<unknown> {
  if (!meeting.verdict) return undefined;
  const k = knownFor(trx);
  const texts = inner(k.texts, meeting.tenantId);
  const stored = storedIds(k, meeting.tenantId);
  const fresh = new Map<string, Text>();
  const referenced = mapObjects(meeting.verdict, isText, (v) => {
    const text = v as Text;
    const byEnglish = inner(k.ids, text.ja);
    let id = byEnglish.get(text.en);
    if (id === undefined) {
      id = createHash("sha256").update(`${text.ja}\u0000${text.en}`).digest("hex").slice(0, 32);
      byEnglish.set(text.en, id);
    }
    if (!texts.has(id)) texts.set(id, text);
    if (!stored.has(id)) fresh.set(id, text);
    return { $text: id };
  });
  for (const [id, text] of fresh) await insertText(trx, meeting.tenantId, id, text.ja, text.en);
  if (fresh.size > 0)
    onCommit?.(() => {
      for (const id of fresh.keys()) storedIds(k, meeting.tenantId).add(id);
    });
  return referenced;
}

/** The meeting as stored, with the texts its verdict refers to put back. */
export async function withVerdictTexts(db: Db, meeting: Meeting): Promise<Meeting> {
  if (!meeting.verdict) return meeting;
  const texts = inner(knownFor(db).texts, meeting.tenantId);
  const missing = new Set<string>();
  const putBack = () =>
    mapObjects(meeting.verdict, isRef, (v) => {
      const id = (v as TextRef).$text;
      const text = texts.get(id);
      if (!text) missing.add(id);
      return text ?? v;
    });
  // Usually every text is known already: one pass. Otherwise read the missing ones, then again.
  let verdict = putBack();
  if (missing.size > 0) {
    const rows = await db
      .selectFrom("verdict_texts")
      .select(["id", "ja", "en"])
      .where("tenant_id", "=", meeting.tenantId)
      .where("id", "in", [...missing])
      .execute();
    for (const r of rows) texts.set(r.id, { ja: r.ja, en: r.en });
    const absent = [...missing].filter((id) => !texts.has(id));
    if (absent.length > 0)
      throw new Error(`verdict texts missing from the store: ${absent.join(", ")}`);
    verdict = putBack();
  }
  return { ...meeting, verdict: verdict as Meeting["verdict"] };
}
