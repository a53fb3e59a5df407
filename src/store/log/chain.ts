import { hash } from "node:crypto";

export const GENESIS_HASH = "0".repeat(64);

/**
 * Canonical JSON: keys sorted at every depth, no whitespace (docs/log-format.md). Written with
 * one array per object (its keys) instead of entries, filtered, sorted and mapped copies: every
 * appended entry goes through here.
 */
export function canonicalJson(value: unknown): string {
  // As JSON.stringify does: a Date (or anything with toJSON) is written as what toJSON returns.
  if (typeof (value as { toJSON?: unknown } | null)?.toJSON === "function")
    return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  if (Array.isArray(value)) {
    let out = "[";
    for (let i = 0; i < value.length; i++) out += (i > 0 ? "," : "") + canonicalJson(value[i]);
    return `${out}]`;
  }
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    // The default order compares UTF-16 code units, as `a < b` does for strings.
    const keys = Object.keys(record).sort();
    let out = "{";
    for (const key of keys) {
      const item = record[key];
      if (item === undefined) continue;
      out += `${out.length > 1 ? "," : ""}${JSON.stringify(key)}:${canonicalJson(item)}`;
    }
    return `${out}}`;
  }
  const text = JSON.stringify(value) as string | undefined;
  return text ?? "null";
}

/** The chained fields of one entry; `payload` is already canonical JSON text. */
export interface ChainedEntry {
  tenantId: string;
  seq: number;
  meetingId: string | null;
  actor: string;
  action: string;
  payload: string;
  sensitiveHash: string | null;
  at: string;
  prevHash: string;
}

/**
 * hash = SHA-256 over the UTF-8 of: JSON array [prevHash, tenantId, seq, at, meetingId, actor,
 * action, sensitiveHash], a line feed, and the canonical payload text.
 */
export function entryHash(e: ChainedEntry): string {
  const head = JSON.stringify([
    e.prevHash,
    e.tenantId,
    e.seq,
    e.at,
    e.meetingId,
    e.actor,
    e.action,
    e.sensitiveHash,
  ]);
  // One-shot hash of one string: measurably faster than a Hash object per entry (log verify).
  return hash("sha256", `${head}\n${e.payload}`, "hex");
}

/** Salted hash of the personal data kept outside the chain, so it can be erased later. */
export function sensitiveHash(salt: string, data: string): string {
  return hash("sha256", `${salt}\n${data}`, "hex");
}
