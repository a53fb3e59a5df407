import type { Clock } from "../clock.js";
import {
  addMinutes,
  log,
  message,
  setTimer,
  timerKey,
  toMeetingChat,
  toOrganizer,
} from "./effects.js";
import { NotOrganizerError } from "./errors.js";
import type { Effect, Meeting, MeetingEvent, Participant, TransitionResult } from "./types.js";

type Ev<T extends MeetingEvent["type"]> = Extract<MeetingEvent, { type: T }>;

/** How long participants have to answer the consent card before the organizer is told who has not. */
export const CONSENT_DEADLINE_MINUTES = 5;

const unchanged = (meeting: Meeting): TransitionResult => ({ meeting, effects: [] });

/** The latest answer of each person (R-REC 2: every answer is kept, the latest counts). */
export function latestAnswers(meeting: Meeting): Map<string, "agree" | "refuse"> {
  return new Map((meeting.consent?.answers ?? []).map((a) => [a.personId, a.answer]));
}

/** People in the meeting now (joined, not left), the organizer excluded. */
export function present(meeting: Meeting): Participant[] {
  return (meeting.participants ?? []).filter(
    (p) => p.leftAt === undefined && p.id !== meeting.organizerId,
  );
}

function isInvited(meeting: Meeting, p: { id: string; email?: string }): boolean {
  if (p.id === meeting.organizerId) return true;
  const email = p.email?.toLowerCase();
  return email !== undefined && (meeting.invitees ?? []).some((i) => i.toLowerCase() === email);
}

/** Asks these people for consent in the meeting chat, each addressed on their own card view. */
function askConsent(meeting: Meeting, personIds: string[]): Effect[] {
  if (personIds.length === 0) return [];
  return [
    log("consent.requested", { people: personIds.length }),
    message(toMeetingChat, "consent-request", { personIds }),
  ];
}

/** Recording is planned or announced: everyone present is asked, late joiners as they come. */
export function startConsent(meeting: Meeting, clock: Clock): TransitionResult {
  if (meeting.consent) return unchanged(meeting);
  const now = clock.now();
  const answered = latestAnswers(meeting);
  const ask = present(meeting)
    .map((p) => p.id)
    .filter((id) => !answered.has(id));
  return {
    meeting: { ...meeting, consent: { requestedAt: now.toISOString(), answers: [] } },
    effects: [
      ...askConsent(meeting, ask),
      setTimer(timerKey(meeting, "consent-deadline"), addMinutes(now, CONSENT_DEADLINE_MINUTES), {
        type: "consent-deadline",
      }),
    ],
  };
}

/**
 * R-ADMIT, R-ATT, R-REC 2: a join is recorded with its time; someone not invited is flagged to
 * the organizer at once (MWG 8(3)); a joiner after consent was asked gets their own consent card.
 * A repeated join (reconnect) keeps the first join time and clears the leave.
 */
export function participantJoined(
  meeting: Meeting,
  ev: Ev<"participant-joined">,
): TransitionResult {
  const participants = meeting.participants ?? [];
  const known = participants.find((p) => p.id === ev.participant.id);
  const invited = isInvited(meeting, ev.participant);
  const next: Participant = known
    ? { ...known, ...ev.participant, invited: known.invited || invited, leftAt: undefined }
    : { ...ev.participant, invited, joinedAt: ev.at };
  const updated: Meeting = {
    ...meeting,
    participants: known
      ? participants.map((p) => (p === known ? next : p))
      : [...participants, next],
  };
  const effects: Effect[] = [
    {
      type: "log",
      action: "participant.joined",
      payload: { invited: next.invited, rejoin: Boolean(known) },
      sensitive: { personId: next.id, name: next.name ?? null },
    },
  ];
  if (!next.invited && !known && meeting.verdict?.settings.identityCheck.value)
    effects.push(message(toOrganizer, "unknown-participant", { personId: next.id }));
  const answered = latestAnswers(meeting).has(next.id);
  if (meeting.consent && !answered && next.id !== meeting.organizerId)
    effects.push(...askConsent(meeting, [next.id]));
  return { meeting: updated, effects };
}

export function participantLeft(meeting: Meeting, ev: Ev<"participant-left">): TransitionResult {
  const participants = meeting.participants ?? [];
  const known = participants.find((p) => p.id === ev.personId && p.leftAt === undefined);
  if (!known) return unchanged(meeting);
  return {
    meeting: {
      ...meeting,
      participants: participants.map((p) => (p === known ? { ...p, leftAt: ev.at } : p)),
    },
    effects: [
      {
        type: "log",
        action: "participant.left",
        payload: {},
        sensitive: { personId: known.id },
      },
    ],
  };
}

/** The organizer says recording starts (it was not planned): consent is asked now. */
export function recordingAnnounced(
  meeting: Meeting,
  ev: Ev<"recording-announced">,
  clock: Clock,
): TransitionResult {
  if (ev.actor !== meeting.organizerId) throw new NotOrganizerError(ev.type);
  const result = startConsent(meeting, clock);
  return { ...result, effects: [log("recording.announced"), ...result.effects] };
}

/**
 * R-REC 2-3: an answer is bound to the authenticated sender and logged with the card version
 * shown. A refusal tells the organizer at once that recording must not start or must stop; under
 * `all-participants` (MWG 5(2)7) the organizer is told when everyone present has agreed.
 */
export function consentAnswered(
  meeting: Meeting,
  ev: Ev<"consent-answered">,
  clock: Clock,
): TransitionResult {
  const consent = meeting.consent ?? { requestedAt: clock.now().toISOString(), answers: [] };
  const before = latestAnswers(meeting).get(ev.actor);
  const record = {
    personId: ev.actor,
    answer: ev.answer,
    cardVersion: ev.cardVersion,
    at: clock.now().toISOString(),
  };
  const updated: Meeting = {
    ...meeting,
    consent: { ...consent, answers: [...consent.answers, record] },
  };
  const mode = meeting.verdict?.consentMode.value ?? "all-participants";
  const effects: Effect[] = [
    {
      type: "log",
      action: "consent.answered",
      payload: {
        answer: ev.answer,
        cardVersion: ev.cardVersion,
        mode,
        changed: before !== undefined,
      },
      sensitive: { personId: ev.actor },
    },
  ];
  if (ev.answer === "refuse") {
    effects.push(
      log("recording.blocked", { mode, reason: "refused" }),
      message(toOrganizer, "consent-refused", { mode, personId: ev.actor }),
    );
  } else if (mode === "all-participants" && before !== "agree") {
    const answers = latestAnswers(updated);
    const everyone = present(updated).every((p) => answers.get(p.id) === "agree");
    if (everyone) effects.push(message(toOrganizer, "consent-complete", { mode }));
  }
  return { meeting: updated, effects };
}

/**
 * A recording exists (R-REC 3, R-POST 2): logged; if consent was not asked, or someone present
 * refused or has not agreed under `all-participants`, the organizer is told at once.
 */
export function recordingReported(
  meeting: Meeting,
  ev: Ev<"recording-reported">,
): TransitionResult {
  const mode = meeting.verdict?.consentMode.value ?? "all-participants";
  const answers = latestAnswers(meeting);
  const withoutConsent =
    !meeting.consent ||
    [...answers.values()].includes("refuse") ||
    (mode === "all-participants" && present(meeting).some((p) => answers.get(p.id) !== "agree"));
  return {
    meeting,
    effects: [
      log("recording.created", { recordingId: ev.recordingId, withoutConsent }),
      ...(withoutConsent
        ? [message(toOrganizer, "recording-without-consent", { mode, recordingId: ev.recordingId })]
        : []),
    ],
  };
}

/** R-SET 1: invitees admitted from the lobby at the organizer's request; the rest stay out. */
export function lobbyAdmitted(meeting: Meeting, ev: Ev<"lobby-admitted">): TransitionResult {
  if (ev.actor !== meeting.organizerId) throw new NotOrganizerError(ev.type);
  return {
    meeting,
    effects: [log("lobby.admitted", { admitted: ev.admitted, keptInLobby: ev.kept })],
  };
}

/** R-POST 2: a recording deleted through the bot, verified gone from the platform's list. */
export function recordingDeleted(meeting: Meeting, ev: Ev<"recording-deleted">): TransitionResult {
  if (ev.actor !== meeting.organizerId) throw new NotOrganizerError(ev.type);
  return {
    meeting,
    effects: [log("recording.deleted", { recordingId: ev.recordingId, verified: true })],
  };
}

/** Under `all-participants`, people present who have not agreed by the deadline block recording. */
export function consentDeadline(meeting: Meeting): TransitionResult {
  const mode = meeting.verdict?.consentMode.value ?? "all-participants";
  if (!meeting.consent || mode !== "all-participants") return unchanged(meeting);
  const answers = latestAnswers(meeting);
  const missing = present(meeting).filter((p) => !answers.has(p.id));
  if (missing.length === 0) return unchanged(meeting);
  return {
    meeting,
    effects: [
      log("recording.blocked", { mode, reason: "no-answer", missing: missing.length }),
      message(toOrganizer, "consent-missing", { mode, personIds: missing.map((p) => p.id) }),
    ],
  };
}
