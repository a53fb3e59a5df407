import type { Clock } from "../clock.js";
import {
  addMinutes,
  log,
  message,
  setTimer,
  timerKey,
  toAdmin,
  toMeetingChat,
  toOrganizer,
} from "./effects.js";
import { startConsent } from "./during.js";
import { CleanupItemUnknownError, NotOrganizerError } from "./errors.js";
import type { Effect, Meeting, MeetingEvent, TransitionResult } from "./types.js";

type Ev<T extends MeetingEvent["type"]> = Extract<MeetingEvent, { type: T }>;

const unchanged = (meeting: Meeting): TransitionResult => ({ meeting, effects: [] });

/**
 * A meeting starts whatever its state; one that was not cleared is reported, not ignored. A
 * second start (the platform sends events twice) changes nothing. When recording is planned,
 * consent is asked from the start (R-REC 2).
 */
export function start(meeting: Meeting, clock: Clock): TransitionResult {
  if (meeting.state === "in-progress") return unchanged(meeting);
  const cleared = meeting.state === "scheduled";
  const effects: Effect[] = [
    log("meeting.started", { cleared, stateBefore: meeting.state }),
    {
      type: "platform",
      action: "verify-settings",
      ...(meeting.verdict ? { settings: meeting.verdict.settings } : {}),
    },
    // R-REC 3: a recording is reported when it exists, planned or not (Teams: a Graph subscription).
    { type: "platform", action: "watch-recordings" },
    message(toMeetingChat, "tier-notice"),
  ];
  if (meeting.verdict?.settings.identityCheck.value)
    effects.push(message(toOrganizer, "roll-call"));
  if (!cleared)
    effects.push(message(toAdmin, "started-without-clearance", { stateBefore: meeting.state }));
  const started: Meeting = { ...meeting, state: "in-progress", resumeState: undefined };
  if (!(meeting.plan?.recording ?? false) && !(meeting.plan?.transcription ?? false))
    return { meeting: started, effects };
  const consent = startConsent(started, clock);
  return { meeting: consent.meeting, effects: [...effects, ...consent.effects] };
}

/**
 * The meeting is over (the platform said so, or the fallback timer after the planned end). The
 * cleanup flow starts from a timer due now, in the same transaction, so it survives a crash and
 * happens once however many end events arrive.
 */
export function end(meeting: Meeting, clock: Clock): TransitionResult {
  if (meeting.state !== "scheduled" && meeting.state !== "in-progress") return unchanged(meeting);
  return {
    meeting: { ...meeting, state: "ended" },
    effects: [
      log("meeting.ended", { startObserved: meeting.state === "in-progress" }),
      { type: "cancel-timers", keyPrefix: timerKey(meeting, "end-fallback") },
      { type: "cancel-timers", keyPrefix: timerKey(meeting, "consent-deadline") },
      setTimer(timerKey(meeting, "open-cleanup"), clock.now(), { type: "open-cleanup" }),
      ...(meeting.committee ? [message(toOrganizer, "attendance")] : []),
    ],
  };
}

/** R-POST 1: the cleanup card, and reminders until every item is confirmed. */
export function openCleanup(meeting: Meeting, clock: Clock): TransitionResult {
  const items = meeting.verdict?.cleanup ?? [];
  if (items.length === 0) {
    return {
      meeting: { ...meeting, state: "closed", cleanup: [] },
      effects: [log("meeting.closed", { cleanup: 0 })],
    };
  }
  const reminders = meeting.verdict?.reminders;
  const effects: Effect[] = [
    log("cleanup.opened", { items: items.map((i) => ({ id: i.id, cite: i.cite })) }),
    message(toOrganizer, "cleanup"),
  ];
  if (reminders) {
    const at = addMinutes(clock.now(), reminders.firstAfterMinutes);
    effects.push(setTimer(timerKey(meeting, "reminder:1"), at, { type: "reminder-due", n: 1 }));
  }
  return {
    meeting: {
      ...meeting,
      state: "cleanup-pending",
      cleanup: items.map((i) => ({ id: i.id, done: false })),
      remindersSent: 0,
    },
    effects,
  };
}

export function confirmCleanup(
  meeting: Meeting,
  ev: Ev<"confirm-cleanup">,
  clock: Clock,
): TransitionResult {
  if (ev.actor !== meeting.organizerId) throw new NotOrganizerError(ev.type);
  const item = meeting.cleanup.find((i) => i.id === ev.itemId);
  if (!item) throw new CleanupItemUnknownError(ev.itemId);
  if (item.done) return unchanged(meeting);
  const at = clock.now().toISOString();
  const cleanup = meeting.cleanup.map((i) =>
    i === item ? { ...i, done: true, confirmedBy: ev.actor, confirmedAt: at } : i,
  );
  const use = ev.deviceUse;
  const effects: Effect[] = [
    {
      type: "log",
      action: "cleanup.confirmed",
      payload: {
        item: ev.itemId,
        evidence: ev.evidence ?? "organizer",
        ...(use ? { deviceId: use.deviceId } : {}),
      },
      ...(use ? { sensitive: { userName: use.userName } } : {}),
    },
  ];
  if (use)
    effects.push({
      type: "record-device-use",
      ...use,
      from: meeting.startsAt ?? at,
      to: meeting.endsAt ?? null,
    });
  if (cleanup.every((i) => i.done)) {
    effects.push(
      { type: "cancel-timers", keyPrefix: timerKey(meeting, "reminder:") },
      log("meeting.closed", { cleanup: cleanup.length }),
      message(toOrganizer, "cleanup-complete"),
    );
    if (meeting.state === "escalated") effects.push(message(toAdmin, "cleanup-complete"));
    return { meeting: { ...meeting, cleanup, state: "closed", resumeState: undefined }, effects };
  }
  return { meeting: { ...meeting, cleanup }, effects };
}

/**
 * R-POST 3: reminder n is sent once (a duplicate or stale timer changes nothing); after the
 * policy's count the admin is told once, and reminders go on until everything is confirmed.
 */
export function reminderDue(
  meeting: Meeting,
  ev: Ev<"reminder-due">,
  clock: Clock,
): TransitionResult {
  const schedule = meeting.verdict?.reminders;
  if (!schedule || ev.n !== meeting.remindersSent + 1) return unchanged(meeting);
  const open = meeting.cleanup.filter((i) => !i.done).map((i) => i.id);
  const next = addMinutes(clock.now(), schedule.everyMinutes);
  const effects: Effect[] = [
    log("reminder.sent", { n: ev.n, open }),
    message(toOrganizer, "cleanup-reminder", { n: ev.n, open }),
    setTimer(timerKey(meeting, `reminder:${ev.n + 1}`), next, {
      type: "reminder-due",
      n: ev.n + 1,
    }),
  ];
  const overdue = ev.n > schedule.escalateAfter && meeting.state !== "escalated";
  if (overdue) {
    effects.push(
      log("meeting.escalated", { reason: "cleanup-overdue", open }),
      message(toAdmin, "escalation", { reason: "cleanup-overdue", open }),
    );
  }
  return {
    meeting: {
      ...meeting,
      remindersSent: ev.n,
      ...(overdue ? { state: "escalated" as const, resumeState: "cleanup-pending" as const } : {}),
    },
    effects,
  };
}

/**
 * R-SET 6: what the platform reports after creating the meeting is recorded, and a setting that
 * did not stick is told to the organizer and logged — never assumed.
 */
export function platformResult(meeting: Meeting, ev: Ev<"platform-result">): TransitionResult {
  if (ev.action === "verify-settings") return verified(meeting, ev);
  if (!ev.joinUrl || !ev.platformMeetingId) {
    return {
      meeting,
      effects: [
        log("settings.failed", { action: ev.action, error: ev.error ?? "unknown" }),
        message(toOrganizer, "meeting-create-failed", { error: ev.error ?? "unknown" }),
      ],
    };
  }
  const effects: Effect[] = [
    log("settings.applied", {
      action: ev.action,
      platformMeetingId: ev.platformMeetingId,
      mismatches: ev.mismatches,
    }),
  ];
  if (ev.mismatches.length > 0)
    effects.push(log("settings.mismatch", { fields: ev.mismatches.map((m) => m.field) }));
  effects.push(
    message(toOrganizer, "meeting-created", {
      joinUrl: ev.joinUrl,
      mismatches: ev.mismatches,
      action: ev.action,
    }),
  );
  return {
    meeting: { ...meeting, platformMeeting: { id: ev.platformMeetingId, joinUrl: ev.joinUrl } },
    effects,
  };
}

/**
 * At the start the settings are read again (R-SET 6): what drifted since they were applied is
 * logged as drift and put back; whatever still differs after that is told to the organizer.
 */
function verified(meeting: Meeting, ev: Ev<"platform-result">): TransitionResult {
  if (ev.error) {
    return {
      meeting,
      effects: [
        log("settings.verify_failed", { error: ev.error }),
        message(toOrganizer, "settings-unverified", { error: ev.error }),
      ],
    };
  }
  const drift = ev.drift ?? [];
  const effects: Effect[] = [
    log("settings.verified", {
      drift: drift.map((d) => d.field),
      mismatches: ev.mismatches.map((m) => m.field),
    }),
  ];
  if (drift.length > 0) effects.push(log("settings.drift", { fields: drift.map((d) => d.field) }));
  if (drift.length > 0 || ev.mismatches.length > 0)
    effects.push(message(toOrganizer, "settings-drift", { drift, mismatches: ev.mismatches }));
  return { meeting, effects };
}
