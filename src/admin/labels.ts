import type { IncidentKind } from "../governor/inputs.js";
import type { MeetingState } from "../meetings/state.js";
import type { Policy } from "../policy/schema.js";
import { serviceIds, type ServiceId } from "../policy/schema.js";
import type { ApprovalKind } from "../policy/verdict.js";
import { h, pick, type Lang, type Text } from "./html.js";

/** Meeting states as the 情報管理課 says them (meetings/state.ts names them for code). */
export const stateLabels: Record<MeetingState, Text> = {
  draft: ["予約中（区分未回答）", "Draft (tier not declared)"],
  "tier-declared": ["区分回答済み（確認待ち）", "Tier declared (to be confirmed)"],
  "awaiting-approval": ["承認待ち", "Awaiting approval"],
  scheduled: ["開催予定", "Scheduled"],
  "in-progress": ["開催中", "In progress"],
  ended: ["終了", "Ended"],
  "cleanup-pending": ["会議後の確認待ち", "Clean-up pending"],
  closed: ["完了", "Closed"],
  refused: ["不可（開催できない）", "Refused"],
  escalated: ["管理者へ通知済み", "Escalated"],
  cancelled: ["中止", "Cancelled"],
};

export const tierAnswerLabels: Record<"I" | "II" | "III" | "unknown", Text> = {
  I: ["機密性区分I", "Tier I"],
  II: ["機密性区分II", "Tier II"],
  III: ["機密性区分III", "Tier III"],
  unknown: ["わからない（判断待ち）", "Unknown (to be decided)"],
};

export const approvalKindLabels: Record<ApprovalKind, Text> = {
  "external-participants": ["外部参加者の参加", "External participants"],
  "external-host": ["外部主催の会議への参加", "Joining a meeting hosted outside"],
  "personal-information-consultation": [
    "個人情報を扱う会議の事前相談",
    "Personal-information consultation",
  ],
  "tier-decision": ["機密性区分の判断", "Tier decision"],
};

export const incidentKindLabels: Record<IncidentKind, Text> = {
  intrusion: ["不正な参加（侵入）", "Intrusion"],
  peeping: ["のぞき見", "Peeping"],
  leak: ["情報漏えい", "Leak"],
  theft: ["盗難", "Theft"],
  loss: ["紛失", "Loss"],
  other: ["その他", "Other"],
};

export const escalationReasonLabels: Record<string, Text> = {
  "cleanup-overdue": ["会議後の削除・確認が完了していない", "Clean-up after the meeting not done"],
  "approval-overdue": ["承認の回答がない", "Approval not answered"],
  unclassified: ["機密性区分が未回答", "Confidentiality tier not declared"],
};

const lookup = <K extends string>(table: Record<K, Text>, key: unknown): Text | undefined =>
  typeof key === "string" && Object.hasOwn(table, key) ? table[key as K] : undefined;

/** A label from a table, or the raw value when the table does not know it (never blank). */
export const labelOf = <K extends string>(table: Record<K, Text>, key: unknown): Text =>
  lookup(table, key) ?? raw(key);

/** A value no table knows, as text (an object would say nothing useful). */
function raw(key: unknown): Text {
  const text = typeof key === "string" ? key : key == null ? "—" : JSON.stringify(key);
  return [text, text];
}

export const isService = (id: unknown): id is ServiceId =>
  typeof id === "string" && (serviceIds as readonly string[]).includes(id);

/** A service by its name in the tenant's policy (KWS 3's table). */
export const serviceLabel = (policy: Policy, id: unknown): Text =>
  isService(id) ? [policy.services[id].label.ja, policy.services[id].label.en] : raw(id);

/** A label in the page's language, the other language on hover and the code for the export. */
export function labelHtml(lang: Lang, text: Text, code?: string): string {
  const other = lang === "ja" ? text[1] : text[0];
  const hover = code ? `${other} (${code})` : other;
  return `<span title="${h(hover)}">${h(pick(lang, text))}</span>`;
}
