import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

const columns = [
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

const csvField = (v: string | number | null) => {
  const s = v === null ? "" : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/**
 * Writes a tenant's log entries with their hashes, in sequence order, in an open format
 * (docs/log-format.md): CSV (RFC 4180, header row) or a JSON array. Streams in batches.
 */
export async function exportLog(
  db: Db,
  tenantId: string,
  format: "csv" | "json",
  range: { from?: string | undefined; to?: string | undefined },
  write: (chunk: string) => void,
): Promise<number> {
  requireTenant(tenantId, "exportLog");
  let after = 0;
  let count = 0;
  write(format === "csv" ? columns.join(",") + "\r\n" : "[");
  for (;;) {
    let query = db
      .selectFrom("log_entries")
      .select(columns)
      .where("tenant_id", "=", tenantId)
      .where("seq", ">", after);
    if (range.from) query = query.where("at", ">=", range.from);
    if (range.to) query = query.where("at", "<", range.to);
    const rows = await query.orderBy("seq").limit(5000).execute();
    for (const row of rows) {
      if (format === "csv") write(columns.map((c) => csvField(row[c])).join(",") + "\r\n");
      else
        write(
          (count === 0 ? "\n" : ",\n") +
            JSON.stringify({ ...row, payload: JSON.parse(row.payload) as unknown }),
        );
      count++;
      after = row.seq;
    }
    if (rows.length < 5000) break;
  }
  if (format === "json") write("\n]\n");
  return count;
}
