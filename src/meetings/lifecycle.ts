import type { Clock } from "../clock.js";
import {
  answerApproval,
  approvalReminderDue,
  cancel,
  confirm,
  declareTier,
  escalate,
} from "./before.js";
import { confirmCleanup, end, openCleanup, platformResult, reminderDue, start } from "./after.js";
import {
  consentAnswered,
  consentDeadline,
  participantJoined,
  participantLeft,
  recordingReported,
  recordingDeleted,
  lobbyAdmitted,
  recordingAnnounced,
} from "./during.js";
import { IllegalTransitionError } from "./errors.js";
import type { MeetingState } from "./state.js";
import type { Meeting, MeetingEvent, MeetingEventType, TransitionResult } from "./types.js";

type Handler<T extends MeetingEventType> = (
  meeting: Meeting,
  event: Extract<MeetingEvent, { type: T }>,
  clock: Clock,
) => TransitionResult;

const beforeStart: MeetingState[] = ["draft", "tier-declared", "awaiting-approval", "scheduled"];
const afterEnd: MeetingState[] = ["ended", "cleanup-pending", "closed"];
/** Where people can be in the meeting: it may run before its start event arrives. */
const live: MeetingState[] = [...beforeStart, "in-progress", "refused", "cancelled"];

/** The transition table: which event is legal in which state, and what it does. Routing is data. */
export const transitions: {
  [T in MeetingEventType]: { from: readonly MeetingState[]; apply: Handler<T> };
} = {
  "declare-tier": { from: ["draft", "tier-declared", "refused"], apply: declareTier },
  confirm: { from: ["tier-declared"], apply: confirm },
  "answer-approval": { from: ["awaiting-approval"], apply: answerApproval },
  "approval-reminder-due": { from: ["awaiting-approval"], apply: approvalReminderDue },
  escalate: {
    from: ["draft", "tier-declared", "awaiting-approval"],
    apply: (m, e) => escalate(m, e),
  },
  start: {
    from: [...beforeStart, "refused", "cancelled", "in-progress"],
    apply: (m, _e, c) => start(m, c),
  },
  end: { from: ["scheduled", "in-progress", ...afterEnd], apply: (m, _e, c) => end(m, c) },
  "participant-joined": { from: live, apply: (m, e) => participantJoined(m, e) },
  "participant-left": { from: [...live, ...afterEnd], apply: (m, e) => participantLeft(m, e) },
  "recording-announced": { from: ["scheduled", "in-progress"], apply: recordingAnnounced },
  "consent-answered": { from: live, apply: consentAnswered },
  "lobby-admitted": { from: live, apply: (m, e) => lobbyAdmitted(m, e) },
  "recording-deleted": { from: [...live, ...afterEnd], apply: (m, e) => recordingDeleted(m, e) },
  "recording-reported": {
    from: [...live, ...afterEnd],
    apply: (m, e) => recordingReported(m, e),
  },
  "consent-deadline": { from: ["in-progress", ...afterEnd], apply: (m) => consentDeadline(m) },
  "open-cleanup": { from: ["ended"], apply: (m, _e, c) => openCleanup(m, c) },
  "confirm-cleanup": { from: ["cleanup-pending"], apply: confirmCleanup },
  "reminder-due": { from: ["cleanup-pending"], apply: reminderDue },
  cancel: { from: beforeStart, apply: (m, e) => cancel(m, e) },
  "platform-result": { from: ["scheduled", "in-progress"], apply: (m, e) => platformResult(m, e) },
};

/**
 * Applies one event to a meeting. Pure: returns the next meeting and the effects to perform, or
 * throws a typed error for an illegal move. An escalated meeting accepts what its resumed state
 * would (the missing answer may still arrive).
 */
export function transition(meeting: Meeting, event: MeetingEvent, clock: Clock): TransitionResult {
  const entry = transitions[event.type] as {
    from: readonly MeetingState[];
    apply: Handler<MeetingEventType>;
  };
  const state =
    meeting.state === "escalated" && meeting.resumeState ? meeting.resumeState : meeting.state;
  if (!entry.from.includes(state)) throw new IllegalTransitionError(event.type, meeting.state);
  // escalate again while escalated would lose where to resume
  if (event.type === "escalate" && meeting.state === "escalated") {
    throw new IllegalTransitionError(event.type, meeting.state, "already escalated");
  }
  return entry.apply(meeting, event, clock);
}

/** A new meeting, before anything is declared. */
export function newMeeting(
  fields: Pick<Meeting, "id" | "tenantId" | "organizerId"> & Partial<Meeting>,
): Meeting {
  return { state: "draft", approvals: [], cleanup: [], remindersSent: 0, ...fields };
}
