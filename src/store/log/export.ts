import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

/** The columns of an export, in order (docs/log-format.md). */
export const exportColumns = [
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
] as const;
const personalColumns = ["personal_salt", "personal_data"] as const;

export interface ExportOptions {
  format: "csv" | "json";
  /** Entries at or after this UTC time (ISO 8601). */
  from?: string | undefined;
  /** Entries before this UTC time. */
  to?: string | undefined;
  /** Include the kept personal data and its salt (absent once redacted). */
  personal?: boolean;
}

const PAGE = 5000;

const csvField = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Writes a tenant's log entries with their hashes, in sequence order, in an open format
 * (docs/log-format.md): CSV (RFC 4180, header row, CRLF) or a JSON array. Pages by key, so a log
 * of any size streams; returns how many entries were written.
 */
export async function exportLog(
  db: Db,
  tenantId: string,
  options: ExportOptions,
  write: (chunk: string) => void,
): Promise<number> {
  requireTenant(tenantId, "exportLog");
  const { format, personal = false } = options;
  const header = personal ? [...exportColumns, ...personalColumns] : [...exportColumns];
  write(format === "csv" ? header.join(",") + "\r\n" : "[");
  let count = 0;
  for (let after = 0; ;) {
    let query = db
      .selectFrom("log_entries as e")
      .leftJoin("log_sensitive as s", (j) =>
        j.onRef("s.tenant_id", "=", "e.tenant_id").onRef("s.seq", "=", "e.seq"),
      )
      .select(exportColumns.map((c) => `e.${c}` as const))
      .select(["s.salt as personal_salt", "s.data as personal_data"])
      .where("e.tenant_id", "=", tenantId)
      .where("e.seq", ">", after);
    if (options.from) query = query.where("e.at", ">=", options.from);
    if (options.to) query = query.where("e.at", "<", options.to);
    const rows = await query.orderBy("e.seq").limit(PAGE).execute();
    for (const row of rows) {
      if (format === "csv") {
        write(header.map((c) => csvField(row[c])).join(",") + "\r\n");
      } else {
        const entry: Record<string, unknown> = {};
        for (const c of exportColumns)
          entry[c] = c === "payload" ? JSON.parse(row.payload) : row[c];
        if (personal) {
          entry.personal_salt = row.personal_salt;
          entry.personal_data = row.personal_data === null ? null : JSON.parse(row.personal_data);
        }
        write((count === 0 ? "\n" : ",\n") + JSON.stringify(entry));
      }
      count++;
      after = row.seq;
    }
    if (rows.length < PAGE) break;
  }
  if (format === "json") write(count === 0 ? "]\n" : "\n]\n");
  return count;
}
