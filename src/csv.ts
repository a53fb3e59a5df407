import type { Meeting } from "./meetings/types.js";
import type { DeviceUse } from "./store/repos/devices.js";
import type { ParticipantRecord } from "./store/repos/participants.js";

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

/** The 使用管理簿 / 運用管理簿 as CSV (KWS 要綱第5条(3), MWG 7(1)): BOM for Excel, Japan time. */
export function logbookCsv(uses: DeviceUse[]): string {
  return (
    "\uFEFF" +
    csvRow(["端末ID", "端末名", "所属", "使用者", "利用開始(JST)", "利用終了(JST)", "会議ID"]) +
    uses
      .map((u) =>
        csvRow([
          u.deviceId,
          u.deviceLabel,
          u.department,
          u.userName,
          jstText(u.usedFrom),
          jstText(u.usedTo),
          u.meetingId,
        ]),
      )
      .join("")
  );
}

/** Attending through the web meeting, audio only included, counts as attendance (MWG 6). */
const WEB_ATTENDANCE = "Web会議（音声のみを含む）";

/** Attendance of one meeting for the minutes (会議録, MWG 6): BOM for Excel, Japan time. */
export function attendanceCsv(meeting: Meeting, people: ParticipantRecord[]): string {
  return (
    "\uFEFF" +
    csvRow(["会議", meeting.title ?? meeting.id, "開始(JST)", jstText(meeting.startsAt)]) +
    csvRow(["氏名", "招待者", "出席方法", "入室(JST)", "退室(JST)"]) +
    people
      .map((p) =>
        csvRow([
          p.displayName ?? p.personId,
          p.invited ? "はい" : "いいえ",
          WEB_ATTENDANCE,
          jstText(p.joinedAt),
          jstText(p.leftAt),
        ]),
      )
      .join("")
  );
}
