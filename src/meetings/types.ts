import type { MeetingPlan } from "../policy/plan.js";
import type { ApprovalKind, MeetingSettings, Verdict } from "../policy/verdict.js";
import type { MeetingState, Tier, TierAnswer } from "./state.js";

export interface ApprovalStatus {
  kind: ApprovalKind;
  status: "pending" | "approved" | "refused";
  decidedBy?: string;
  decidedAt?: string;
  reason?: string;
}

/** Someone the platform reported in the meeting (R-ADMIT, R-ATT). */
export interface Participant {
  /** Platform identity (aad:<oid>, webex:<personId>). */
  id: string;
  name?: string;
  email?: string;
  /** The platform's address for cards (Teams `29:` id). */
  mri?: string;
  /** Listed among the invitees (or the organizer); false = flag at roll-call. */
  invited: boolean;
  joinedAt: string;
  leftAt?: string;
}

/** One consent answer (R-REC 2): every answer is kept, the latest per person counts. */
export interface ConsentRecord {
  personId: string;
  answer: "agree" | "refuse";
  cardVersion: number;
  at: string;
}

export interface CleanupStatus {
  id: string;
  done: boolean;
  confirmedBy?: string;
  confirmedAt?: string;
}

/** Everything the lifecycle needs to know of one meeting. Plain data, stored as is. */
export interface Meeting {
  id: string;
  tenantId: string;
  /** The organizer's identity as the platform authenticated it. */
  organizerId: string;
  state: MeetingState;
  /** Where an escalated meeting resumes once the missing answer arrives. */
  resumeState?: MeetingState;
  title?: string;
  /** A committee (審議会等): attendance is recorded for the minutes (R-ATT, MWG 6). */
  committee?: boolean;
  /** The organizer's department (policy directory id): whose approvers decide. */
  department?: string;
  /** Who participants call when the connection fails (MWG 8(4)), told with the join link. */
  fallbackContact?: string;
  /** Invitees' addresses, as the organizer gave them (the platform invites them). */
  invitees?: string[];
  /** The meeting on the platform, once created (or found, when scheduled outside the bot). */
  platformMeeting?: { id: string; joinUrl: string };
  /** Scheduled in the platform's calendar, not through the bot: the bot caught it (R-SET). */
  intercepted?: { eventId: string };
  /** What the organizer planned, without the tier (answered separately on the tier card). */
  plan?: Omit<MeetingPlan, "tier">;
  tier?: TierAnswer;
  verdict?: Verdict;
  approvals: ApprovalStatus[];
  cleanup: CleanupStatus[];
  remindersSent: number;
  participants?: Participant[];
  /** Set when recording is planned or announced: consent was asked at `requestedAt`. */
  consent?: { requestedAt: string; answers: ConsentRecord[] };
  /** Approval reminders sent so far (each step once). */
  approvalRemindersSent?: number;
  startsAt?: string;
  endsAt?: string;
}

export type MeetingEvent =
  | { type: "declare-tier"; actor: string; tier: TierAnswer; verdict: Verdict }
  | { type: "confirm"; actor: string }
  | {
      type: "answer-approval";
      actor: string;
      kind: ApprovalKind;
      decision: "approved" | "refused";
      reason?: string;
      /** With a tier decision: the tier set and the verdict re-evaluated for it. */
      decided?: { tier: Tier; verdict: Verdict };
    }
  | { type: "escalate"; reason: "unclassified" | "approval-overdue" }
  | { type: "start" }
  | { type: "end" }
  | {
      type: "participant-joined";
      participant: Omit<Participant, "invited" | "joinedAt" | "leftAt">;
      at: string;
    }
  | { type: "participant-left"; personId: string; at: string }
  | { type: "recording-announced"; actor: string }
  | { type: "consent-answered"; actor: string; answer: "agree" | "refuse"; cardVersion: number }
  | { type: "consent-deadline" }
  /** The platform reports a recording of the meeting (Webex `recordings` webhook). */
  | { type: "recording-reported"; recordingId: string }
  /** The organizer deleted a recording through the bot and the platform no longer lists it. */
  | { type: "recording-deleted"; actor: string; recordingId: string }
  /** The organizer let the invitees in from the lobby through the bot; the others stay. */
  | { type: "lobby-admitted"; actor: string; admitted: number; kept: number }
  | { type: "open-cleanup" }
  | {
      type: "confirm-cleanup";
      actor: string;
      itemId: string;
      /** How it was checked: the organizer's word, the platform listing nothing, or "moved". */
      evidence?: "organizer" | "platform-empty" | "organizer-moved";
      /** The device logbook line this confirmation records (R-DEV). */
      deviceUse?: { deviceId: string; department: string; userName: string };
    }
  | { type: "reminder-due"; n: number }
  | { type: "approval-reminder-due"; n: number }
  | { type: "cancel"; actor: string }
  | {
      type: "platform-result";
      action: "create-meeting" | "apply-settings" | "verify-settings";
      /** verify-settings: settings found changed since they were applied, and put back. */
      drift?: { field: string; wanted: unknown; actual: unknown }[];
      /** What the platform reported; undefined fields mean the call failed (see `error`). */
      joinUrl?: string;
      platformMeetingId?: string;
      /** Settings read back that differ from what the tier demands (R-SET 6). */
      mismatches: { field: string; wanted: unknown; actual: unknown }[];
      error?: string;
    };

export type MeetingEventType = MeetingEvent["type"];

export type Recipient =
  | { kind: "organizer" }
  | { kind: "approver"; approval: ApprovalKind }
  | { kind: "admin" }
  | { kind: "meeting-chat" }
  /** A person named directly (an incident contact). */
  | { kind: "contact"; personId: string };

/** Events a timer brings back when it fires. */
export type TimerEvent = Extract<
  MeetingEvent,
  {
    type:
      | "reminder-due"
      | "approval-reminder-due"
      | "escalate"
      | "end"
      | "open-cleanup"
      | "consent-deadline";
  }
>;

export type Effect =
  | { type: "message"; to: Recipient; template: string; data: Record<string, unknown> }
  | {
      type: "platform";
      /** `watch-recordings`: ask the platform to say when a recording of the meeting exists. */
      action:
        | "create-meeting"
        | "apply-settings"
        | "verify-settings"
        | "cancel-meeting"
        | "watch-recordings";
      settings?: MeetingSettings;
    }
  | { type: "set-timer"; key: string; runAt: string; event: TimerEvent }
  | { type: "cancel-timers"; keyPrefix: string }
  | {
      type: "record-device-use";
      deviceId: string;
      department: string;
      userName: string;
      from: string;
      to: string | null;
    }
  | {
      type: "log";
      action: string;
      payload: Record<string, unknown>;
      /** Personal data, kept beside the chain (redactable). */
      sensitive?: Record<string, unknown>;
    };

export interface TransitionResult {
  meeting: Meeting;
  effects: Effect[];
}
