import type { ApprovalKind } from "../policy/verdict.js";
import type { MeetingEvent } from "../meetings/types.js";
import type { MeetingPlan } from "../policy/plan.js";
import type { Tier, TierAnswer } from "../meetings/state.js";

/** Who sent an event, and which event it is: the channel fills it from the authenticated request. */
export interface Envelope {
  /** Unique per inbound event (activity id, webhook id, timer key): handling is idempotent by it. */
  eventId: string;
  tenantId: string;
  meetingId: string;
  /** The authenticated sender (AAD object id, Webex personId), or `system:<what>` for timers. */
  actor: string;
  /** Whom the answered card was sent to, when the channel knows: anyone else is refused. */
  addressee?: string;
}

/** R-INC (MWG 8(2)(5)): what happened. */
export const incidentKinds = ["intrusion", "peeping", "leak", "theft", "loss", "other"] as const;
export type IncidentKind = (typeof incidentKinds)[number];

/** What the channels tell the governor, in neutral terms. */
export type GovernorInput =
  | {
      type: "draft";
      title: string;
      startsAt: string;
      endsAt: string;
      plan: Omit<MeetingPlan, "tier">;
      invitees?: string[];
      department?: string;
      fallbackContact?: string;
      committee?: boolean;
    }
  | {
      /** A Teams meeting scheduled in the calendar, not through the bot (R-SET: intercepted). */
      type: "intercepted";
      title: string;
      startsAt: string;
      endsAt: string;
      plan: Omit<MeetingPlan, "tier">;
      invitees: string[];
      platformMeeting: { id: string; joinUrl: string };
      eventId: string;
    }
  | { type: "tier-answered"; tier: TierAnswer }
  | {
      type: "approval-answered";
      kind: ApprovalKind;
      decision: "approved" | "refused";
      reason?: string;
      tier?: Tier;
    }
  | { type: "confirm" }
  | { type: "cancel" }
  | {
      type: "confirm-cleanup";
      itemId: string;
      evidence?: "organizer" | "platform-empty" | "organizer-moved";
      deviceUse?: { deviceId: string; department: string; userName: string };
    }
  | { type: "start" }
  | { type: "end" }
  | Extract<
      MeetingEvent,
      {
        type: "participant-joined" | "participant-left" | "consent-deadline" | "recording-reported";
      }
    >
  | { type: "recording-announced" }
  | { type: "recording-deleted"; recordingId: string }
  | { type: "lobby-admitted"; admitted: number; kept: number }
  | { type: "consent-answered"; answer: "agree" | "refuse"; cardVersion: number }
  | { type: "open-cleanup" }
  | { type: "reminder-due"; n: number }
  | { type: "approval-reminder-due"; n: number }
  | { type: "escalate"; reason: "unclassified" | "approval-overdue" }
  | Extract<MeetingEvent, { type: "platform-result" }>;
