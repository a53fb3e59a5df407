import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  callRecording,
  meetingInfo,
  meetingStartEnd,
  participantEvent,
  teamsJoinUrl,
  teamsMeetingId,
} from "../../src/local/teams-events.js";

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
