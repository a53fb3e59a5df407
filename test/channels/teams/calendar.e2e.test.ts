import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../../src/app.js";
import { meetingIdForEvent } from "../../../src/channels/teams/graph/calendar-events.js";
import type { Clock } from "../../../src/clock.js";
import { memoryLogger } from "../../../src/logger.js";
import { loadPolicy } from "../../../src/policy/load.js";
import { Database } from "../../../src/store/db.js";
import { readMeeting } from "../../../src/store/repos/meetings.js";
import {
  teamsSettings,
  botFrameworkFake,
  postActivity,
  teamsActivity,
} from "../../fakes/botframework.js";
import { graphFake, withCalendar, type FakeEvent } from "../../fakes/graph.js";
import { fixture, type HttpFake } from "../../fakes/http-fake.js";

const TENANT = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";
const ORGANIZER_OID = "8e2f4a6c-1d3b-4f5a-9c7e-2b4d6f8a0c1e";
const APPROVER_OID = "3a5c7e9b-0d2f-4a6b-8c1e-5f7a9b3d2c4e";
const DEPT_APPROVER_OID = "6d8f0a2c-4e6b-4c8d-9f1a-3b5d7f9e1c2a";
const EVENT_FIXTURE = fixture<FakeEvent>("graph/event-create-response.json");

type BotFramework = Awaited<ReturnType<typeof botFrameworkFake>>;
let bf: BotFramework;
let graph: HttpFake;
let app: App;
let db: Database;
let url = "";
let dir = "";
let offsetMs = 0;
let counter = 0;
const events = new Map<string, FakeEvent>();
const logger = memoryLogger();
/** Real time, moved forward by the test to reach renewal and escalation times. */
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => {
        resolve(port);
      });
    });
  });

async function until<T>(what: string, f: () => T | undefined | Promise<T | undefined>) {
  for (let i = 0; i < 100; i++) {
    const got = await f();
    if (got !== undefined && got !== false) return got;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  bf = await botFrameworkFake();
  // The identity platform serves Graph's client-credentials token for the tenant too.
  bf.fake.on((c) =>
    c.method === "POST" && c.path === `/login/${TENANT}/oauth2/v2.0/token`
      ? { status: 200, body: fixture("graph/token-response.json") }
      : undefined,
  );
  graph = withCalendar(graphFake(), events);
  const graphBase = await graph.start();
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-calendar-"));
  writeFileSync(
    join(dir, "city.yaml"),
    [
      "id: city",
      "extends: kawasaki",
      "directory:",
      "  approvers:",
      `    tier-decision: "aad:${APPROVER_OID}"`,
      `    external-participants: "aad:${APPROVER_OID}"`,
      "  departments:",
      "    kikaku:",
      "      name: { ja: 企画課, en: Planning }",
      "      approvers:",
      `        external-participants: "aad:${DEPT_APPROVER_OID}"`,
      "    soumu:",
      "      name: { ja: 総務課, en: General Affairs }",
      "      approvers: {}",
      "",
    ].join("\n"),
  );
  db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
  const port = await freePort();
  app = createApp({
    db,
    policy: loadPolicy(join(dir, "city.yaml")),
    logger,
    clock,
    idleMs: 100,
    subscriptionCheckMs: 3_600_000,
    teams: teamsSettings(bf, {
      graphBaseUrl: `${graphBase}/v1.0`,
      notificationUrl: `http://127.0.0.1:${String(port)}/api/graph/notifications`,
    }),
  });
  url = await app.listen(port, "127.0.0.1");
});

afterAll(async () => {
  await app.stop();
  await bf.fake.stop();
  await graph.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const post = (activity: Record<string, unknown>) => postActivity(url, bf.serviceUrl, activity);

const invoke = (verb: string, data: Record<string, unknown>) =>
  teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl, {
    id: `cal:${String(++counter)}`,
    value: { action: { type: "Action.Execute", title: "x", verb, data }, trigger: "manual" },
  });

const notify = (body: unknown, query = "") =>
  fetch(`${url}/api/graph/notifications${query}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** Texts of the cards the connector received, from the n-th reply on. */
const cardTexts = (from = 0) =>
  bf
    .replies()
    .slice(from)
    .map(
      (c) =>
        (
          c.json as { attachments?: { content: { body: { text?: string }[] } }[] }
        ).attachments?.[0]?.content.body
          .map((b) => b.text ?? "")
          .join("\n") ?? "",
    );

/** A Teams meeting in the organizer's calendar, as Graph reads it back with times in UTC. */
function calendarEvent(id: string, startsInMs: number, extra: Record<string, unknown> = {}) {
  const at = (ms: number) => new Date(clock.now().getTime() + ms).toISOString().replace("Z", "");
  const event: FakeEvent = {
    ...EVENT_FIXTURE,
    id,
    subject: `定例打合せ ${id}`,
    start: { dateTime: at(startsInMs), timeZone: "UTC" },
    end: { dateTime: at(startsInMs + 3_600_000), timeZone: "UTC" },
    ...extra,
  };
  events.set(id, event);
  return event;
}

function notification(eventId: string, clientState: string, subscriptionId: string) {
  const base = fixture<{ value: Record<string, unknown>[] }>("graph/change-notification.json");
  const item = base.value[0] ?? {};
  return {
    value: [
      {
        ...item,
        subscriptionId,
        clientState,
        resource: `Users/${ORGANIZER_OID}/Events/${eventId}`,
        resourceData: {
          ...(item.resourceData as object),
          id: eventId,
          "@odata.etag": `W/"${eventId}"`,
        },
      },
    ],
  };
}

let subscription = { id: "", clientState: "" };

describe("Teams: meetings scheduled in the calendar are caught (R-SET, intercepts scheduling)", () => {
  it("an organizer who talks to the bot gets a calendar subscription; Graph's validation handshake is answered", async () => {
    const res = await post(
      teamsActivity("message-personal.json", bf.serviceUrl, { id: "m-help", text: "ヘルプ" }),
    );
    expect(res.status).toBe(200);
    expect(await app.teams?.keepSubscriptions?.()).toBe(1);
    const create = graph.calls.find((c) => c.path === "/v1.0/subscriptions");
    const body = create?.json as Record<string, string>;
    expect(body).toMatchObject({
      changeType: "created,updated",
      resource: `users/${ORGANIZER_OID}/events`,
      notificationUrl: expect.stringMatching(/\/api\/graph\/notifications$/) as string,
    });
    expect(body.clientState).toMatch(/^kg-[0-9a-f]{48}$/);
    const lifetime = new Date(body.expirationDateTime ?? "").getTime() - clock.now().getTime();
    expect(lifetime).toBeGreaterThan(2 * 86_400_000);
    expect(lifetime).toBeLessThanOrEqual(10_080 * 60_000);
    expect(create?.headers.authorization).toMatch(/^Bearer /);
    subscription = { id: "sub-1", clientState: body.clientState ?? "" };
    // A second pass has nothing to do.
    expect(await app.teams?.keepSubscriptions?.()).toBe(0);
  });

  it("the handshake echoes the URL-decoded token as text/plain", async () => {
    const token = "Validation: Testing client application reachability 日本 & <x>";
    const res = await fetch(
      `${url}/api/graph/notifications?validationToken=${encodeURIComponent(token)}`,
      { method: "POST", headers: { "content-type": "text/plain; charset=utf-8" } },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe(token);
  });

  it("a notification with the wrong clientState, an unknown subscription, or garbage changes nothing", async () => {
    calendarEvent("EV-forged", 7 * 86_400_000);
    const before = graph.calls.length;
    const forged = await notify(notification("EV-forged", "kg-guess", subscription.id));
    expect(forged.status).toBe(401);
    expect(await forged.json()).toEqual({ error: { code: "UNAUTHORIZED" } });
    const unknown = await notify(notification("EV-forged", subscription.clientState, "sub-x"));
    expect(unknown.status).toBe(401);
    for (const bad of [{}, { value: [] }, { value: "x" }, [1, 2]]) {
      expect((await notify(bad)).status).toBe(400);
    }
    const raw = await fetch(`${url}/api/graph/notifications`, { method: "POST", body: "{oops" });
    expect(raw.status).toBe(400);
    await new Promise((r) => setTimeout(r, 300));
    expect(graph.calls.length).toBe(before);
    expect(await readMeeting(db.kysely, TENANT, meetingIdForEvent(TENANT, "EV-forged"))).toBe(
      undefined,
    );
    const refused = logger.lines.filter((l) => l.event === "graph.notification_refused");
    expect(refused.map((l) => l.fields.reason)).toEqual(["client-state", "unknown-subscription"]);
    // The secret is never logged.
    expect(JSON.stringify(logger.lines)).not.toContain(subscription.clientState);
  });

  it("a refused notification is logged once even when its transaction runs again (group commit)", async () => {
    const refusedLines = () =>
      logger.lines.filter((l) => l.event === "graph.notification_refused").length;
    const before = refusedLines();
    // A transaction that holds the group open, the notification's joins it, and one after it
    // fails: the group is rolled back and the notification's transaction runs a second time.
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const held = db.transaction(() => gate);
    const forged = notification("EV-rerun", "kg-guess", subscription.id);
    // Accepted, but a deletion: nothing to inspect, so nothing follows for later tests.
    const good = notification("EV-rerun", subscription.clientState, subscription.id).value.map(
      (n) => ({ ...n, changeType: "deleted" }),
    );
    const answered = notify({ value: [...forged.value, ...good] });
    await new Promise((r) => setTimeout(r, 500));
    const failing = db.transaction(() => Promise.reject(new Error("a later transaction fails")));
    open();
    await held;
    await expect(failing).rejects.toThrow("a later transaction fails");
    expect((await answered).status).toBe(202);
    expect(refusedLines() - before).toBe(1);
  });

  it("a new Teams meeting in the calendar → the organizer is asked for the tier → the tier's settings are applied to that meeting and read back", async () => {
    calendarEvent("EV-1", 7 * 86_400_000);
    const replies = bf.replies().length;
    const res = await notify(notification("EV-1", subscription.clientState, subscription.id));
    expect(res.status).toBe(202);
    const meetingId = meetingIdForEvent(TENANT, "EV-1");
    const asked = await until("the tier card", () =>
      cardTexts(replies).find((t) => t.includes("カレンダーで予定された Teams 会議")),
    );
    expect(asked).toContain("定例打合せ EV-1");
    expect(asked).toContain("〔KSS 第3章2(1)〕");
    const read = graph.calls.find(
      (c) => c.path.startsWith("/v1.0/users/") && c.path.includes("/events/EV-1"),
    );
    expect(read?.headers.prefer).toBe('outlook.timezone="UTC"');
    const meeting = await readMeeting(db.kysely, TENANT, meetingId);
    expect(meeting).toMatchObject({
      state: "draft",
      organizerId: `aad:${ORGANIZER_OID}`,
      intercepted: { eventId: "EV-1" },
      platformMeeting: { id: expect.any(String) as string },
      plan: { service: "teams", external: false, participants: 3 },
    });

    // The same notification again (Graph retries): still one meeting, nothing asked twice.
    expect(
      (await notify(notification("EV-1", subscription.clientState, subscription.id))).status,
    ).toBe(202);

    const verdict = await post(invoke("tier.submit", { requestId: meetingId, tier: "II" }));
    expect(verdict.status).toBe(200);
    const created = graph.calls.filter(
      (c) => c.method === "POST" && c.path.endsWith("/events"),
    ).length;
    await post(invoke("meeting.confirm", { requestId: meetingId }));
    const applied = await until("the settings-applied card", () =>
      cardTexts(replies).find((t) => t.includes("会議に区分の設定を適用しました")),
    );
    expect(applied).toContain("設定を読み返して確認しました。");
    const patch = graph.calls.find(
      (c) => c.method === "PATCH" && c.path.includes("/onlineMeetings/"),
    );
    expect(patch?.json).toMatchObject({
      lobbyBypassSettings: { scope: "invited", isDialInBypassEnabled: false },
      allowedPresenters: "organizer",
    });
    // No second meeting was created: the settings went onto the one in the calendar.
    expect(
      graph.calls.filter((c) => c.method === "POST" && c.path.endsWith("/events")).length,
    ).toBe(created);
    expect(cardTexts(replies).filter((t) => t.includes("カレンダーで予定された")).length).toBe(1);
    const after = await readMeeting(db.kysely, TENANT, meetingId);
    expect(after?.state).toBe("scheduled");
  });

  it("meetings the bot created itself, cancelled ones, and non-Teams events are left alone", async () => {
    calendarEvent("EV-own", 86_400_000, { transactionId: "kaigi-guard:teams:f:1#1" });
    calendarEvent("EV-cancelled", 86_400_000, { isCancelled: true });
    calendarEvent("EV-room", 86_400_000, { isOnlineMeeting: false, onlineMeeting: null });
    for (const id of ["EV-own", "EV-cancelled", "EV-room", "EV-deleted"]) {
      expect(
        (await notify(notification(id, subscription.clientState, subscription.id))).status,
      ).toBe(202);
    }
    await until("the events to be read", () =>
      ["EV-own", "EV-cancelled", "EV-room", "EV-deleted"].every((id) =>
        graph.calls.some((c) => c.path.includes(`/events/${id}?`)),
      ),
    );
    await new Promise((r) => setTimeout(r, 300));
    for (const id of ["EV-own", "EV-cancelled", "EV-room", "EV-deleted"]) {
      expect(await readMeeting(db.kysely, TENANT, meetingIdForEvent(TENANT, id))).toBe(undefined);
    }
  });

  it("a caught meeting still without a tier at the policy's time before start is escalated to the 情報管理責任者", async () => {
    // The approver has a chat with the bot, so the escalation can reach them.
    await post(
      teamsActivity("message-personal.json", bf.serviceUrl, {
        id: "m-approver",
        text: "ヘルプ",
        from: { id: "29:approver", name: "情報管理責任者", aadObjectId: APPROVER_OID },
        conversation: { conversationType: "personal", tenantId: TENANT, id: "a:approver-chat" },
      }),
    );
    // Starts in 2 hours: inside the 24 hours of KSS 第3章2, so the escalation is due now.
    calendarEvent("EV-late", 2 * 3_600_000);
    const replies = bf.replies().length;
    expect(
      (await notify(notification("EV-late", subscription.clientState, subscription.id))).status,
    ).toBe(202);
    const escalation = await until("the escalation", () =>
      bf
        .replies()
        .slice(replies)
        .find(
          (c) =>
            c.path.includes(encodeURIComponent("a:approver-chat")) &&
            JSON.stringify(c.json).includes("エスカレーション"),
        ),
    );
    expect(JSON.stringify(escalation.json)).toContain("〔KSS 第3章2〕");
    const meeting = await readMeeting(db.kysely, TENANT, meetingIdForEvent(TENANT, "EV-late"));
    expect(meeting).toMatchObject({ state: "escalated", resumeState: "draft" });
    // The organizer can still answer; the meeting goes on from where it was.
    const verdict = await post(
      invoke("tier.submit", { requestId: meetingIdForEvent(TENANT, "EV-late"), tier: "I" }),
    );
    expect(verdict.status).toBe(200);
    expect(
      (await readMeeting(db.kysely, TENANT, meetingIdForEvent(TENANT, "EV-late")))?.state,
    ).toBe("tier-declared");
  });

  it("subscriptions are renewed a day before they expire", async () => {
    offsetMs = 2.5 * 86_400_000;
    expect(await app.teams?.keepSubscriptions?.()).toBeGreaterThanOrEqual(1);
    const renew = graph.calls.find(
      (c) => c.method === "PATCH" && c.path === `/v1.0/subscriptions/${subscription.id}`,
    );
    const { expirationDateTime } = renew?.json as { expirationDateTime: string };
    expect(new Date(expirationDateTime).getTime()).toBeGreaterThan(
      clock.now().getTime() + 2 * 86_400_000,
    );
    offsetMs = 0;
  });
});

describe("Teams: approvals go to the approver of the organizer's department (R-TIER 2, KSS 第3章2)", () => {
  const chat = (id: string, aadObjectId: string) =>
    teamsActivity("message-personal.json", bf.serviceUrl, {
      id: `m-${id}`,
      text: "ヘルプ",
      from: { id: `29:${id}`, name: id, aadObjectId },
      conversation: { conversationType: "personal", tenantId: TENANT, id: `a:${id}-chat` },
    });
  const schedule = (extra: Record<string, unknown>) =>
    post(
      invoke("schedule.submit", {
        title: "外部講師打合せ",
        date: "2026-12-10",
        time: "10:00",
        service: "teams",
        invitees: "lecturer@example.com",
        external: "true",
        fallbackContact: "企画課 044-200-0000",
        ...extra,
      }),
    );
  const texts = (r: { json: Record<string, unknown> }) =>
    (r.json as { value: { body: { text?: string; id?: string; choices?: { value: string }[] }[] } })
      .value.body;

  it("the schedule card asks for the department; none, or one the policy does not list, is refused naming the field", async () => {
    await post(chat("dept-approver", DEPT_APPROVER_OID));
    const card = await post(
      teamsActivity("message-personal.json", bf.serviceUrl, { id: "m-yoyaku", text: "予約" }),
    );
    expect(card.status).toBe(200);
    const sent = bf.replies().at(-1)?.json as {
      attachments: { content: { body: { id?: string; choices?: { value: string }[] }[] } }[];
    };
    const department = sent.attachments[0]?.content.body.find((b) => b.id === "department");
    expect(department?.choices?.map((c) => c.value)).toEqual(["kikaku", "soumu"]);
    for (const [bad, said] of [
      [{}, "所属を選んでください。"],
      [{ department: "jinji" }, "所属を一覧から選んでください。"],
      [{ department: "__proto__" }, "所属を一覧から選んでください。"],
    ] as const) {
      const again = texts(await schedule(bad));
      expect(again[0]?.text).toBe(said);
      // The schedule card again, with what was typed.
      expect(again.find((b) => b.id === "title")).toMatchObject({ value: "外部講師打合せ" });
    }
  });

  it("an external-participants request from 企画課 goes to 企画課's approver; 総務課 falls back to the city's", async () => {
    const replies = bf.replies().length;
    const kikaku = await schedule({ department: "kikaku" });
    const kikakuId = (kikaku.json as { value: { actions: { data: { requestId: string } }[] } })
      .value.actions[0]?.data.requestId;
    await post(invoke("tier.submit", { requestId: kikakuId, tier: "II" }));
    await post(invoke("meeting.confirm", { requestId: kikakuId }));
    const soumu = await schedule({ department: "soumu", title: "総務の打合せ" });
    const soumuId = (soumu.json as { value: { actions: { data: { requestId: string } }[] } }).value
      .actions[0]?.data.requestId;
    await post(invoke("tier.submit", { requestId: soumuId, tier: "II" }));
    await post(invoke("meeting.confirm", { requestId: soumuId }));
    const toDept = await until("the 企画課 approver's card", () =>
      bf
        .replies()
        .slice(replies)
        .find((c) => c.path.includes(encodeURIComponent("a:dept-approver-chat"))),
    );
    expect(JSON.stringify(toDept.json)).toContain("外部講師打合せ");
    const toCity = await until("the city approver's card", () =>
      bf
        .replies()
        .slice(replies)
        .find(
          (c) =>
            c.path.includes(encodeURIComponent("a:approver-chat")) &&
            JSON.stringify(c.json).includes("総務の打合せ"),
        ),
    );
    expect(JSON.stringify(toCity.json)).toContain("承認の依頼");
    // Nothing of 総務課's request reached 企画課's approver.
    expect(
      bf
        .replies()
        .slice(replies)
        .filter((c) => c.path.includes(encodeURIComponent("a:dept-approver-chat")))
        .map((c) => JSON.stringify(c.json))
        .some((j) => j.includes("総務の打合せ")),
    ).toBe(false);

    // The department's approver approves; the meeting is created and the organizer gets the
    // fallback contact with the join link (MWG 8(4)).
    const approve = teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl, {
      id: "cal:dept-approve",
      from: { id: "29:dept-approver", name: "企画課長", aadObjectId: DEPT_APPROVER_OID },
      value: {
        action: {
          type: "Action.Execute",
          title: "承認",
          verb: "approval.answer",
          data: { requestId: kikakuId, kind: "external-participants", decision: "approved" },
        },
        trigger: "manual",
      },
    });
    expect((await post(approve)).status).toBe(200);
    const created = await until("the created card", () =>
      cardTexts(replies).find((t) => t.includes("会議を作成しました")),
    );
    expect(created).toContain("接続できないときの連絡先: 企画課 044-200-0000\u3000〔MWG 8(4)〕");
  });
});
