/**
 * docs/log-format.md is the contract: these tests verify exports with an independent
 * implementation of what the page says (node:crypto and JSON only, nothing from src/store/log).
 */
import { createHash } from "node:crypto";
import { beforeEach, expect, it } from "vitest";
import type { Database } from "../../src/store/db.js";
import { appendLog, redactEntry } from "../../src/store/log/append.js";
import { exportLog } from "../../src/store/log/export.js";
import { testClock } from "../_util.js";
import { forEachDialect } from "./_util.js";

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** "JSON.stringify with every object's members sorted by key, no whitespace". */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)),
        )
      : v,
  );
}

type Row = Record<string, string | number | null>;

/** The page's verification steps 1–5, over exported rows. */
function verifyRows(
  rows: Row[],
  payloadText: (r: Row) => string,
  personal: (r: Row) => string | null,
) {
  let prev = "0".repeat(64);
  rows.forEach((r, i) => {
    expect(r.seq, "seq").toBe(i + 1);
    expect(r.prev_hash, `prev_hash of ${i + 1}`).toBe(prev);
    const head = JSON.stringify([
      r.prev_hash,
      r.tenant_id,
      r.seq,
      r.at,
      r.meeting_id,
      r.actor,
      r.action,
      r.sensitive_hash,
    ]);
    expect(sha256(`${head}\n${payloadText(r)}`), `hash of ${i + 1}`).toBe(r.hash);
    const kept = personal(r);
    if (kept !== null) expect(sha256(`${r.personal_salt}\n${kept}`)).toBe(r.sensitive_hash);
    prev = String(r.hash);
  });
}

/** RFC 4180, as the page describes it (quoted fields, doubled quotes, CRLF). */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    const next = text.charAt(i + 1);
    if (quoted && c === '"' && next === '"') {
      field += '"';
      i++;
    } else if (quoted) {
      if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      record.push(field);
      field = "";
    } else if (c === "\r" && next === "\n") {
      record.push(field);
      records.push(record);
      record = [];
      field = "";
      i++;
    } else {
      field += c;
    }
  }
  return records;
}

forEachDialect("log export follows docs/log-format.md (R-LOG 4, R-TEN 3)", (store) => {
  let db: Database;

  beforeEach(async () => {
    db = await store.open();
    const clock = testClock();
    const payloads = [
      { tier: "I", nested: { b: 2, a: [1, "x"] }, note: 'a "quoted", value\r\nnext line' },
      { 日本語: "会議ガード", ratio: 1.5, big: 1e21, tiny: 5e-7, neg: -0, nothing: null },
      { control: "\u0001\u0008\t", emoji: "😀", backslash: "C:\\data" },
      {},
    ];
    for (const [i, payload] of payloads.entries()) {
      await db.transaction((trx) =>
        appendLog(trx, clock, [
          {
            tenantId: "city-a",
            meetingId: i === 3 ? null : `m${i}`,
            actor: "aad:organizer",
            action: "consent.answered",
            payload,
            ...(i < 3
              ? { sensitive: { name: `山田 ${i}`, email: `p${i}@city.example.lg.jp` } }
              : {}),
          },
        ]),
      );
      clock.advance(1500);
    }
    await db.transaction((trx) => redactEntry(trx, "city-a", 2));
  });

  const run = async (format: "csv" | "json") => {
    let out = "";
    const count = await exportLog(
      db.kysely,
      "city-a",
      { format, personal: true },
      (s) => (out += s),
    );
    expect(count).toBe(4);
    return out;
  };

  it("CSV: the payload column is the exact text hashed", async () => {
    const [header, ...records] = parseCsv(await run("csv"));
    expect(header).toEqual([
      "tenant_id",
      "seq",
      "at",
      "meeting_id",
      "actor",
      "action",
      "payload",
      "sensitive_hash",
      "prev_hash",
      "hash",
      "personal_salt",
      "personal_data",
    ]);
    const rows = records.map((fields) =>
      Object.fromEntries(
        (header ?? []).map((name, i) => {
          const v = fields[i] ?? "";
          return [name, v === "" ? null : name === "seq" ? Number(v) : v];
        }),
      ),
    );
    verifyRows(
      rows,
      (r) => String(r.payload),
      (r) => (r.personal_data === null ? null : String(r.personal_data)),
    );
    expect(rows.map((r) => r.personal_data === null)).toEqual([false, true, false, true]);
    expect(rows[0]?.at).toBe("2026-12-01T01:00:00.000Z");
  });

  it("JSON: payloads written again as canonical JSON reproduce every hash", async () => {
    const entries = JSON.parse(await run("json")) as (Row & {
      payload: unknown;
      personal_data: unknown;
    })[];
    verifyRows(
      entries,
      (r) => canonical(r.payload),
      (r) => (r.personal_data === null ? null : canonical(r.personal_data)),
    );
    expect(entries[1]?.payload).toEqual({
      日本語: "会議ガード",
      ratio: 1.5,
      big: 1e21,
      tiny: 5e-7,
      neg: 0,
      nothing: null,
    });
  });

  it("an export is one tenant's only, and personal data only when asked", async () => {
    let out = "";
    await exportLog(db.kysely, "city-b", { format: "json" }, (s) => (out += s));
    expect(JSON.parse(out)).toEqual([]);
    out = "";
    await exportLog(db.kysely, "city-a", { format: "json" }, (s) => (out += s));
    expect(out).not.toMatch(/山田|personal_/);
  });
});
