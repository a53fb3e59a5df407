import type { Meeting } from "../../meetings/types.js";
import type { Db } from "../db.js";

/**
 * Reading meetings written between migrations 009 and 010: their verdict's texts (Japanese and
 * English) were kept in verdict_texts by content hash, the document holding `{"$text": id}` in
 * their place. Meetings are now written with the whole verdict by reference (verdicts.ts).
 */
export type Text = { ja: string; en: string };
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

/**
 * The meeting with the texts its verdict refers to put back (an inline verdict as it is); `texts`
 * holds the tenant's texts already read, by id (a text never changes under its id).
 */
export async function withVerdictTexts(
  db: Db,
  meeting: Meeting,
  texts: Map<string, Text>,
): Promise<Meeting> {
  if (!meeting.verdict) return meeting;
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
