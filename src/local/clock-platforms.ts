import type { LinkKind } from "../store/repos/links.js";
import type { LocalTeamsMeeting } from "./graph.js";
import type { LocalMicrosoft } from "./microsoft.js";
import { PLAYGROUND_TENANT, PERSONAS, teamsPerson, type Persona } from "./personas.js";
import {
  callRecording,
  meetingStartEnd,
  participantEvent,
  type TeamsMeetingRef,
} from "./teams-events.js";
import type { LocalWebex } from "./webex.js";
import { meetingData, participantData, recordingData } from "./webex-events.js";

/**
 * One meeting as the meeting clock drives it, whichever platform holds it: each method makes the
 * simulated platform do what the real one does when that happens in a meeting.
 */
export interface ClockMeeting {
  key: string;
  platform: "teams" | "webex";
  title: string;
  startsAt: string;
  /** How the bot links the platform's meeting to its own. */
  link: { kind: LinkKind; id: string };
  recordings(): number;
  start(at: Date): Promise<void>;
  end(at: Date): Promise<void>;
  join(persona: Persona, at: Date): Promise<void>;
  leave(persona: Persona, joinedAt: Date, at: Date): Promise<void>;
  /** A recording stopped: the platform keeps it (and Webex says so by webhook). */
  recorded(since: Date, until: Date): Promise<void>;
  /** The organizer deletes the recordings in the platform itself. */
  deleteRecordings(): void;
}

/** A Teams meeting of the simulated Graph as its events name it (chat, title, join URL). */
export const teamsRef = (microsoft: LocalMicrosoft, m: LocalTeamsMeeting): TeamsMeetingRef => ({
  tenantId: PLAYGROUND_TENANT,
  serviceUrl: microsoft.serviceUrl,
  botId: `28:${microsoft.teams.appId}`,
  threadId: m.threadId,
  title: m.subject,
  joinUrl: m.joinUrl,
});

/** Teams: signed activities to /api/messages; recordings listed by the simulated Graph. */
export function teamsMeetings(
  microsoft: LocalMicrosoft,
  post: (activity: object) => Promise<unknown>,
  nextId: () => string,
): ClockMeeting[] {
  return microsoft.meetings().map((m) => {
    const ref = teamsRef(microsoft, m);
    const organizer = teamsPerson("organizer");
    const role = (p: Persona) => (p === "organizer" ? "Organizer" : "Attendee");
    return {
      key: m.threadId,
      platform: "teams",
      title: m.subject,
      startsAt: m.startsAt,
      link: { kind: "join", id: m.joinUrl },
      recordings: () => m.recordings.length,
      start: async (at) => {
        await post(meetingStartEnd("start", ref, organizer, nextId(), at));
      },
      end: async (at) => {
        await post(meetingStartEnd("end", ref, organizer, nextId(), at));
      },
      join: async (p, at) => {
        await post(participantEvent("join", ref, teamsPerson(p), role(p), nextId(), at));
      },
      leave: async (p, _joinedAt, at) => {
        await post(participantEvent("leave", ref, teamsPerson(p), role(p), nextId(), at));
      },
      recorded: async (since, until) => {
        // Graph lists it, and tells the bot's recordings subscription (R-REC 3).
        await microsoft.graph.recordingAvailable(
          m,
          callRecording(PLAYGROUND_TENANT, m, since, until),
        );
      },
      deleteRecordings: () => {
        m.recordings.length = 0;
        m.transcripts.length = 0;
      },
    };
  });
}

/** Webex: signed webhook deliveries to /api/webex; recordings listed by the simulated API. */
export function webexMeetings(webex: LocalWebex): ClockMeeting[] {
  return webex.meetings().map((m) => {
    const who = (p: Persona) => ({
      uuid: PERSONAS[p].aad,
      email: PERSONAS[p].email,
      displayName: PERSONAS[p].name,
      orgUuid: PLAYGROUND_TENANT,
      host: p === "organizer",
    });
    const actor = (p: Persona) => webex.personOf(PERSONAS[p].email)?.id ?? "";
    return {
      key: m.id,
      platform: "webex",
      title: m.title,
      startsAt: new Date(m.start).toISOString(),
      link: { kind: "platform", id: m.id },
      recordings: () => m.recordings.length,
      start: async (at) => {
        m.startedAt = at;
        await webex.deliver("meetings", "started", meetingData(m, "inProgress", at), m.hostUserId);
      },
      end: async (at) => {
        await webex.deliver("meetings", "ended", meetingData(m, "ended", at), m.hostUserId);
      },
      join: async (p, at) => {
        const data = participantData(m, who(p), "joined", at, m.startedAt ?? at, at);
        await webex.deliver("meetingParticipants", "joined", data, actor(p));
      },
      leave: async (p, joinedAt, at) => {
        const data = participantData(m, who(p), "left", joinedAt, m.startedAt ?? at, at);
        await webex.deliver("meetingParticipants", "left", data, actor(p));
      },
      recorded: async (since, until) => {
        const data = recordingData(m, `rec${String(since.getTime())}`, since, until);
        m.recordings.push(data);
        await webex.deliver("recordings", "created", data, m.hostUserId);
      },
      deleteRecordings: () => {
        m.recordings = [];
      },
    };
  });
}
