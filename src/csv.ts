/**
 * One CSV field (RFC 4180). A value a spreadsheet would run as a formula (=, +, -, @ first) is
 * prefixed with an apostrophe, so an exported name cannot become a command on an admin's PC.
 */
export function csvField(v: string | number | null | undefined): string {
  let s = v === null || v === undefined ? "" : String(v);
  if (typeof v === "string" && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (fields: (string | number | null | undefined)[]) =>
  fields.map(csvField).join(",") + "\r\n";

/** Japan time as people write it in a logbook: 2026-12-01 10:00. */
export const jstText = (iso: string | null | undefined) =>
  iso
    ? new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(0, 16).replace("T", " ")
    : "";
