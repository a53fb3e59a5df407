import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../../src/app.js";
import type { Clock } from "../../../src/clock.js";
import { memoryLogger } from "../../../src/logger.js";
import { loadPolicy } from "../../../src/policy/load.js";
import { Database } from "../../../src/store/db.js";
import { OutboxDispatcher } from "../../../src/store/outbox/dispatcher.js";
import { readMeeting } from "../../../src/store/repos/meetings.js";
import { deviceLogbook, upsertDevice } from "../../../src/store/repos/devices.js";
import { runCli } from "../../../src/cli/main.js";
import { TimerWorker } from "../../../src/store/timers/timers.js";
import {
  teamsSettings,
  botFrameworkFake,
  postActivity,
  teamsActivity,
} from "../../fakes/botframework.js";
import { graphFake, TOKEN } from "../../fakes/graph.js";
import { fixture, type HttpFake, type RecordedCall } from "../../fakes/http-fake.js";

/**
 * Teams part 2 end to end: the real app over HTTP, driven by Teams-shaped meeting events and card
 * invokes, against the fake Bot Connector (replies, v1/meetings, members) and the fake Graph.
 * Delivery and timers run through the app's own deliverer and timer handler with an injected
 * clock, so "an hour later" is a clock step, not a sleep.
 */

const TENANT = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";
const APPROVER_OID = "9b1d3f5a-7c9e-4b2d-8f0a-6c4e2a8d0b1f";
const SATO = {
  id: "29:1Aj_RC-oSYtz2KKTCoOcCe2dbQ-F3NFYJkudpFa3jwuNivEATqcP58uk_Vwap1BuWM7ZpAUysxkh3pUfIG2DhiQ",
  name: "佐藤 健",
  aadObjectId: "3a5c7e9b-0d2f-4a6b-8c1e-5f7a9b3d2c4e",
};
const STRANGER = {
  id: "29:1Zz_stranger",
  name: "見知らぬ人",
  aadObjectId: "0f0e0d0c-0b0a-4909-8807-060504030201",
};
const SUPERVISOR = {
  id: "29:1Sv_supervisor",
  name: "課長",
  aadObjectId: "5e7a9c1b-3d5f-4a7b-9c1d-2e4f6a8b0c2d",
};
const MEETING_CHAT = "19:meeting_OWIyZTdmNDEtM2M2YS00ZDhlLWExZjUtNmMwYjJkOWU4YTM3@thread.v2";

type BotFramework = Awaited<ReturnType<typeof botFrameworkFake>>;
let bf: BotFramework;
let graph: HttpFake;
let graphBase = "";
let app: App;
let db: Database;
let url = "";
let dir = "";
let offsetMs = 0;
let n = 0;
const logger = memoryLogger();
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };
let outbox: OutboxDispatcher;
let timers: TimerWorker;
let firstMeetingId = "";

/** Lets the app deliver and fire whatever is due now, as its workers would. */
async function settle() {
  for (let i = 0; i < 30; i++) {
    const fired = await timers.runOnce();
    const sent = await outbox.runOnce();
    if (fired + sent === 0) return;
  }
  throw new Error("work kept coming");
}

beforeAll(async () => {
  bf = await botFrameworkFake();
  const members: Record<string, Record<string, unknown>> = {
    [SATO.id]: {
      ...SATO,
      email: "ken.sato@city.example.lg.jp",
      userPrincipalName: "ken.sato@city.example.lg.jp",
    },
    [STRANGER.id]: { ...STRANGER, email: "someone@elsewhere.example" },
  };
  bf.fake
    .on((c) =>
      c.method === "POST" && c.path === `/login/${TENANT}/oauth2/v2.0/token`
        ? { status: 200, body: fixture("graph/token-response.json") }
        : undefined,
    )
    .on((c) => {
      if (c.method !== "GET" || !c.path.startsWith("/connector/v1/meetings/")) return undefined;
      return { status: 200, body: fixture("teams/get-meeting-info-response.json") };
    })
    .on((c) => {
      const m = /^\/connector\/v3\/conversations\/[^/]+\/members\/([^/?]+)$/.exec(c.path);
      if (c.method !== "GET" || !m) return undefined;
      const member = members[decodeURIComponent(m[1] ?? "")];
      return member
        ? { status: 200, body: member }
        : { status: 404, body: { error: { code: "MemberNotFound" } } };
    });
  graph = graphFake();
  graphBase = await graph.start();
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-meeting-"));
  writeFileSync(
    join(dir, "city.yaml"),
    [
      "id: city",
      "extends: kawasaki",
      "recording:",
      "  consentMode:",
      "    value: all-participants",
      "    cite: MWG 5(2)7",
      '    text: { ja: "録画には参加者全員の同意が必要です。", en: "Recording needs every participant\'s consent." }',
      "directory:",
      `  incidentContacts: ["aad:${SUPERVISOR.aadObjectId}"]`,
      "  approvers:",
      `    tier-decision: "aad:${APPROVER_OID}"`,
      "",
    ].join("\n"),
  );
  db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
  app = createApp({
    db,
    policy: loadPolicy(join(dir, "city.yaml")),
    logger,
    clock,
    runWorkers: false,
    newId: () => `mtg-${String(++n)}`,
    teams: teamsSettings(bf, { graphBaseUrl: `${graphBase}/v1.0` }),
  });
  url = await app.listen(0, "127.0.0.1");
  outbox = new OutboxDispatcher(db, app.deliver, clock);
  timers = new TimerWorker(db, "test-worker", clock, app.fireTimer);
});

afterAll(async () => {
  await app.stop();
  await bf.fake.stop();
  await graph.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (activity: Record<string, unknown>) => postActivity(url, bf.serviceUrl, activity);

const invoke = (verb: string, data: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
  teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl, {
    id: `f:${String(++n)}`,
    value: { action: { type: "Action.Execute", title: "x", verb, data }, trigger: "manual" },
    ...extra,
  });

/** A meeting event exactly as Teams sends it, with a fresh activity id. */
const meetingEvent = (file: string, patch: Record<string, unknown> = {}) =>
  teamsActivity(file, bf.serviceUrl, { id: `ev-${String(++n)}`, ...patch });

const joinOf = (user: typeof SATO) =>
  meetingEvent("meeting-participant-join.json", {
    from: { id: user.id, aadObjectId: user.aadObjectId },
    value: {
      members: [
        { user: { ...user, tenantId: TENANT }, meeting: { inMeeting: true, role: "Attendee" } },
      ],
    },
  });

type Card = {
  body: { text?: string }[];
  refresh?: { userIds: string[] };
  actions?: { data: Record<string, unknown> }[];
};
const cardOf = (c: RecordedCall) =>
  (c.json as { attachments?: { content: Card }[] } | undefined)?.attachments?.[0]?.content;
const textOf = (card: Card | undefined) => card?.body.map((b) => b.text ?? "").join("\n") ?? "";
const toChat = (c: RecordedCall) => c.path.includes(encodeURIComponent(MEETING_CHAT));
const toOrganizer = (c: RecordedCall) => c.path.includes("a%3A14J6iUVpoxd0hAYanhaTcgyQAeGXkU");
const repliesSince = (from: number) =>
  bf
    .replies()
    .slice(from)
    .filter((c) => c.method === "POST");
const logActions = async (meetingId: string) =>
  (
    await db.kysely
      .selectFrom("log_entries")
      .select("action")
      .where("meeting_id", "=", meetingId)
      .orderBy("seq")
      .execute()
  ).map((r) => r.action);

/** Japan date and time of a moment, as the schedule card takes them. */
const jst = (at: Date) => {
  const iso = new Date(at.getTime() + 9 * 3_600_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
};

async function schedule(
  title: string,
  startsInMs: number,
  extra: Record<string, string> = {},
): Promise<string> {
  const card = await post(
    invoke("schedule.submit", {
      title,
      ...jst(new Date(clock.now().getTime() + startsInMs)),
      duration: "60",
      service: "teams",
      invitees: "ken.sato@city.example.lg.jp, yuki.tanaka@city.example.lg.jp",
      recording: "true",
      ...extra,
    }),
  );
  const meetingId = (card.json as { value: { actions: { data: { requestId: string } }[] } }).value
    .actions[0]?.data.requestId;
  if (!meetingId) throw new Error("no tier card");
  await post(invoke("tier.submit", { requestId: meetingId, tier: "II" }));
  await post(invoke("meeting.confirm", { requestId: meetingId }));
  await settle();
  return meetingId;
}

describe("Teams part 2: in the meeting and after it (R-ADMIT, R-REC, R-POST)", () => {
  it("at the start, settings that drifted are put back and the organizer is told; the tier notice and guidance go to the meeting chat", async () => {
    await post(
      teamsActivity("message-personal.json", bf.serviceUrl, { id: "m-hello", text: "ヘルプ" }),
    );
    firstMeetingId = await schedule("第3回 情報公開・個人情報保護審査会", 86_400_000);
    expect((await readMeeting(db.kysely, TENANT, firstMeetingId))?.platformMeeting).toBeDefined();
    // Someone opens the meeting options in Teams and lets everyone skip the lobby.
    const online =
      fixture<{ value: { id: string }[] }>("graph/online-meeting-list-by-joinurl-response.json")
        .value[0]?.id ?? "";
    const drifted = await fetch(`${graphBase}/v1.0/users/x/onlineMeetings/${online}`, {
      method: "PATCH",
      headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
      body: JSON.stringify({
        lobbyBypassSettings: { scope: "everyone", isDialInBypassEnabled: true },
      }),
    });
    expect(drifted.status).toBe(200);
    const patchesBefore = graph.calls.filter((c) => c.method === "PATCH").length;
    const replies = bf.replies().length;

    expect((await post(meetingEvent("meeting-start.json"))).status).toBe(200);
    await settle();

    const patches = graph.calls.filter(
      (c) => c.method === "PATCH" && c.path.includes("/users/8e2f"),
    );
    expect(graph.calls.filter((c) => c.method === "PATCH").length).toBe(patchesBefore + 1);
    expect(patches.at(-1)?.json).toMatchObject({
      lobbyBypassSettings: { scope: "invited", isDialInBypassEnabled: false },
    });
    const sent = repliesSince(replies);
    const drift = sent
      .filter(toOrganizer)
      .map((c) => textOf(cardOf(c)))
      .find((t) => t.includes("区分の設定に戻しました"));
    expect(drift).toContain("lobbyBypassSettings");
    expect(await logActions(firstMeetingId)).toEqual(
      expect.arrayContaining(["meeting.started", "settings.verified", "settings.drift"]),
    );
    const notice = sent
      .filter(toChat)
      .map((c) => textOf(cardOf(c)))
      .find((t) => t.includes("機密性区分: II"));
    expect(notice).toContain("〔KWS 4(1)〕");
    expect(notice).toContain("〔KWS 5(1)〕");
    const rollCall = sent
      .filter(toOrganizer)
      .map((c) => textOf(cardOf(c)))
      .find((t) => t.includes("出席確認"));
    expect(rollCall).toContain("招待者 2 人中 0 人が参加中");
    // The same start again (Teams resends): nothing new.
    const again = bf.replies().length;
    await post(meetingEvent("meeting-start.json"));
    await settle();
    expect(bf.replies().length).toBe(again);
  });

  it("a late joiner gets a consent card addressed to them; someone not invited is flagged to the organizer", async () => {
    const replies = bf.replies().length;
    expect((await post(joinOf(SATO))).status).toBe(200);
    await settle();
    const consent = repliesSince(replies)
      .filter(toChat)
      .map(cardOf)
      .find((c) => textOf(c).includes("同意確認"));
    expect(consent?.refresh?.userIds).toEqual([SATO.id]);
    expect(textOf(consent)).toContain("〔MWG 5(2)7〕");
    const meeting = await readMeeting(db.kysely, TENANT, firstMeetingId);
    expect(meeting?.participants).toEqual([
      expect.objectContaining({
        id: `aad:${SATO.aadObjectId}`,
        invited: true,
        email: "ken.sato@city.example.lg.jp",
      }),
    ]);

    const before = bf.replies().length;
    await post(joinOf(STRANGER));
    await settle();
    const sent = repliesSince(before);
    expect(
      sent
        .filter(toOrganizer)
        .map((c) => textOf(cardOf(c)))
        .join("\n"),
    ).toContain("招待されていない人が参加しました: 見知らぬ人");
    expect(
      sent
        .filter(toChat)
        .map(cardOf)
        .find((c) => textOf(c).includes("同意確認"))?.refresh?.userIds,
    ).toEqual([STRANGER.id]);
  });

  it("the person's own view comes from the card refresh; a refusal under all-participants alerts the organizer at once", async () => {
    const view = await post(
      teamsActivity("invoke-adaptive-card-refresh.json", bf.serviceUrl, {
        id: `f:${String(++n)}`,
        value: {
          action: {
            type: "Action.Execute",
            verb: "consent.view",
            data: { requestId: firstMeetingId },
          },
          trigger: "automatic",
        },
      }),
    );
    expect(view.status).toBe(200);
    const replies = bf.replies().length;
    const refused = await post(
      invoke(
        "consent.answer",
        { requestId: firstMeetingId, answer: "refuse", cardVersion: 1 },
        {
          from: SATO,
          conversation: {
            isGroup: true,
            conversationType: "groupChat",
            tenantId: TENANT,
            id: MEETING_CHAT,
          },
        },
      ),
    );
    expect(textOf((refused.json as { value: Card }).value)).toContain("あなたの回答: 同意しない");
    await settle();
    const alert = repliesSince(replies)
      .filter(toOrganizer)
      .map((c) => textOf(cardOf(c)))
      .join("\n");
    expect(alert).toContain("佐藤 健 さんが録画に同意しませんでした。録画を開始しないでください。");
    expect(alert).toContain("〔MWG 5(2)7〕");
    const answers = (await readMeeting(db.kysely, TENANT, firstMeetingId))?.consent?.answers;
    // Bound to the authenticated sender, with the card version shown.
    expect(answers).toEqual([
      expect.objectContaining({
        personId: `aad:${SATO.aadObjectId}`,
        answer: "refuse",
        cardVersion: 1,
      }),
    ]);
  });

  it("who has not answered by the deadline is told to the organizer (all-participants)", async () => {
    const replies = bf.replies().length;
    offsetMs += 6 * 60_000;
    await settle();
    const missing = repliesSince(replies)
      .filter(toOrganizer)
      .map((c) => textOf(cardOf(c)))
      .join("\n");
    expect(missing).toContain("録画の同意に 1 人が回答していません（見知らぬ人）");
  });

  it("meetingEnd delivered twice → one cleanup flow; recordings Graph still lists keep the item open", async () => {
    await post(
      meetingEvent("meeting-participant-leave.json", {
        value: {
          members: [
            {
              user: { ...SATO, tenantId: TENANT },
              meeting: { inMeeting: false, role: "Attendee" },
            },
          ],
        },
      }),
    );
    const replies = bf.replies().length;
    await post(meetingEvent("meeting-end.json"));
    await post(meetingEvent("meeting-end.json"));
    await settle();
    const cleanupCards = repliesSince(replies)
      .filter(toOrganizer)
      .map((c) => textOf(cardOf(c)))
      .filter((t) => t.includes("会議が終わりました"));
    expect(cleanupCards).toHaveLength(1);
    expect(cleanupCards[0]).toContain("Teams にまだ録画 1 件・文字起こし 1 件が残っています");
    const actions = await logActions(firstMeetingId);
    expect(actions.filter((a) => a === "cleanup.opened")).toHaveLength(1);
    expect(actions.filter((a) => a === "meeting.ended")).toHaveLength(1);
    const sato = (await readMeeting(db.kysely, TENANT, firstMeetingId))?.participants?.find(
      (p) => p.name === "佐藤 健",
    );
    expect(sato?.leftAt).toBeDefined();

    const stillThere = await post(
      invoke("cleanup.confirm", { requestId: firstMeetingId, itemId: "cloud-data" }),
    );
    expect(textOf((stillThere.json as { value: Card }).value)).toContain(
      "Teams にはまだ録画 1 件・文字起こし 1 件が残っています",
    );
    expect((await readMeeting(db.kysely, TENANT, firstMeetingId))?.cleanup).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "cloud-data", done: false })]),
    );
    // The organizer deletes them in Teams: Graph lists nothing now, and the item can be closed.
    graph.on((c) =>
      c.method === "GET" && /\/(recordings|transcripts)$/.test(c.path)
        ? { status: 200, body: { value: [] } }
        : undefined,
    );
    await post(invoke("cleanup.confirm", { requestId: firstMeetingId, itemId: "cloud-data" }));
    const after = await readMeeting(db.kysely, TENANT, firstMeetingId);
    expect(after?.cleanup).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: "cloud-data", done: true })]),
    );
    const confirmed = await db.kysely
      .selectFrom("log_entries")
      .select("payload")
      .where("meeting_id", "=", firstMeetingId)
      .where("action", "=", "cleanup.confirmed")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(confirmed.payload)).toMatchObject({
      item: "cloud-data",
      evidence: "platform-empty",
    });
  });

  it("meetingEnd never delivered → the timer after the planned end starts the cleanup; reminders escalate on schedule", async () => {
    const meetingId = await schedule("定例会議", 3_600_000);
    const replies = bf.replies().length;
    // Planned end + 30 minutes grace: nothing before, the cleanup right after.
    offsetMs += 2 * 3_600_000 + 29 * 60_000;
    await settle();
    expect((await readMeeting(db.kysely, TENANT, meetingId))?.state).toBe("scheduled");
    offsetMs += 2 * 60_000;
    await settle();
    expect((await readMeeting(db.kysely, TENANT, meetingId))?.state).toBe("cleanup-pending");
    const cleanup = repliesSince(replies)
      .filter(toOrganizer)
      .map((c) => textOf(cardOf(c)));
    expect(cleanup.filter((t) => t.includes("会議が終わりました"))).toHaveLength(1);

    // kawasaki: first reminder after 60 minutes, then every 1440; the admin is told after 3.
    offsetMs += 61 * 60_000;
    await settle();
    for (let day = 0; day < 3; day++) {
      offsetMs += 1440 * 60_000;
      await settle();
      await settle();
    }
    const sent = repliesSince(replies);
    const reminders = sent
      .filter(toOrganizer)
      .map((c) => textOf(cardOf(c)))
      .filter((t) => t.includes("回目のお知らせ") && t.includes("定例会議"));
    expect(reminders.map((t) => /（(\d+)回目のお知らせ）/.exec(t)?.[1])).toEqual([
      "1",
      "2",
      "3",
      "4",
    ]);
    const actions = await logActions(meetingId);
    expect(actions.filter((a) => a === "reminder.sent")).toHaveLength(4);
    expect(actions.filter((a) => a === "meeting.escalated")).toHaveLength(1);
    // The escalation is addressed to the 情報管理責任者; they have no chat with the bot yet, so it
    // waits, visible, as a dead letter naming why.
    const dead = await outbox.deadLetters(TENANT);
    expect(dead.map((d) => d.lastError)).toContain("NO_CONVERSATION");
  });

  it("a consent answer for another tenant's meeting id is refused and changes nothing", async () => {
    const other = await post(
      invoke(
        "consent.answer",
        { requestId: "mtg-of-another-tenant", answer: "agree" },
        {
          conversation: {
            isGroup: true,
            conversationType: "groupChat",
            tenantId: TENANT,
            id: MEETING_CHAT,
          },
        },
      ),
    );
    expect(textOf((other.json as { value: Card }).value)).toContain("見つかりません");
  });

  it("a department device: the cleanup card asks which device and who used it; the answer writes the 使用管理簿 line, which the CLI exports", async () => {
    await upsertDevice(db.kysely, TENANT, {
      id: "tab-01",
      label: "会議用タブレット1",
      department: "総務課",
    });
    await upsertDevice(db.kysely, TENANT, {
      id: "wifi-02",
      label: "モバイルルーター2",
      department: "総務課",
    });
    const meetingId = await schedule("審議会（第1回）", 3_600_000, {
      departmentDevice: "true",
      committee: "true",
    });
    const replies = bf.replies().length;
    offsetMs += 3 * 3_600_000;
    await settle();
    const sent = repliesSince(replies).filter(toOrganizer).map(cardOf);
    const cleanup = sent.find(
      (c) => textOf(c).includes("会議が終わりました") && textOf(c).includes("審議会"),
    );
    const inputs = (cleanup?.body ?? []) as { id?: string; choices?: { value: string }[] }[];
    expect(inputs.find((b) => b.id === "deviceId")?.choices?.map((c) => c.value)).toEqual([
      "tab-01",
      "wifi-02",
    ]);
    expect(textOf(cleanup)).toContain("〔KWS 要綱第5条(3)〕");
    // Committee: the attendance card for the minutes (MWG 6).
    expect(sent.map(textOf).find((t) => t.includes("出席記録（会議録用）"))).toContain("〔MWG 6〕");

    const noDevice = await post(
      invoke("cleanup.confirm", {
        requestId: meetingId,
        itemId: "device-logbook",
        deviceId: "tab-99",
        userName: "山田 花子",
      }),
    );
    expect(textOf((noDevice.json as { value: Card }).value)).toContain(
      "使用した端末を一覧から選んでください。",
    );
    const noName = await post(
      invoke("cleanup.confirm", {
        requestId: meetingId,
        itemId: "device-logbook",
        deviceId: "tab-01",
      }),
    );
    expect(textOf((noName.json as { value: Card }).value)).toContain(
      "使用者の氏名を入力してください。",
    );
    expect(await deviceLogbook(db.kysely, TENANT)).toEqual([]);

    await post(
      invoke("cleanup.confirm", {
        requestId: meetingId,
        itemId: "device-logbook",
        deviceId: "tab-01",
        userName: "=HYPERLINK(1)",
      }),
    );
    const lines = await deviceLogbook(db.kysely, TENANT);
    expect(lines).toEqual([
      expect.objectContaining({
        deviceId: "tab-01",
        department: "総務課",
        userName: "=HYPERLINK(1)",
        meetingId,
      }),
    ]);
    let out = "";
    const code = await runCli(["devices", "export", "--tenant", TENANT, "--format", "csv"], {
      stdout: (x) => (out += x),
      stderr: () => undefined,
      env: { KAIGI_SQLITE_PATH: join(dir, "store.sqlite") },
      cwd: dir,
    });
    expect(code).toBe(0);
    const rows = out
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(rows[0]).toBe("端末ID,端末名,所属,使用者,利用開始(JST),利用終了(JST),会議ID");
    // A name a spreadsheet would run as a formula is written as text.
    expect(rows[1]).toMatch(
      /^tab-01,会議用タブレット1,総務課,'=HYPERLINK\(1\),\d{4}-\d{2}-\d{2} \d{2}:\d{2},/,
    );
  });

  it("「インシデント」 opens the report card; the report reaches the supervisor at once, goes into the log, and the reporter gets a receipt number", async () => {
    await post(
      teamsActivity("message-personal.json", bf.serviceUrl, {
        id: "m-supervisor",
        text: "ヘルプ",
        from: SUPERVISOR,
        conversation: { conversationType: "personal", tenantId: TENANT, id: "a:supervisor-chat" },
      }),
    );
    const replies = bf.replies().length;
    await post(
      teamsActivity("message-personal.json", bf.serviceUrl, {
        id: "m-incident",
        text: "インシデント",
      }),
    );
    const form = repliesSince(replies)
      .map(cardOf)
      .find((c) => textOf(c).includes("インシデントの報告"));
    expect(textOf(form)).toContain("〔MWG 8(2)〕");
    const bad = await post(
      invoke("incident.report", { requestId: "x", kind: "aliens", description: "" }),
    );
    expect(textOf((bad.json as { value: Card }).value)).toContain(
      "何が起きたかを一覧から選んでください。\n状況を入力してください。",
    );
    const report = await post(
      invoke("incident.report", {
        requestId: "x",
        kind: "peeping",
        meeting: "審議会（第1回）",
        description: "カメラの背景に来庁者が映り込み、画面をのぞいていた",
      }),
    );
    const receipt = /INC-\d{8}-[0-9A-F]{6}/.exec(
      textOf((report.json as { value: Card }).value),
    )?.[0];
    expect(receipt).toBeDefined();
    await settle();
    const notice = repliesSince(replies)
      .filter((c) => c.path.includes(encodeURIComponent("a:supervisor-chat")))
      .map((c) => textOf(cardOf(c)))
      .find((t) => t.includes("インシデントの報告がありました"));
    expect(notice).toContain(receipt ?? "?");
    expect(notice).toContain("のぞき見");
    const logged = await db.kysely
      .selectFrom("log_entries")
      .select(["action", "payload", "actor"])
      .where("action", "=", "incident.reported")
      .executeTakeFirstOrThrow();
    expect(JSON.parse(logged.payload)).toMatchObject({ receipt, kind: "peeping", contacts: 1 });
    // The description is personal: kept beside the chain, not in it.
    expect(logged.payload).not.toContain("来庁者");
  });
});
