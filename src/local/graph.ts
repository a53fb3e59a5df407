import { randomBytes } from "node:crypto";
import { graphSubscriptions, type Answer } from "./graph-subscriptions.js";
import { teamsJoinUrl } from "./teams-events.js";

/**
 * Microsoft Graph as local mode simulates it (paths under /graph/v1.0, app-only token checked by
 * the caller): calendar events that carry Teams meetings, the online meetings with their settings,
 * recordings and transcripts, and change-notification subscriptions — created only after the
 * notification URL answers the validation handshake, and notified as Graph does (calendar events
 * created; recordings created), to the bot's own /api/graph/notifications.
 */

/** A Teams meeting the simulated Graph holds: what Graph keeps, and what Teams knows of it. */
export interface LocalTeamsMeeting {
  graphId: string;
  threadId: string;
  joinUrl: string;
  subject: string;
  organizerOid: string;
  startsAt: string;
  endsAt: string;
  /** The onlineMeeting resource as Graph returns it (PATCHed by the bot). */
  resource: Record<string, unknown>;
  /** callRecording and callTranscript resources, as Graph lists them once a recording stopped. */
  recordings: Record<string, unknown>[];
  transcripts: Record<string, unknown>[];
}

interface CalendarEvent {
  id: string;
  organizerOid: string;
  subject: string;
  /** UTC, as Graph returns it without a Prefer: outlook.timezone header. */
  start: string;
  end: string;
  joinUrl: string;
  transactionId: string | null;
  attendees: string[];
}

const notFound: Answer = [404, { error: { code: "NotFound", message: "not found" } }];

const b64url = (x: Buffer) => x.toString("base64url");
/** `2026-12-01T10:00:00` in Tokyo Standard Time → UTC ISO. */
const fromTokyo = (value: { dateTime?: string } | undefined) =>
  value?.dateTime ? new Date(`${value.dateTime.slice(0, 19)}+09:00`).toISOString() : "";
/** Graph's dateTimeTimeZone in UTC: `2026-12-10T01:00:00.0000000`. */
const utc = (iso: string) => ({ dateTime: `${iso.slice(0, 19)}.0000000`, timeZone: "UTC" });

export function localGraph(tenantId: string, people: { aadObjectId: string; email?: string }[]) {
  const meetings = new Map<string, LocalTeamsMeeting>();
  const events = new Map<string, CalendarEvent>();
  const subscriptions = graphSubscriptions(tenantId);
  const emailOf = (oid: string) => people.find((p) => p.aadObjectId === oid)?.email ?? "";

  const eventCreated = (e: CalendarEvent) =>
    subscriptions.notify(`users/${e.organizerOid}/events`, {
      odataId: `Users/${e.organizerOid}/Events/${e.id}`,
      id: e.id,
      type: "#Microsoft.Graph.Event",
    });

  /** A calendar event with a Teams meeting, as Outlook creates it (by the bot, or by a person). */
  function createEvent(
    organizerOid: string,
    input: {
      subject?: string;
      start?: { dateTime?: string };
      end?: { dateTime?: string };
      transactionId?: string;
      attendees?: { emailAddress?: { address?: string } }[];
    },
  ): CalendarEvent {
    const thread = `19:meeting_${b64url(randomBytes(24))}@thread.v2`;
    const graphId = Buffer.from(`1*${organizerOid}*0**${thread}`).toString("base64");
    const joinUrl = teamsJoinUrl(thread, tenantId, organizerOid);
    const startsAt = fromTokyo(input.start);
    const endsAt = fromTokyo(input.end);
    meetings.set(graphId, {
      graphId,
      threadId: thread,
      joinUrl,
      subject: input.subject ?? "",
      organizerOid,
      startsAt,
      endsAt,
      resource: {
        id: graphId,
        joinWebUrl: joinUrl,
        subject: input.subject ?? "",
        lobbyBypassSettings: { scope: "organization", isDialInBypassEnabled: true },
        allowedPresenters: "everyone",
        allowRecording: true,
        allowTranscription: true,
        recordAutomatically: false,
        allowMeetingChat: "enabled",
        allowCopyingAndSharingMeetingContent: true,
      },
      recordings: [],
      transcripts: [],
    });
    const event: CalendarEvent = {
      id: b64url(randomBytes(32)),
      organizerOid,
      subject: input.subject ?? "",
      start: startsAt,
      end: endsAt,
      joinUrl,
      transactionId: input.transactionId ?? null,
      attendees: (input.attendees ?? [])
        .map((a) => a.emailAddress?.address ?? "")
        .filter((a) => a !== ""),
    };
    events.set(event.id, event);
    return event;
  }

  const eventResource = (e: CalendarEvent) => ({
    id: e.id,
    subject: e.subject,
    start: utc(e.start),
    end: utc(e.end),
    isOnlineMeeting: true,
    onlineMeetingProvider: "teamsForBusiness",
    onlineMeeting: { joinUrl: e.joinUrl },
    isOrganizer: true,
    isCancelled: false,
    transactionId: e.transactionId,
    attendees: e.attendees.map((address) => ({
      emailAddress: { address },
      type: "required",
    })),
    organizer: { emailAddress: { address: emailOf(e.organizerOid) } },
  });

  /** Graph's answer to one request (the caller has checked the app-only token). */
  async function handle(method: string, path: string, url: URL, body: unknown): Promise<Answer> {
    const userEvents = /^\/users\/([^/]+)\/events$/.exec(path);
    if (method === "POST" && userEvents) {
      const oid = decodeURIComponent(userEvents[1] ?? "");
      const event = createEvent(oid, body ?? {});
      // Outlook tells whoever watches this calendar, as it would for any new event.
      setTimeout(() => {
        void eventCreated(event);
      }, 50);
      return [201, eventResource(event)];
    }
    const oneEvent = /^\/users\/([^/]+)\/events\/([^/]+)$/.exec(path);
    if (method === "GET" && oneEvent) {
      const event = events.get(decodeURIComponent(oneEvent[2] ?? ""));
      return event ? [200, eventResource(event)] : notFound;
    }
    if (method === "GET" && /^\/users\/[^/]+\/onlineMeetings$/.test(path)) {
      const joinUrl = /JoinWebUrl eq '(.*)'/.exec(url.searchParams.get("$filter") ?? "")?.[1];
      const found = [...meetings.values()].filter((m) => m.joinUrl === joinUrl);
      return [200, { value: found.map((m) => m.resource) }];
    }
    const one = /^\/users\/[^/]+\/onlineMeetings\/([^/]+)(\/recordings|\/transcripts)?$/.exec(path);
    if (one) {
      const meeting = meetings.get(decodeURIComponent(one[1] ?? ""));
      if (!meeting) return notFound;
      if (one[2] && method === "GET")
        return [
          200,
          { value: one[2] === "/recordings" ? meeting.recordings : meeting.transcripts },
        ];
      if (method === "PATCH") Object.assign(meeting.resource, body ?? {});
      if (method === "PATCH" || method === "GET") return [200, meeting.resource];
    }
    return (await subscriptions.handle(method, path, body)) ?? notFound;
  }

  return {
    handle,
    meetings: () => [...meetings.values()],
    /** The organizer schedules a Teams meeting in their own calendar, not through the bot. */
    scheduleInCalendar(organizerOid: string, subject: string, start: string, attendees: string[]) {
      const tokyo = (ms: number) =>
        new Date(new Date(start).getTime() + ms + 9 * 3_600_000).toISOString().slice(0, 19);
      const event = createEvent(organizerOid, {
        subject,
        start: { dateTime: tokyo(0) },
        end: { dateTime: tokyo(3_600_000) },
        attendees: attendees.map((address) => ({ emailAddress: { address } })),
      });
      return eventCreated(event);
    },
    /** A recording became available: it is listed, and its subscribers are told. */
    recordingAvailable(meeting: LocalTeamsMeeting, recording: Record<string, unknown>) {
      meeting.recordings.push(recording);
      const id = String(recording.id);
      return subscriptions.notify(`communications/onlineMeetings/${meeting.graphId}/recordings`, {
        odataId: `communications/onlineMeetings('${meeting.graphId}')/recordings('${id}')`,
        id,
        type: "#Microsoft.Graph.callRecording",
      });
    },
    deliverTo(url: string) {
      subscriptions.deliverTo(url);
    },
  };
}

export type LocalGraph = ReturnType<typeof localGraph>;
