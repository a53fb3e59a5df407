import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GraphClient } from "../../../../src/channels/teams/graph/client.js";
import {
  compareReadBack,
  toOnlineMeetingPatch,
} from "../../../../src/channels/teams/graph/settings-map.js";
import { ClientCredentialsToken } from "../../../../src/channels/teams/graph/token.js";
import { fixture, type HttpFake } from "../../../fakes/http-fake.js";
import { TENANT, graphFake } from "../../../fakes/graph.js";
import { preset, testClock, verdictFor } from "../../../_util.js";

const ORGANIZER = "8e2f4a6c-1d3b-4f5a-9c7e-2b4d6f8a0c1e";
let fake: HttpFake;
let graph: GraphClient;
const slept: number[] = [];

beforeEach(async () => {
  fake = graphFake();
  const base = await fake.start();
  const token = new ClientCredentialsToken(
    {
      authorityUrl: base,
      tenantId: TENANT,
      clientId: "app",
      clientSecret: "s3cret",
      scope: "https://graph.microsoft.com/.default",
    },
    testClock(),
  );
  slept.length = 0;
  graph = new GraphClient(
    `${base}/v1.0`,
    token,
    { attempts: 3, baseDelayMs: 100, maxDelayMs: 20_000, timeoutMs: 2_000 },
    (ms) => {
      slept.push(ms);
      return Promise.resolve();
    },
  );
});
afterEach(() => fake.stop());

describe("Graph client against a fake speaking the documented protocol", () => {
  it("creates a calendar-backed meeting, finds its onlineMeeting by JoinWebUrl, patches and reads back", async () => {
    const event = await graph.createEvent(ORGANIZER, {
      subject: "第3回 情報公開・個人情報保護審査会",
      bodyHtml: "<p>機密性区分: I</p>",
      start: "2026-12-01T10:00:00",
      end: "2026-12-01T11:00:00",
      timeZone: "Tokyo Standard Time",
      attendees: [{ address: "ken.sato@city.example.lg.jp", name: "佐藤 健" }],
    });
    expect(event.onlineMeeting?.joinUrl).toMatch(
      /^https:\/\/teams\.microsoft\.com\/l\/meetup-join\//,
    );
    const meeting = await graph.findOnlineMeetingByJoinUrl(
      ORGANIZER,
      event.onlineMeeting?.joinUrl ?? "",
    );
    expect(meeting?.id).toMatch(/^MSo4/);

    const verdict = verdictFor(preset("kawasaki"), {
      tier: "I",
      service: "teams",
      participants: 5,
    });
    const patch = toOnlineMeetingPatch(verdict.settings);
    await graph.patchOnlineMeeting(ORGANIZER, meeting?.id ?? "", patch);
    const back = await graph.getOnlineMeeting(ORGANIZER, meeting?.id ?? "");
    expect(compareReadBack(patch, back)).toEqual([]);

    const [tokenCall, create, list, patchCall] = fake.calls;
    expect(tokenCall?.body).toContain("client_secret=s3cret");
    expect(create?.headers.prefer).toBe('outlook.timezone="Tokyo Standard Time"');
    expect(create?.json).toMatchObject({
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
    });
    const filter = new URL(list?.path ?? "", "http://x").searchParams.get("$filter");
    expect(filter).toBe(`JoinWebUrl eq '${event.onlineMeeting?.joinUrl ?? ""}'`);
    expect(patchCall?.headers.prefer).toBe("include-unknown-enum-members");
    expect(patchCall?.json).toEqual({
      lobbyBypassSettings: { scope: "invited", isDialInBypassEnabled: false },
      allowedLobbyAdmitters: "organizerAndCoOrganizers",
      allowedPresenters: "organizer",
      allowRecording: true,
      allowTranscription: true,
      recordAutomatically: false,
      allowMeetingChat: "limited",
      allowCopyingAndSharingMeetingContent: false,
    });
    // One token for all calls: it is cached.
    expect(fake.calls.filter((c) => c.path.includes("oauth2")).length).toBe(1);
  });

  it("a setting that did not stick is reported, not assumed (R-SET 6)", async () => {
    fake.on((c) =>
      c.method === "GET" && /onlineMeetings\/[^/?]+$/.test(c.path)
        ? {
            status: 200,
            body: {
              ...fixture<object>("graph/online-meeting-get-response.json"),
              lobbyBypassSettings: { scope: "everyone", isDialInBypassEnabled: true },
            },
          }
        : undefined,
    );
    const verdict = verdictFor(preset("kawasaki"), {
      tier: "II",
      service: "teams",
      participants: 5,
    });
    const back = await graph.getOnlineMeeting(ORGANIZER, "MSo4");
    expect(
      compareReadBack(toOnlineMeetingPatch(verdict.settings), back).map((m) => m.field),
    ).toEqual(
      expect.arrayContaining([
        "lobbyBypassSettings.scope",
        "lobbyBypassSettings.isDialInBypassEnabled",
      ]),
    );
  });

  it("honours Retry-After on 429 (fractional seconds) and then succeeds", async () => {
    let throttled = 2;
    fake.on((c) =>
      c.path.endsWith("/recordings") && throttled-- > 0
        ? {
            status: 429,
            body: fixture("graph/error-429.json"),
            headers: { "retry-after": throttled === 1 ? "10" : "2.128" },
          }
        : undefined,
    );
    const recordings = await graph.listRecordings(ORGANIZER, "MSo4");
    expect(recordings).toHaveLength(1);
    expect(slept).toEqual([10_000, 2_128]);
  });

  it("falls back to exponential backoff without Retry-After, and gives up with PLATFORM_UNAVAILABLE", async () => {
    fake.on((c) => (c.path.endsWith("/transcripts") ? { status: 503 } : undefined));
    await expect(graph.listTranscripts(ORGANIZER, "MSo4")).rejects.toMatchObject({
      code: "PLATFORM_UNAVAILABLE",
    });
    expect(slept).toEqual([100, 200]);
  });

  it("a 403 is PLATFORM_REJECTED at once, without retry and without the response body", async () => {
    fake.on((c) =>
      c.path.endsWith("/transcripts")
        ? { status: 403, body: { error: { message: "secret-ish detail" } } }
        : undefined,
    );
    const error = await graph.listTranscripts(ORGANIZER, "MSo4").catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "PLATFORM_REJECTED", status: 403 });
    expect((error as Error).message).not.toContain("secret-ish");
    expect(slept).toEqual([]);
  });

  it("an answer of the wrong shape is refused by the schema", async () => {
    fake.on((c) =>
      c.path.endsWith("/recordings") ? { status: 200, body: { value: [{ nope: 1 }] } } : undefined,
    );
    await expect(graph.listRecordings(ORGANIZER, "MSo4")).rejects.toMatchObject({
      code: "PLATFORM_UNAVAILABLE",
    });
  });
});
