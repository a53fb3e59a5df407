import type { Meeting } from "../../meetings/types.js";
import type { Db } from "../db.js";

/**
 * Reading meetings written between migrations 009 and 010: their verdict's texts (Japanese and
 * English) were kept in verdict_texts by content hash, the document holding `{"$text": id}` in
 * their place. Meetings are now written with the whole verdict by reference (verdicts.ts).
 */
type Text = { ja: string; en: string };
type TextRef = { $text: string };

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

/** Texts read, per database (its dialect adapter) and tenant; a text never changes under its id. */
const known = new WeakMap<object, Map<string, Map<string, Text>>>();
/** Texts come from the policy: few, unless it churns; then the memory starts over. */
const LIMIT = 20_000;
function textsOf(db: Db, tenantId: string): Map<string, Text> {
  const adapter = db.getExecutor().adapter;
  let byTenant = known.get(adapter);
  if (!byTenant) {
    byTenant = new Map();
    known.set(adapter, byTenant);
  }
  let texts = byTenant.get(tenantId);
  if (!texts) {
    if (byTenant.size >= LIMIT) byTenant.clear();
    texts = new Map();
    byTenant.set(tenantId, texts);
  }
  if (texts.size >= LIMIT) texts.clear();
  return texts;
}

/** The meeting with the texts its verdict refers to put back; an inline verdict as it is. */
export async function withVerdictTexts(db: Db, meeting: Meeting): Promise<Meeting> {
  if (!meeting.verdict) return meeting;
  const texts = textsOf(db, meeting.tenantId);
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
