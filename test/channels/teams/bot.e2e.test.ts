import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import type restify from "restify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../src/app.js";
import { systemClock } from "../../../src/clock.js";
import { memoryLogger } from "../../../src/logger.js";
import { loadPolicy } from "../../../src/policy/load.js";
import { Database } from "../../../src/store/db.js";
import { OutboxDispatcher } from "../../../src/store/outbox/dispatcher.js";
import { teamsDeliverer } from "../../../src/channels/teams/deliver.js";
import { GraphClient } from "../../../src/channels/teams/graph/client.js";
import { graphMeetingDeliverer } from "../../../src/channels/teams/graph/deliver.js";
import { ClientCredentialsToken } from "../../../src/channels/teams/graph/token.js";
import { graphFake } from "../../fakes/graph.js";
import { fixture, type HttpFake } from "../../fakes/http-fake.js";
import {
  teamsSettings,
  APP_ID,
  BOT_TOKEN,
  botFrameworkFake,
  channelToken,
  teamsActivity,
  type TokenOptions,
} from "../../fakes/botframework.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

type Fake = Awaited<ReturnType<typeof botFrameworkFake>>;

const TENANT = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";
const ORGANIZER_OID = "8e2f4a6c-1d3b-4f5a-9c7e-2b4d6f8a0c1e";
const APPROVER_OID = "3a5c7e9b-0d2f-4a6b-8c1e-5f7a9b3d2c4e";
const logger = memoryLogger();
let bf: Fake;
let db: Database;
let server: restify.Server;
let started: Awaited<ReturnType<typeof start>>;
let url = "";
let dir = "";
let counter = 0;

/** The whole app as `npm start` wires it; workers off so each test delivers the outbox itself. */
async function start(metadataUrl: string, timeoutMs = 1_500) {
  const policy = loadPolicy(join(dir, "city.yaml"));
  const whole = createApp({
    db,
    policy,
    logger,
    clock: systemClock,
    newId: () => `mtg-${String(++counter)}`,
    runWorkers: false,
    teams: teamsSettings(bf, { metadataUrl, authTimeoutMs: timeoutMs }),
  });
  const base = await whole.listen(0, "127.0.0.1");
  const adapter = whole.teams?.adapter;
  if (!adapter) throw new Error("the Teams channel was not wired");
  return { app: whole.server, adapter, governor: whole.governor, policy, url: base };
}

beforeAll(async () => {
  bf = await botFrameworkFake();
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-teams-"));
  // The city's own layer: Kawasaki's rules, and who decides external participation here.
  writeFileSync(
    join(dir, "city.yaml"),
    `id: city\nextends: kawasaki\ndirectory:\n  approvers:\n    external-participants: "aad:${APPROVER_OID}"\n`,
  );
  db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
  started = await start(bf.metadataUrl);
  ({ app: server, url } = started);
});
afterAll(async () => {
  server.close();
  await bf.fake.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

async function post(activity: Record<string, unknown>, token: string | undefined, base = url) {
  const res = await fetch(`${base}/api/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: token }),
    },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    text,
    json: text ? (JSON.parse(text) as Record<string, unknown>) : undefined,
  };
}

const bearer = (options?: TokenOptions) => `Bearer ${channelToken(bf.serviceUrl, options)}`;

const invoke = (verb: string, data: Record<string, unknown>, from?: Record<string, unknown>) =>
  teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl, {
    id: `f:${++counter}`,
    value: { action: { type: "Action.Execute", title: "x", verb, data }, trigger: "manual" },
    ...(from ? { from } : {}),
  });

type InvokeBody = {
  statusCode: number;
  type: string;
  value: {
    body: { type: string; text?: string; id?: string; choices?: { value: string }[] }[];
    actions: { verb: string; data?: Record<string, unknown> }[];
  };
};
const cardOf = (r: { json?: Record<string, unknown> }) => r.json as unknown as InvokeBody;
const textsOf = (r: { json?: Record<string, unknown> }) =>
  cardOf(r)
    .value.body.filter((e) => e.type === "TextBlock")
    .map((e) => e.text ?? "");

/** Submits a schedule card and returns the id of the drafted meeting (from the tier card). */
async function draftMeeting(date: string): Promise<string> {
  const scheduled = await post(
    invoke("schedule.submit", { title: "会議", date, time: "09:30", service: "webex" }),
    bearer(),
  );
  return requestIdOf(scheduled);
}

/** Schedule card → tier card → confirm, as the organizer; returns the meeting id. */
async function scheduleAndConfirm(
  inputs: Record<string, string>,
  tier: "I" | "II" | "III",
): Promise<string> {
  const scheduled = await post(invoke("schedule.submit", { time: "10:00", ...inputs }), bearer());
  const meetingId = requestIdOf(scheduled);
  await post(invoke("tier.submit", { requestId: meetingId, tier }), bearer());
  await post(invoke("meeting.confirm", { requestId: meetingId }), bearer());
  return meetingId;
}

const requestIdOf = (r: { json?: Record<string, unknown> }) =>
  (cardOf(r).value.actions[0] as unknown as { data: { requestId: string } }).data.requestId;

describe("Teams: scheduling through the bot, end to end over HTTP", () => {
  it("「予約」 in the personal chat gets the schedule card, posted to the connector with the bot's token", async () => {
    const res = await post(teamsActivity("message-personal.json", bf.serviceUrl), bearer());
    expect(res.status).toBe(200);
    const reply = bf.replies().at(-1);
    expect(reply?.path).toBe(
      `/connector/v3/conversations/${encodeURIComponent("a:14J6iUVpoxd0hAYanhaTcgyQAeGXkUYD1a1r0H6rJXAy6noP2lTcqkw-bebS_KCs42cfLwQvpI2sLt0o-w7cj_plTfeb2ESittcciFaAWB6_bRv0qqYbutghyOsHZ80AH")}/activities/1795479342123`,
    );
    expect(reply?.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    const attachment = (
      reply?.json as {
        attachments: { contentType: string; content: { body: { text?: string }[] } }[];
      }
    ).attachments[0];
    expect(attachment?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    expect(attachment?.content.body[0]?.text).toBe("Web会議の予約");
    const tokenCalls = bf.fake.calls.filter((c) => c.path.includes("/oauth2/v2.0/token"));
    expect(tokenCalls[0]?.body).toContain("grant_type=client_credentials");
    expect(tokenCalls[0]?.body).toContain("scope=https%3A%2F%2Fapi.botframework.com%2F.default");
  });

  it("schedule card → tier card → verdict card → approval requested; the store holds it all", async () => {
    const scheduled = await post(
      invoke("schedule.submit", {
        requestId: "r1",
        title: "第3回 審査会",
        date: "2026-12-01",
        time: "10:00",
        duration: "60",
        service: "teams",
        invitees: "ken.sato@city.example.lg.jp, visitor@example.com",
        external: "true",
        personalInfo: "false",
        recording: "false",
        departmentDevice: "false",
      }),
      bearer(),
    );
    expect(scheduled.status).toBe(200);
    expect(cardOf(scheduled).type).toBe("application/vnd.microsoft.card.adaptive");
    const tierChoice = cardOf(scheduled).value.body.find((e) => e.type === "Input.ChoiceSet");
    expect(tierChoice?.choices?.map((c) => c.value)).toEqual(["I", "II", "III", "unknown"]);
    const meetingId = requestIdOf(scheduled);

    const verdict = await post(
      invoke("tier.submit", { requestId: meetingId, tier: "I" }),
      bearer(),
    );
    const lines = textsOf(verdict);
    expect(lines[0]).toBe("この会議は開催できます。次の設定を行います。");
    // Sent as JSON text (a verdict's card body is kept as text): the same headers as any JSON.
    expect(verdict.headers.get("content-type")).toBe("application/json");
    expect(verdict.headers.get("content-length")).toBe(String(Buffer.byteLength(verdict.text)));
    const verbs = cardOf(verdict).value.actions.map((a) => [a.verb, a.data?.requestId]);
    expect(verbs).toEqual([
      ["meeting.confirm", meetingId],
      ["schedule.open", meetingId],
      ["meeting.cancel", meetingId],
    ]);
    expect(lines.join("\n")).toContain("〔KWS 3 ※3〕");
    expect(lines.join("\n")).toContain("〔KSS 第9章2(5)イ〕");

    const confirmed = await post(invoke("meeting.confirm", { requestId: meetingId }), bearer());
    expect(textsOf(confirmed)[0]).toContain("承認を依頼しました");

    const row = await db.kysely
      .selectFrom("meetings")
      .select(["state", "organizer_id"])
      .where("id", "=", meetingId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: "awaiting-approval", organizer_id: `aad:${ORGANIZER_OID}` });
    const actions = (
      await db.kysely
        .selectFrom("log_entries")
        .select("action")
        .where("tenant_id", "=", TENANT)
        .where("meeting_id", "=", meetingId)
        .orderBy("seq")
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual(["meeting.drafted", "tier.declared", "approval.requested"]);
  });

  it("a card answered by someone else is refused, changes nothing, and is logged", async () => {
    const meetingId = await draftMeeting("2026-12-02");
    const intruder = {
      id: "29:someone",
      name: "佐藤 健",
      aadObjectId: "5b7d9f1a-2c4e-4b6d-8f0a-1c3e5a7b9d2f",
    };
    const res = await post(
      invoke(
        "tier.submit",
        { requestId: meetingId, tier: "III", organizer: ORGANIZER_OID },
        intruder,
      ),
      bearer(),
    );
    expect(textsOf(res)[0]).toContain("主催者だけが回答できます");
    const row = await db.kysely
      .selectFrom("meetings")
      .select("state")
      .where("id", "=", meetingId)
      .executeTakeFirstOrThrow();
    expect(row.state).toBe("draft");
    const last = await db.kysely
      .selectFrom("log_entries")
      .select(["action", "actor", "payload"])
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({
      action: "action.rejected",
      actor: "aad:5b7d9f1a-2c4e-4b6d-8f0a-1c3e5a7b9d2f",
    });
  });

  it("another tenant's meeting id in the card data is refused, logged in the sender's tenant, and changes nothing", async () => {
    const meetingId = await draftMeeting("2026-12-04");
    const otherTenant = "0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    const foreign = invoke("tier.submit", { requestId: meetingId, tier: "III" });
    foreign.conversation = { ...(foreign.conversation as object), tenantId: otherTenant };
    foreign.channelData = { ...(foreign.channelData as object), tenant: { id: otherTenant } };
    const res = await post(foreign, bearer());
    expect(textsOf(res)[0]).toBe("この会議は見つかりません。何も変更していません。");
    const row = await db.kysely
      .selectFrom("meetings")
      .select(["tenant_id", "state"])
      .where("id", "=", meetingId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ tenant_id: TENANT, state: "draft" });
    const logged = await db.kysely
      .selectFrom("log_entries")
      .select(["action", "payload"])
      .where("tenant_id", "=", otherTenant)
      .execute();
    expect(logged.map((l) => [l.action, JSON.parse(l.payload) as unknown])).toEqual([
      ["action.rejected", { code: "MEETING_NOT_FOUND", input: "tier-answered" }],
    ]);
  });

  it("the same card answered twice is taken once", async () => {
    const meetingId = await draftMeeting("2026-12-03");
    const answer = invoke("tier.submit", { requestId: meetingId, tier: "II" });
    await post(answer, bearer());
    const again = await post(answer, bearer());
    expect(textsOf(again)[0]).toContain("受け付け済み");
  });

  it("bad card input is named, and nothing is written", async () => {
    const before = await db.kysely.selectFrom("log_entries").select("seq").execute();
    const res = await post(
      invoke("schedule.submit", { title: "", date: "tomorrow", time: "9", service: "skype" }),
      bearer(),
    );
    expect(textsOf(res).slice(0, 5)).toEqual([
      "会議名を入力してください。",
      "日付が正しくありません：tomorrow",
      "開始時刻は 00:00〜23:59 で入力してください：9",
      "会議サービスを一覧から選んでください。",
      "code: BAD_ARGUMENT",
    ]);
    // Values a client's date and time pickers would not send: named too, not a 500 or 2 March.
    const impossible = await post(
      invoke("schedule.submit", {
        title: "会議",
        date: "2027-02-30",
        time: "25:99",
        service: "teams",
      }),
      bearer(),
    );
    expect(impossible.status).toBe(200);
    expect(textsOf(impossible).slice(0, 2)).toEqual([
      "日付が正しくありません：2027-02-30",
      "開始時刻は 00:00〜23:59 で入力してください：25:99",
    ]);
    expect(await db.kysely.selectFrom("log_entries").select("seq").execute()).toHaveLength(
      before.length,
    );
  });
});

describe("Teams: messages that come later reach the organizer's personal chat", () => {
  it("an approval answered by the approver is delivered through the outbox as a proactive message", async () => {
    await post(
      teamsActivity("message-personal.json", bf.serviceUrl, { id: `m-${++counter}` }),
      bearer(),
    );
    const meetingId = await scheduleAndConfirm(
      {
        title: "外部委員会",
        date: "2026-12-05",
        time: "14:00",
        service: "webex",
        invitees: "guest@example.com",
        external: "true",
      },
      "II",
    );
    const approved = await started.governor.handle(
      {
        eventId: `approve-${meetingId}`,
        tenantId: TENANT,
        meetingId,
        actor: "aad:3a5c7e9b-0d2f-4a6b-8c1e-5f7a9b3d2c4e",
      },
      { type: "approval-answered", kind: "external-participants", decision: "approved" },
    );
    expect(approved).toMatchObject({ status: "done", meeting: { state: "scheduled" } });

    const before = bf.replies().length;
    const dispatcher = new OutboxDispatcher(
      db,
      teamsDeliverer(started.adapter, APP_ID, db, () => started.policy.policy),
      systemClock,
    );
    while ((await dispatcher.runOnce()) > 0) {
      // deliver everything due
    }
    const sent = bf
      .replies()
      .slice(before)
      .filter((c) => c.path.includes("/activities"));
    const conversation = encodeURIComponent(
      "a:14J6iUVpoxd0hAYanhaTcgyQAeGXkUYD1a1r0H6rJXAy6noP2lTcqkw-bebS_KCs42cfLwQvpI2sLt0o-w7cj_plTfeb2ESittcciFaAWB6_bRv0qqYbutghyOsHZ80AH",
    );
    const texts = sent.map((c) => {
      // botbuilder's continueConversation replies to its own continuation activity id.
      expect(c.path.startsWith(`/connector/v3/conversations/${conversation}/activities`)).toBe(
        true,
      );
      expect(c.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
      const body = (c.json as { attachments: { content: { body: { text?: string }[] } }[] })
        .attachments[0]?.content.body;
      return [body?.[0]?.text, body?.[1]?.text];
    });
    // The verdict and "approval requested" were the answers to the cards themselves: not sent twice.
    expect(texts).toEqual([["承認されました。会議を作成します。", "外部委員会"]]);
    const dead = (await dispatcher.deadLetters(TENANT)).map((d) => d.lastError);
    // The approver never wrote to the bot and does not have the app: creating their chat is
    // refused (403), so the card waits, visible; the platform call is another deliverer's.
    expect(dead).toEqual(expect.arrayContaining(["NO_CONVERSATION", "NO_DELIVERER: platform"]));
    const creates = bf.replies().filter((c) => c.path === "/connector/v3/conversations");
    expect(creates.at(-1)?.json).toMatchObject({
      isGroup: false,
      members: [{ id: APPROVER_OID }],
      tenantId: TENANT,
    });

    // Once the app is installed for them, requeueing delivers the card in a chat the bot opens.
    bf.install(APPROVER_OID);
    const waiting = (await dispatcher.deadLetters(TENANT)).find(
      (d) => d.lastError === "NO_CONVERSATION",
    );
    expect(await dispatcher.requeue(TENANT, waiting?.id ?? -1)).toBe(true);
    while ((await dispatcher.runOnce()) > 0) {
      // deliver
    }
    const card = bf
      .replies()
      .find((c) =>
        c.path.startsWith(
          `/connector/v3/conversations/${encodeURIComponent(`a:created-${APPROVER_OID}`)}/activities`,
        ),
      );
    expect(JSON.stringify(card?.json)).toContain("承認の依頼");
  });
});

describe("Teams: approvals go to the approver in the directory, who answers on a card", () => {
  const approver = { id: "29:approver", name: "情報管理責任者", aadObjectId: APPROVER_OID };
  const approverChat = {
    conversationType: "personal",
    tenantId: TENANT,
    id: "a:approver-personal-chat",
  };

  it("the approver's card arrives in their chat; the organizer cannot answer it; the approver's answer schedules the meeting", async () => {
    await post(
      teamsActivity("message-personal.json", bf.serviceUrl, {
        id: `m-${++counter}`,
        text: "ヘルプ",
        from: approver,
        conversation: approverChat,
      }),
      bearer(),
    );
    const meetingId = await scheduleAndConfirm(
      {
        title: "外部講師打合せ",
        date: "2026-12-09",
        time: "15:00",
        service: "teams",
        invitees: "lecturer@example.com",
        external: "true",
      },
      "II",
    );

    const before = bf.replies().length;
    const dispatcher = new OutboxDispatcher(
      db,
      teamsDeliverer(started.adapter, APP_ID, db, () => started.policy.policy),
      systemClock,
    );
    while ((await dispatcher.runOnce()) > 0) {
      // deliver
    }
    const toApprover = bf
      .replies()
      .slice(before)
      .find((c) => c.path.includes(encodeURIComponent("a:approver-personal-chat")));
    const card = (
      toApprover?.json as {
        attachments: {
          content: {
            body: { text?: string }[];
            actions: { verb: string; data: Record<string, unknown> }[];
          };
        }[];
      }
    ).attachments[0]?.content;
    expect(card?.body[0]?.text).toBe("承認の依頼");
    expect(card?.body.map((b) => b.text ?? "").join("\n")).toContain("〔KSS 第9章2(5)イ〕");
    expect(card?.actions.map((a) => a.data.decision)).toEqual(["approved", "refused"]);

    const data = { requestId: meetingId, kind: "external-participants", decision: "approved" };
    const self = await post(invoke("approval.answer", data), bearer());
    expect(textsOf(self)[0]).toContain("申請者は自分の申請を承認できません");
    const answered = await post(
      invoke("approval.answer", { ...data, reason: "講師のため" }, approver),
      bearer(),
    );
    expect(textsOf(answered)[0]).toContain("回答を記録しました");
    const row = await db.kysely
      .selectFrom("approvals")
      .select(["status", "decided_by"])
      .where("meeting_id", "=", meetingId)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ status: "approved", decided_by: `aad:${APPROVER_OID}` });
    const meeting = await db.kysely
      .selectFrom("meetings")
      .select("state")
      .where("id", "=", meetingId)
      .executeTakeFirstOrThrow();
    expect(meeting.state).toBe("scheduled");
  });
});

describe("Teams: the meeting is created on Graph with the tier's settings, read back, and reported", () => {
  const scheduleInternal = (date: string, tier: "I" | "II" | "III") =>
    scheduleAndConfirm(
      {
        title: `内部会議 ${date}`,
        date,
        service: "teams",
        invitees: "ken.sato@city.example.lg.jp",
      },
      tier,
    );

  async function deliverAll(graph: HttpFake) {
    const base = await graph.start();
    const client = new GraphClient(
      `${base}/v1.0`,
      new ClientCredentialsToken(
        {
          authorityUrl: base,
          tenantId: TENANT,
          clientId: APP_ID,
          clientSecret: "s3cret",
          scope: "https://graph.microsoft.com/.default",
        },
        systemClock,
      ),
    );
    const toGraph = graphMeetingDeliverer(() => client, started.governor, db);
    const toTeams = teamsDeliverer(started.adapter, APP_ID, db, () => started.policy.policy);
    const dispatcher = new OutboxDispatcher(
      db,
      (item) => (item.kind === "platform" ? toGraph(item) : toTeams(item)),
      systemClock,
    );
    while ((await dispatcher.runOnce()) > 0) {
      // deliver everything due, including what the platform result itself produced
    }
  }

  const cardTexts = (from: number) =>
    bf
      .replies()
      .slice(from)
      .map(
        (c) =>
          (
            c.json as { attachments: { content: { body: { text?: string }[] } }[] }
          ).attachments[0]?.content.body
            .map((b) => b.text ?? "")
            .join("\n") ?? "",
      );

  it("tier II: event created idempotently, PATCH carries the tier's settings, the organizer gets the join link and the notice", async () => {
    const meetingId = await scheduleInternal("2026-12-07", "II");
    const graph = graphFake();
    const before = bf.replies().length;
    try {
      await deliverAll(graph);
      const at = graph.calls.findIndex(
        (c) =>
          c.method === "POST" &&
          c.path.endsWith("/events") &&
          (c.json as { subject?: string }).subject === "内部会議 2026-12-07",
      );
      const create = graph.calls[at];
      expect(create?.path).toBe(`/v1.0/users/${ORGANIZER_OID}/events`);
      expect(create?.json).toMatchObject({
        isOnlineMeeting: true,
        transactionId: expect.stringMatching(/#\d+$/),
        attendees: [{ emailAddress: { address: "ken.sato@city.example.lg.jp" } }],
      });
      const patch = graph.calls.slice(at).find((c) => c.method === "PATCH");
      expect(patch?.json).toMatchObject({
        lobbyBypassSettings: { scope: "invited", isDialInBypassEnabled: false },
        allowedPresenters: "organizer",
        recordAutomatically: false,
        allowCopyingAndSharingMeetingContent: false,
      });
    } finally {
      await graph.stop();
    }
    const created = cardTexts(before).find((t) => t.startsWith("会議を作成しました"));
    expect(created).toContain("https://teams.microsoft.com/l/meetup-join/");
    expect(created).toContain("設定を読み返して確認しました。");
    expect(created).toContain("〔KWS 4(1)〕");
    const row = await db.kysely
      .selectFrom("log_entries")
      .select(["action", "actor"])
      .where("meeting_id", "=", meetingId)
      .where("action", "=", "settings.applied")
      .executeTakeFirst();
    expect(row).toEqual({ action: "settings.applied", actor: "system:graph" });
  });

  it("a setting that did not stick is reported to the organizer and logged (R-SET 6)", async () => {
    const meetingId = await scheduleInternal("2026-12-08", "I");
    const graph = graphFake();
    graph.on((c) =>
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
    const before = bf.replies().length;
    try {
      await deliverAll(graph);
    } finally {
      await graph.stop();
    }
    const created = cardTexts(before).find((t) => t.startsWith("会議を作成しました"));
    expect(created).toContain("次の設定が反映されていません");
    expect(created).toContain('lobbyBypassSettings.scope: "invited" → "everyone"');
    const mismatch = await db.kysely
      .selectFrom("log_entries")
      .select("payload")
      .where("meeting_id", "=", meetingId)
      .where("action", "=", "settings.mismatch")
      .executeTakeFirstOrThrow();
    expect((JSON.parse(mismatch.payload) as { fields: string[] }).fields).toEqual(
      expect.arrayContaining([
        "lobbyBypassSettings.scope",
        "lobbyBypassSettings.isDialInBypassEnabled",
      ]),
    );
  });
});

describe("Teams: every inbound request is authenticated at the edge", () => {
  const now = Math.floor(Date.now() / 1000);
  const cases: [string, () => string | undefined][] = [
    ["no token", () => undefined],
    ["garbage", () => "Bearer not-a-jwt"],
    ["wrong issuer", () => bearer({ claims: { iss: "https://evil.example.com" } })],
    ["unsigned (alg none)", () => bearer({ unsigned: true })],
    ["unknown key", () => bearer({ foreignKey: true })],
    ["unknown kid", () => bearer({ header: { kid: "other-kid" } })],
    ["wrong audience", () => bearer({ claims: { aud: "another-app" } })],
    [
      "wrong serviceurl claim",
      () => bearer({ claims: { serviceurl: "https://smba.trafficmanager.net/apac/" } }),
    ],
    ["expired", () => bearer({ claims: { exp: now - 1200, nbf: now - 4800, iat: now - 4800 } })],
  ];

  it.each(cases)(
    "%s → 401 with a stable code, no library text, nothing processed",
    async (_name, token) => {
      const repliesBefore = bf.replies().length;
      const logBefore = (await db.kysely.selectFrom("log_entries").select("seq").execute()).length;
      const res = await post(teamsActivity("message-personal.json", bf.serviceUrl), token());
      expect(res.status).toBe(401);
      expect(res.json).toEqual({ error: { code: "UNAUTHORIZED" } });
      expect(bf.replies().length).toBe(repliesBefore);
      expect((await db.kysely.selectFrom("log_entries").select("seq").execute()).length).toBe(
        logBefore,
      );
      expect(logger.lines.at(-1)).toMatchObject({ level: "warn", event: "teams.auth_refused" });
    },
  );

  it("unreachable key metadata → 503 without the error text", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const other = await start(`http://127.0.0.1:${port}/openid/.well-known/openidconfiguration`);
    try {
      const res = await post(
        teamsActivity("message-personal.json", bf.serviceUrl),
        bearer(),
        other.url,
      );
      expect(res.status).toBe(503);
      expect(res.json).toEqual({ error: { code: "UPSTREAM_UNAVAILABLE" } });
    } finally {
      other.app.close();
    }
  });

  it("a key server that never answers: the request still ends within the timeout, 503", async () => {
    const stalled: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => stalled.listen(0, "127.0.0.1", resolve));
    const port = (stalled.address() as AddressInfo).port;
    const other = await start(
      `http://127.0.0.1:${port}/openid/.well-known/openidconfiguration`,
      800,
    );
    try {
      const started = performance.now();
      const res = await post(
        teamsActivity("message-personal.json", bf.serviceUrl),
        bearer(),
        other.url,
      );
      expect(res.status).toBe(503);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      other.app.close();
      stalled.closeAllConnections();
      stalled.close();
    }
  });
});
