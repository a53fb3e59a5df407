import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { changeNotification } from "../../src/local/graph-subscriptions.js";
import {
  callRecording,
  meetingInfo,
  meetingStartEnd,
  participantEvent,
  teamsJoinUrl,
  teamsMeetingId,
} from "../../src/local/teams-events.js";
import {
  envelope,
  meetingData,
  participantData,
  recordingData,
} from "../../src/local/webex-events.js";

/**
 * What the playground's meeting clock sends has the shape of the documented payloads: every field
 * of the fixture (test/fixtures, copied from the platforms' docs) is there with the same type, no
 * field is added, and the fields that name the event carry the fixture's value.
 */

const fixture = (path: string) =>
  JSON.parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), "utf8")) as unknown;

/** Every leaf as `path: type`, arrays by their items. */
function shape(value: unknown, path = ""): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => shape(v, `${path}[]`));
  if (value !== null && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => shape(v, path ? `${path}.${k}` : k));
  return [`${path}: ${value === null ? "null" : typeof value}`];
}
const sameShape = (ours: unknown, theirs: unknown) => {
  expect([...new Set(shape(ours))].sort()).toEqual([...new Set(shape(theirs))].sort());
};

const thread = "19:meeting_OWIyZTdmNDEtM2M2YS00ZDhlLWExZjUtNmMwYjJkOWU4YTM3@thread.v2";
const tenantId = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";
const organizerOid = "8e2f4a6c-1d3b-4f5a-9c7e-2b4d6f8a0c1e";
const ref = {
  tenantId,
  serviceUrl: `https://smba.trafficmanager.net/apac/${tenantId}/`,
  botId: "28:f3c5e8a1-2b4d-4c6e-9f10-7a8b9c0d1e2f",
  threadId: thread,
  title: "第3回 情報公開・個人情報保護審査会",
  joinUrl: teamsJoinUrl(thread, tenantId, organizerOid),
};
const organizer = {
  id: "29:1Bj3eW3EtM2O1OFeTSX5Tp3o8ihMoyQQxbiNMAx6uZJKpjwxA48wNKcsxhpcYN8uyo3B-OIgpn97cx3uDt-Io7Q",
  name: "山田 花子",
  aadObjectId: organizerOid,
};
const attendee = {
  id: "29:1Aj_RC-oSYtz2KKTCoOcCe2dbQ-F3NFYJkudpFa3jwuNivEATqcP58uk_Vwap1BuWM7ZpAUysxkh3pUfIG2DhiQ",
  name: "佐藤 健",
  aadObjectId: "3a5c7e9b-0d2f-4a6b-8c1e-5f7a9b3d2c4e",
};
const at = new Date("2026-12-01T01:00:12.512Z");

describe("the meeting clock's Teams activities against the documented payloads", () => {
  it.each([
    ["start", "teams/meeting-start.json"],
    ["end", "teams/meeting-end.json"],
  ] as const)("meeting %s has the fields of %s", (kind, file) => {
    const theirs = fixture(file) as Record<string, unknown>;
    const ours = meetingStartEnd(kind, ref, organizer, "1796086812512", at);
    sameShape(ours, theirs);
    expect(ours.name).toBe(theirs.name);
    expect(ours.channelData.meeting.id).toBe((theirs.value as { Id: string }).Id);
    expect(ours.value.Id).toBe((theirs.value as { Id: string }).Id);
    expect(ours.conversation).toEqual(theirs.conversation);
    expect(ours.localTimestamp).toBe("2026-12-01T10:00:12.512+09:00");
  });

  it.each([
    ["join", "teams/meeting-participant-join.json"],
    ["leave", "teams/meeting-participant-leave.json"],
  ] as const)("participant %s has the fields of %s", (kind, file) => {
    const theirs = fixture(file) as Record<string, unknown>;
    const ours = participantEvent(kind, ref, attendee, "Attendee", "1796086897845", at);
    sameShape(ours, theirs);
    expect(ours.name).toBe(theirs.name);
    expect(ours.value).toEqual(theirs.value);
    expect(ours.channelData).toEqual(theirs.channelData);
  });

  it("the Teams meeting id is base64 of 0#<thread>#0, as in the fixtures", () => {
    const theirs = fixture("teams/meeting-start.json") as {
      channelData: { meeting: { id: string } };
    };
    expect(teamsMeetingId(thread)).toBe(theirs.channelData.meeting.id);
  });

  it("the meeting-details answer has the fields of get-meeting-info-response.json", () => {
    const theirs = fixture("teams/get-meeting-info-response.json") as {
      details: { msGraphResourceId: string };
    };
    const ours = meetingInfo(
      {
        ...ref,
        graphId: theirs.details.msGraphResourceId,
        startsAt: "2026-12-01T01:00:00Z",
        endsAt: "2026-12-01T02:00:00Z",
      },
      organizer,
    );
    sameShape(ours, theirs);
    expect(ours.details.id).toBe(teamsMeetingId(thread));
  });

  it("Graph's change notification has the fields of change-notification.json", () => {
    const theirs = fixture("graph/change-notification.json") as {
      value: Record<string, unknown>[];
    };
    const ours = changeNotification(
      { id: "sub", expirationDateTime: "2026-11-30T23:00:00+00:00", clientState: "kg-x" },
      { odataId: `Users/${organizerOid}/Events/EV`, id: "EV", type: "#Microsoft.Graph.Event" },
      "created",
      tenantId,
    );
    sameShape({ value: [ours] }, theirs);
  });

  it("a recording appears in Graph as recordings-list-response.json lists one", () => {
    const theirs = fixture("graph/recordings-list-response.json") as {
      value: { meetingId: string }[];
    };
    const ours = callRecording(
      tenantId,
      { graphId: theirs.value[0]?.meetingId ?? "", organizerOid },
      at,
      new Date(at.getTime() + 3_600_000),
    );
    sameShape(ours, theirs.value[0]);
  });
});

describe("the meeting clock's Webex webhooks against the documented payloads", () => {
  const series = "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c";
  const m = {
    id: series,
    instanceId: `${series}_I_211839470285516352`,
    title: "第3回 情報公開・個人情報保護審査会",
    meetingNumber: "26581937405",
    hostEmail: "hanako.yamada@city.example.lg.jp",
    hostUserId: "host",
    hostDisplayName: "山田 花子",
    start: "2026-12-01T10:00:00+09:00",
    end: "2026-12-01T11:00:00+09:00",
    webLink: "https://city-example.webex.com/city-example/j.php?MTID=x",
    integrationTags: ["4b1f8e0c9d2a47e6b3c5d7f9a1e2c4b6"],
  };
  type Hook = { id: string; data: Record<string, unknown> } & Record<string, unknown>;
  const hookOf = (theirs: Hook) => ({
    id: theirs.id,
    name: String(theirs.name),
    targetUrl: String(theirs.targetUrl),
    orgId: String(theirs.orgId),
    createdBy: String(theirs.createdBy),
    appId: String(theirs.appId),
    ownedBy: theirs.ownedBy as "org",
    created: String(theirs.created),
  });

  it("meetings started has the envelope and data of webhook-meetings-started.json", () => {
    const theirs = fixture("webex/webhook-meetings-started.json") as Hook;
    const data = meetingData(m, "inProgress", at);
    const ours = envelope(hookOf(theirs), "meetings", "started", String(theirs.actorId), data);
    sameShape(ours, theirs);
    expect(data.id).toBe(theirs.data.id);
    expect(data.meetingSeriesId).toBe(theirs.data.meetingSeriesId);
    expect(data.scheduledMeetingId).toBe(theirs.data.scheduledMeetingId);
  });

  it("meetingParticipants joined has the data of webhook-meeting-participants-joined.json", () => {
    const theirs = fixture("webex/webhook-meeting-participants-joined.json") as Hook;
    const person = {
      uuid: "8d2f4a6c-0e1b-4c3d-9e5f-7a9b1c3d5e70",
      email: "ken.sato@city.example.lg.jp",
      displayName: "佐藤 健",
      orgUuid: "2b7e4c1a-9d3f-4e85-b6a0-7c1d9e3f5a28",
      host: false,
    };
    const data = participantData(m, person, "joined", at, at, at);
    sameShape(envelope(hookOf(theirs), "meetingParticipants", "joined", "a", data), theirs);
    expect(data.id).toBe(theirs.data.id);
    expect(data.meetingId).toBe(theirs.data.meetingId);
    const left = participantData(m, person, "left", at, at, at);
    expect(left.leftTime).toBe(at.toISOString());
  });

  it("recordings created has the data of webhook-recordings-created.json and the list's item", () => {
    const theirs = fixture("webex/webhook-recordings-created.json") as Hook;
    const data = recordingData(m, "7d4e2a9c1b3f4e6a8c0d2e4f6a8b0c1d", at, at);
    sameShape(envelope(hookOf(theirs), "recordings", "created", "a", data), theirs);
    const listed = fixture("webex/recordings-list-response.json") as { items: unknown[] };
    sameShape(data, listed.items[0]);
    expect(data.meetingSeriesId).toBe(theirs.data.meetingSeriesId);
  });
});
