/**
 * The activities Teams sends a bot in a meeting (start, end, a participant joining or leaving),
 * in the shapes of msteams-docs `apps-in-teams-meetings/meeting-apps-apis.md`: PascalCase
 * `value` for start and end, `value.members[]` for join and leave, the meeting chat as the
 * conversation and `channelData.meeting.id` as the Teams meeting id. test/local/wire.test.ts
 * compares them with the documented payloads field by field.
 */

export interface TeamsMeetingRef {
  tenantId: string;
  serviceUrl: string;
  botId: string;
  /** The meeting chat, `19:meeting_…@thread.v2`. */
  threadId: string;
  title: string;
  joinUrl: string;
}

export interface TeamsPerson {
  /** The Teams user id (MRI, `29:…`). */
  id: string;
  name: string;
  aadObjectId: string;
}

/** The Teams meeting id: base64 of `0#<thread>#0`, as Teams puts it in `channelData.meeting.id`. */
export const teamsMeetingId = (threadId: string) =>
  Buffer.from(`0#${threadId}#0`).toString("base64");

/** The meeting's join URL as Teams writes it, with the tenant and organizer in `context`. */
export const teamsJoinUrl = (threadId: string, tenantId: string, organizerOid: string) =>
  `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(threadId)}/0?context=${encodeURIComponent(
    JSON.stringify({ Tid: tenantId, Oid: organizerOid }),
  )}`;

/** `2026-12-01T10:00:12.512+09:00`: the sender's local time (Japan) as Teams adds it. */
function localTimestamp(at: Date): string {
  return `${new Date(at.getTime() + 9 * 3_600_000).toISOString().slice(0, -1)}+09:00`;
}

function envelope(meeting: TeamsMeetingRef, from: TeamsPerson, id: string, at: Date) {
  return {
    type: "event",
    timestamp: at.toISOString(),
    localTimestamp: localTimestamp(at),
    id,
    channelId: "msteams",
    serviceUrl: meeting.serviceUrl,
    from: { id: from.id, aadObjectId: from.aadObjectId },
    conversation: {
      isGroup: true,
      conversationType: "groupChat",
      tenantId: meeting.tenantId,
      id: meeting.threadId,
    },
    recipient: { id: meeting.botId, name: "会議ガード" },
  };
}

const clientInfo = [{ locale: "ja-JP", country: "JP", type: "clientInfo" }];

/** `application/vnd.microsoft.meetingStart` or `…meetingEnd`, sent as the organizer. */
export function meetingStartEnd(
  kind: "start" | "end",
  meeting: TeamsMeetingRef,
  organizer: TeamsPerson,
  id: string,
  at: Date,
) {
  const meetingId = teamsMeetingId(meeting.threadId);
  return {
    name:
      kind === "start"
        ? "application/vnd.microsoft.meetingStart"
        : "application/vnd.microsoft.meetingEnd",
    ...envelope(meeting, organizer, id, at),
    entities: clientInfo,
    channelData: { tenant: { id: meeting.tenantId }, source: null, meeting: { id: meetingId } },
    value: {
      MeetingType: "Scheduled",
      Title: meeting.title,
      Id: meetingId,
      JoinUrl: meeting.joinUrl,
      [kind === "start" ? "StartTime" : "EndTime"]: at.toISOString(),
    },
    locale: "ja-JP",
  };
}

/** `application/vnd.microsoft.meetingParticipantJoin` or `…Leave` for one person. */
export function participantEvent(
  kind: "join" | "leave",
  meeting: TeamsMeetingRef,
  person: TeamsPerson,
  role: "Organizer" | "Attendee",
  id: string,
  at: Date,
) {
  return {
    name:
      kind === "join"
        ? "application/vnd.microsoft.meetingParticipantJoin"
        : "application/vnd.microsoft.meetingParticipantLeave",
    ...envelope(meeting, person, id, at),
    channelData: {
      tenant: { id: meeting.tenantId },
      meeting: { id: teamsMeetingId(meeting.threadId) },
    },
    value: {
      members: [
        {
          user: {
            id: person.id,
            name: person.name,
            aadObjectId: person.aadObjectId,
            tenantId: meeting.tenantId,
          },
          meeting: { inMeeting: kind === "join", role },
        },
      ],
    },
    locale: "ja-JP",
  };
}

/** `GET {serviceUrl}v1/meetings/{id}` (TeamsInfo.getMeetingInfo), a scheduled meeting. */
export function meetingInfo(
  meeting: TeamsMeetingRef & { graphId: string; startsAt: string; endsAt: string },
  organizer: TeamsPerson,
) {
  return {
    details: {
      id: teamsMeetingId(meeting.threadId),
      msGraphResourceId: meeting.graphId,
      scheduledStartTime: meeting.startsAt,
      scheduledEndTime: meeting.endsAt,
      joinUrl: meeting.joinUrl,
      title: meeting.title,
      type: "Scheduled",
    },
    conversation: { isGroup: true, conversationType: "groupChat", id: meeting.threadId },
    organizer: {
      id: organizer.id,
      aadObjectId: organizer.aadObjectId,
      objectId: organizer.aadObjectId,
      tenantId: meeting.tenantId,
    },
  };
}

/** A callRecording as Graph lists it (recordings-list-response.json), once the recording stopped. */
export function callRecording(
  tenantId: string,
  m: { graphId: string; organizerOid: string },
  since: Date,
  until: Date,
) {
  const id = Buffer.from(`${m.graphId}#${String(since.getTime())}`).toString("base64");
  return {
    id,
    meetingId: m.graphId,
    callId: `playground-${String(since.getTime())}`,
    contentCorrelationId: `playground-${String(since.getTime())}-0`,
    createdDateTime: new Date(until.getTime() + 40_000).toISOString(),
    endDateTime: until.toISOString(),
    recordingContentUrl: `https://graph.microsoft.com/v1.0/users/${m.organizerOid}/onlineMeetings/${m.graphId}/recordings/${id}/content`,
    meetingOrganizer: {
      application: null,
      device: null,
      user: {
        "@odata.type": "#microsoft.graph.teamworkUserIdentity",
        id: m.organizerOid,
        displayName: null,
        userIdentityType: "aadUser",
        tenantId,
      },
    },
  };
}
