/**
 * The webhook deliveries Webex sends for a meeting (started, ended, a participant joining or
 * leaving, a recording created), in the shapes of developer.webex.com's Webhooks guide and the
 * Meetings API: the envelope of the registered hook, the meeting instance in `data`.
 * test/local/wire.test.ts compares them with the documented payloads field by field.
 */

export interface WebexMeetingRef {
  /** The series id (what the bot created). */
  id: string;
  /** This occurrence: `<series>_I_<n>`. */
  instanceId: string;
  title: string;
  meetingNumber: string;
  hostEmail: string;
  hostUserId: string;
  hostDisplayName: string;
  start: string;
  end: string;
  webLink: string;
  /** The tags the meeting was created with (kaigi-guard tags its own with the meeting id). */
  integrationTags: string[];
}

export interface WebexHook {
  id: string;
  name: string;
  targetUrl: string;
  orgId: string;
  createdBy: string;
  appId: string;
  ownedBy: "creator" | "org";
  created: string;
}

/** The delivery envelope (every webhook has it). */
export const envelope = (
  hook: WebexHook,
  resource: string,
  event: string,
  actorId: string,
  data: object,
) => ({
  id: hook.id,
  name: hook.name,
  targetUrl: hook.targetUrl,
  resource,
  event,
  orgId: hook.orgId,
  createdBy: hook.createdBy,
  appId: hook.appId,
  ownedBy: hook.ownedBy,
  status: "active",
  created: hook.created,
  actorId,
  data,
});

const scheduledId = (m: WebexMeetingRef) =>
  `${m.id}_${new Date(m.start).toISOString().replace(/[-:]/g, "").slice(0, 15)}Z`;

/** `meetings` `started` / `ended`: the meeting instance. */
export function meetingData(m: WebexMeetingRef, state: "inProgress" | "ended", at: Date) {
  return {
    id: m.instanceId,
    meetingSeriesId: m.id,
    scheduledMeetingId: scheduledId(m),
    meetingNumber: m.meetingNumber,
    title: m.title,
    agenda: "",
    meetingType: "meeting",
    state,
    timezone: "Asia/Tokyo",
    start: state === "inProgress" ? at.toISOString() : m.start,
    end: state === "ended" ? at.toISOString() : m.end,
    hostUserId: m.hostUserId,
    hostDisplayName: m.hostDisplayName,
    hostEmail: m.hostEmail,
    hostKey: "000000",
    siteUrl: "playground.webex.com",
    webLink: m.webLink,
    sipAddress: `${m.meetingNumber}@playground.webex.com`,
    dialInIpAddress: "127.0.0.1",
    enabledAutoRecordMeeting: false,
    allowAnyUserToBeCoHost: false,
    enabledJoinBeforeHost: false,
    enableConnectAudioBeforeHost: false,
    joinBeforeHostMinutes: 0,
    excludePassword: true,
    publicMeeting: false,
    reminderTime: 15,
    unlockedMeetingJoinSecurity: "allowJoinWithLobby",
    sessionTypeId: 3,
    enableAutomaticLock: true,
    automaticLockMinutes: 0,
    allowFirstUserToBeCoHost: false,
    allowAuthenticatedDevices: false,
    integrationTags: m.integrationTags,
    scheduledType: "meeting",
  };
}

/** `meetingParticipants` `joined` / `left`: one person in the meeting instance. */
export function participantData(
  m: WebexMeetingRef,
  person: { uuid: string; email: string; displayName: string; orgUuid: string; host: boolean },
  kind: "joined" | "left",
  joinedAt: Date,
  startedAt: Date,
  at: Date,
) {
  return {
    id: `${m.instanceId}_${person.uuid}`,
    orgId: person.orgUuid,
    host: person.host,
    coHost: false,
    spaceModerator: false,
    email: person.email,
    displayName: person.displayName,
    invitee: !person.host,
    muted: false,
    video: "on",
    state: kind === "joined" ? "joined" : "end",
    joinedTime: joinedAt.toISOString(),
    ...(kind === "left" ? { leftTime: at.toISOString() } : {}),
    meetingStartTime: startedAt.toISOString(),
    siteUrl: "playground.webex.com",
    meetingId: m.instanceId,
    hostEmail: m.hostEmail,
    devices: [
      {
        correlationId: `${person.uuid}-device`,
        deviceType: "webex_meeting_center_mac",
        audioType: "voip",
        joinedTime: joinedAt.toISOString(),
      },
    ],
  };
}

/** A recording as `recordings` `created` carries it and GET /recordings lists it. */
export function recordingData(m: WebexMeetingRef, id: string, since: Date, until: Date) {
  return {
    id,
    meetingId: m.instanceId,
    scheduledMeetingId: scheduledId(m),
    meetingSeriesId: m.id,
    topic: m.title,
    createTime: new Date(until.getTime() + 60_000).toISOString(),
    timeRecorded: since.toISOString(),
    siteUrl: "playground.webex.com",
    downloadUrl: `https://playground.webex.com/playground/lsr.php?RCID=${id}`,
    playbackUrl: `https://playground.webex.com/playground/ldr.php?RCID=${id}`,
    password: "********",
    format: "MP4",
    serviceType: "MeetingCenter",
    durationSeconds: Math.round((until.getTime() - since.getTime()) / 1000),
    sizeBytes: 1_000_000,
    shareToMe: false,
    integrationTags: m.integrationTags,
    status: "available",
  };
}
