import type { Text } from "../text.js";
import type { ChecklistItem } from "./schema.js";
import type { TierAnswer, Tier } from "./tiers.js";

/** Anything a verdict tells a person: a stable code, the clause behind it, and the text. */
export interface VerdictItem {
  code: string;
  cite: string;
  text: Text;
}

export const approvalKinds = [
  "external-participants",
  "external-host",
  "personal-information-consultation",
  "tier-decision",
] as const;
export type ApprovalKind = (typeof approvalKinds)[number];

export interface ApprovalItem extends VerdictItem {
  kind: ApprovalKind;
  approver: Text;
}

export interface Setting<V> {
  value: V;
  cite: string;
  text: Text;
}

export type LobbyBypass = "organizer" | "invited" | "organization" | "everyone";

/** What the meeting must carry on the platform (R-SET). */
export interface MeetingSettings {
  lobby: Setting<{ enabled: boolean; bypass: LobbyBypass }>;
  e2e: Setting<boolean>;
  recording: Setting<boolean>;
  transcription: Setting<boolean>;
  autoRecord: Setting<boolean>;
  fileTransfer: Setting<boolean>;
  chat: Setting<boolean>;
  screenShare: Setting<boolean>;
  presenters: Setting<"organizer" | "invited" | "everyone">;
  identityCheck: Setting<boolean>;
}

export interface ReminderSchedule {
  firstAfterMinutes: number;
  everyMinutes: number;
  escalateAfter: number;
  cite: string;
  text: Text;
}

export interface Verdict {
  allowed: boolean;
  /** The tier as answered; `unknown` is treated as tier I until decided (KSS 第3章2). */
  tier: TierAnswer;
  effectiveTier: Tier;
  /** The service id, or the name as given when it is outside the table. */
  service: string;
  refusals: VerdictItem[];
  warnings: VerdictItem[];
  approvals: ApprovalItem[];
  settings: MeetingSettings;
  consentMode: Setting<"all-participants" | "consent-or-notice">;
  recordingByOrganizerOnly: Setting<boolean>;
  cleanup: ChecklistItem[];
  reminders: ReminderSchedule;
  /** How approvers who do not answer are reminded (R-EXT 1). */
  approvalReminders: ReminderSchedule;
  guidance: VerdictItem[];
  /** What participants are told about the tier and its handling (R-TIER 3). */
  notice: VerdictItem[];
}
