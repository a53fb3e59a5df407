import type { Policy } from "../policy/schema.js";
import { serviceLabel } from "./labels.js";
import { japanTime } from "../japan-time.js";

/**
 * Every action the code writes to the meeting log (src/meetings, src/governor, src/store,
 * src/admin). A test reads the sources for `log("…")` and `action: "…"` and fails when one is
 * missing here; `sentences` must then say it, or the typecheck fails.
 */
export const actionKinds = [
  "meeting.drafted",
  "meeting.intercepted",
  "tier.declared",
  "meeting.refused",
  "approval.requested",
  "approval.reminded",
  "approval.answered",
  "meeting.scheduled",
  "meeting.escalated",
  "meeting.cancelled",
  "settings.applied",
  "settings.failed",
  "settings.mismatch",
  "settings.verified",
  "settings.verify_failed",
  "settings.drift",
  "meeting.started",
  "participant.joined",
  "participant.left",
  "lobby.admitted",
  "recording.announced",
  "consent.requested",
  "consent.answered",
  "recording.blocked",
  "recording.created",
  "recording.deleted",
  "meeting.ended",
  "cleanup.opened",
  "reminder.sent",
  "cleanup.confirmed",
  "meeting.closed",
  "action.rejected",
  "incident.reported",
  "retention.applied",
  "admin.verified",
  "admin.exported",
  "admin.requeued",
  "admin.policy_changed",
] as const;
export type ActionKind = (typeof actionKinds)[number];

export const isActionKind = (action: string): action is ActionKind =>
  (actionKinds as readonly string[]).includes(action);

/** Who, as a sentence says them: 「佐藤 健 さん」 / "佐藤 健"; the system without さん. */
export interface Who {
  ja: string;
  en: string;
}

/** What a sentence is made from. */
export interface EntryContext {
  payload: Record<string, unknown>;
  /** Who wrote the entry (the authenticated actor). */
  by: Who;
  /** Whom the entry is about (a participant kept as personal data beside the log), else `by`. */
  about: Who;
  policy: Policy;
  /** The meeting's tier, for the clause of what the tier decided. */
  tier?: string | undefined;
}

export interface Sentence {
  ja: string;
  en: string;
  /** The clause behind it, e.g. "MWG 5(2)7". */
  cite?: string | undefined;
}

export const num = (v: unknown) => (typeof v === "number" ? v : Array.isArray(v) ? v.length : 0);
export const str = (v: unknown) => (typeof v === "string" ? v : "");
export const list = (v: unknown) => (Array.isArray(v) ? v.map(String).join(", ") : "");

/** The clause of a consent rule by its mode (MWG: everyone agrees; KWS: consent or notice). */
export const consentCite = (c: EntryContext) =>
  c.payload.mode === "all-participants"
    ? "MWG 5(2)7"
    : c.payload.mode === "consent-or-notice"
      ? "KWS 4(3)エ"
      : c.policy.recording.consentMode.cite;

export const approvalCite = (c: EntryContext) =>
  ({
    "external-participants": c.policy.approvals.externalParticipants.cite,
    "external-host": c.policy.approvals.externalHost.cite,
    "personal-information-consultation": c.policy.approvals.personalInformation.cite,
    "tier-decision": c.policy.approvals.tierDecision.cite,
  })[str(c.payload.kind)] ?? c.policy.approvals.externalParticipants.cite;

export const tierCite = (c: EntryContext) =>
  c.tier === "I" || c.tier === "II" || c.tier === "III"
    ? c.policy.tiers[c.tier].lobby.cite
    : c.policy.identityCheck.cite;

export const escalationCite = (c: EntryContext) =>
  ({
    "cleanup-overdue": c.policy.reminders.cite,
    "approval-overdue": c.policy.approvalReminders.cite,
    unclassified: c.policy.unclassifiedEscalation.cite,
  })[str(c.payload.reason)];

export const cleanupItem = (c: EntryContext) => {
  const item = c.policy.cleanup.find((i) => i.id === c.payload.item);
  return item
    ? { ja: item.text.ja, en: item.text.en, cite: item.cite }
    : { ja: str(c.payload.item), en: str(c.payload.item), cite: c.policy.reminders.cite };
};

export const planned = (c: EntryContext) => {
  const plan = (c.payload.plan ?? {}) as Record<string, unknown>;
  const [ja, en] = serviceLabel(c.policy, plan.service);
  const at = str(c.payload.startsAt);
  return { ja: `${ja}、${japanTime("ja", at)}`, en: `${en}, ${japanTime("en", at)}` };
};

/** How one action kind is said. */
export type SayEntry = (c: EntryContext) => Sentence;
