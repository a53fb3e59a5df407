import type { Meeting, Effect, Recipient, TimerEvent } from "./types.js";

/** Small constructors so handlers read like the rule they implement. */
export const log = (action: string, payload: Record<string, unknown> = {}): Effect => ({
  type: "log",
  action,
  payload,
});

export const message = (
  to: Recipient,
  template: string,
  data: Record<string, unknown> = {},
): Effect => ({ type: "message", to, template, data });

export const toOrganizer: Recipient = { kind: "organizer" };
export const toAdmin: Recipient = { kind: "admin" };
export const toMeetingChat: Recipient = { kind: "meeting-chat" };

export const setTimer = (key: string, runAt: Date, event: TimerEvent): Effect => ({
  type: "set-timer",
  key,
  runAt: runAt.toISOString(),
  event,
});

export const timerKey = (meeting: Meeting, what: string) => `${meeting.id}:${what}`;

export const addMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);
