import { mkdtempSync, rmSync } from "node:fs";
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
import { TimerWorker } from "../../../src/store/timers/timers.js";
import type { RecordedCall } from "../../fakes/http-fake.js";
import { MEETINGS_TOKEN, ORG_ID, webexApiFake, webexSettings } from "../../fakes/webex-api.js";

/**
 * Webex end to end: the real server with webex-node-bot-framework pointed at a fake Webex API on
 * 127.0.0.1, driven by signed webhook POSTs as Webex sends them (Musashino's rules: Webex is the
 * standard tool, MWG 5(2)1; everyone must agree to recording, MWG 5(2)7).
 */

const SECRET = "kaigi-guard-webhook-secret-2026";
let api: ReturnType<typeof webexApiFake>;
let app: App;
let db: Database;
let url = "";
let dir = "";
const logger = memoryLogger();
const clock: Clock = { now: () => new Date() };
let outbox: OutboxDispatcher;
let timers: TimerWorker;
let organizer: ReturnType<typeof api.addPerson>;
let sato: ReturnType<typeof api.addPerson>;
let stranger: ReturnType<typeof api.addPerson>;
let meetingId = "";
let apiBase = "";

async function settle() {
  for (let i = 0; i < 30; i++) {
    if ((await timers.runOnce()) + (await outbox.runOnce()) === 0) return;
  }
}

beforeAll(async () => {
  api = webexApiFake(SECRET);
  const base = await api.fake.start();
  apiBase = base;
  // The SDK reads its service URLs when first loaded: keep even its catalog lookup on loopback.
  process.env.U2C_SERVICE_URL = `${base}/u2c/api/v1`;
  organizer = api.addPerson("hanako.yamada@city.example.lg.jp", "山田 花子");
  sato = api.addPerson("ken.sato@city.example.lg.jp", "佐藤 健");
  stranger = api.addPerson("someone@elsewhere.example", "見知らぬ人");
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-webex-"));
  db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
  app = createApp({
    db,
    policy: loadPolicy("musashino"),
    logger,
    clock,
    runWorkers: false,
    webex: webexSettings(base, SECRET),
  });
  url = await app.listen(0, "127.0.0.1");
  outbox = new OutboxDispatcher(db, app.deliver, clock);
  timers = new TimerWorker(db, "webex-test", clock, app.fireTimer);
}, 60_000);

afterAll(async () => {
  await app.stop();
  await api.fake.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Posts a webhook delivery as Webex does: compact JSON, signed over those exact bytes. */
async function deliver(body: unknown, headers?: Record<string, string>) {
  const { raw, signature } = api.sign(body);
  const res = await fetch(`${url}/api/webex`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-spark-signature": signature, ...headers },
    body: raw,
  });
  return res.status;
}

type Card = {
  version: string;
  body: { text?: string; id?: string }[];
  actions: { type: string; title: string; data: Record<string, unknown> }[];
};
const cardOf = (c: RecordedCall | undefined) =>
  (c?.json as { attachments?: { content: Card }[] } | undefined)?.attachments?.[0]?.content;
const textOf = (card: Card | undefined) => card?.body.map((b) => b.text ?? "").join("\n") ?? "";
const lastCard = () => cardOf(api.posted().at(-1));
const sentTo = (email: string, since: number) =>
  api
    .posted()
    .slice(since)
    .filter((c) => (c.json as { toPersonEmail?: string }).toPersonEmail === email);
const messageIdOf = (c: RecordedCall | undefined) => api.idOf(c);

describe("Webex: start-up", () => {
  it("checks the bot with people/me and registers its webhooks once, signed with the secret", () => {
    const hooks = api.webhooks.map((w) => `${String(w.resource)}/${String(w.event)}`).sort();
    expect(hooks).toEqual([
      "all/all",
      "attachmentActions/created",
      "meetingParticipants/joined",
      "meetingParticipants/left",
      "meetings/ended",
      "meetings/started",
      "recordings/created",
    ]);
    expect(api.webhooks.every((w) => w.secret === SECRET)).toBe(true);
    expect(api.fake.calls.some((c) => c.path === "/v1/people/me")).toBe(true);
  });
});

describe("Webex: unsigned or wrongly signed webhooks are refused and change nothing", () => {
  it("missing, wrong and re-serialized-body signatures → 401, logged, nothing processed", async () => {
    const body = api.say(organizer, "予約");
    const posted = api.posted().length;
    const missing = await fetch(`${url}/api/webex`, { method: "POST", body: JSON.stringify(body) });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: "UNAUTHORIZED" } });
    expect(await deliver(body, { "x-spark-signature": "0".repeat(40) })).toBe(401);
    const { signature } = api.sign(body);
    const pretty = await fetch(`${url}/api/webex`, {
      method: "POST",
      headers: { "x-spark-signature": signature },
      body: JSON.stringify(body, null, 2),
    });
    expect(pretty.status).toBe(401);
    expect(api.posted().length).toBe(posted);
    expect(api.fake.calls.filter((c) => c.path.startsWith("/v1/messages/")).length).toBe(0);
    const refused = logger.lines.filter((l) => l.event === "webex.signature_refused");
    expect(refused.map((l) => l.fields.reason)).toEqual(["missing", "mismatch", "mismatch"]);
  });
});

describe("Webex: every flow, end to end (Musashino)", () => {
  it("「予約」 (no spaces needed) → the schedule card, Adaptive Cards 1.3 with Action.Submit", async () => {
    expect(await deliver(api.say(organizer, "予約"))).toBe(200);
    const card = lastCard();
    expect(card?.version).toBe("1.3");
    expect(card?.actions[0]).toMatchObject({
      type: "Action.Submit",
      data: { verb: "schedule.submit" },
    });
    expect((api.posted().at(-1)?.json as { roomId?: string }).roomId).toBeDefined();
  });

  it("schedule → tier → the meeting is created with the tier's options (429 honoured) → a read-back mismatch is reported", async () => {
    const scheduleMessage = api.posted().at(-1);
    const scheduleId = messageIdOf(scheduleMessage);
    const start = new Date(Date.now() + 86_400_000 + 9 * 3_600_000).toISOString();
    await deliver(
      api.press(organizer, scheduleId, {
        verb: "schedule.submit",
        title: "市民説明会の打合せ",
        date: start.slice(0, 10),
        time: "10:00",
        duration: "60",
        service: "webex",
        invitees: "ken.sato@city.example.lg.jp",
        recording: "true",
      }),
    );
    const tier = lastCard();
    meetingId = String(tier?.actions[0]?.data.requestId);
    expect(textOf(tier)).toContain("機密性区分");
    await deliver(
      api.press(organizer, messageIdOf(api.posted().at(-1)), {
        verb: "tier.submit",
        requestId: meetingId,
        tier: "II",
      }),
    );
    expect(textOf(lastCard())).toContain("この会議は開催できます");
    await deliver(
      api.press(organizer, messageIdOf(api.posted().at(-1)), {
        verb: "meeting.confirm",
        requestId: meetingId,
      }),
    );

    // Webex is busy once; then the site turns the automatic lock off behind our back.
    api.once((c) => c.method === "POST" && c.path === "/v1/meetings", {
      status: 429,
      headers: { "retry-after": "1" },
      body: { message: "Too Many Requests" },
    });
    api.once((c) => c.method === "GET" && c.path.startsWith("/v1/meetings/"), {
      status: 200,
      body: {
        id: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c",
        title: "x",
        start: "2026-12-01T10:00:00+09:00",
        end: "2026-12-01T11:00:00+09:00",
        webLink: "https://city-example.webex.com/j.php?MTID=m1",
        unlockedMeetingJoinSecurity: "allowJoinWithLobby",
        enableAutomaticLock: false,
        enabledJoinBeforeHost: false,
        enableConnectAudioBeforeHost: false,
        enabledAutoRecordMeeting: false,
        allowAnyUserToBeCoHost: false,
        allowFirstUserToBeCoHost: false,
        publicMeeting: false,
      },
    });
    const posted = api.posted().length;
    await settle();
    const creates = api.fake.calls.filter((c) => c.method === "POST" && c.path === "/v1/meetings");
    expect(creates).toHaveLength(2);
    expect(creates[1]?.headers.authorization).toBe(`Bearer ${MEETINGS_TOKEN}`);
    expect(creates[1]?.json).toMatchObject({
      title: "市民説明会の打合せ",
      hostEmail: "hanako.yamada@city.example.lg.jp",
      unlockedMeetingJoinSecurity: "allowJoinWithLobby",
      enableAutomaticLock: true,
      enabledJoinBeforeHost: false,
      enabledAutoRecordMeeting: false,
      invitees: [expect.objectContaining({ email: "ken.sato@city.example.lg.jp" })],
    });
    const created = textOf(cardOf(sentTo("hanako.yamada@city.example.lg.jp", posted).at(-1)));
    expect(created).toContain("会議を作成しました");
    expect(created).toContain("enableAutomaticLock");
    expect((await readMeeting(db.kysely, ORG_ID, meetingId))?.platformMeeting?.id).toBe(
      "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c",
    );
  });

  it("started → roll call to the organizer; joined → a consent card to that participant", async () => {
    const posted = api.posted().length;
    const started = api.event("meetings", "started", {
      id: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c_I_211839470285516352",
      meetingSeriesId: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c",
      state: "inProgress",
    });
    expect(await deliver(started)).toBe(200);
    expect(await deliver(started)).toBe(200);
    await settle();
    const toOrganizer = sentTo("hanako.yamada@city.example.lg.jp", posted).map((c) =>
      textOf(cardOf(c)),
    );
    expect(toOrganizer.filter((t) => t.includes("出席確認"))).toHaveLength(1);

    // The organizer asks: only invitees are let in from the lobby (MWG 5(2)4).
    const rollCall = sentTo("hanako.yamada@city.example.lg.jp", posted).find((c) =>
      textOf(cardOf(c)).includes("出席確認"),
    );
    await deliver(
      api.press(organizer, messageIdOf(rollCall), { verb: "lobby.admit", requestId: meetingId }),
    );
    const admit = api.fake.calls.find((c) => c.path === "/v1/meetingParticipants/admit");
    expect(admit?.json).toEqual({ items: [{ participantId: "p-invitee" }] });
    expect(admit?.headers.authorization).toBe(`Bearer ${MEETINGS_TOKEN}`);
    expect(textOf(lastCard())).toContain(
      "招待者 1 人を入室させました。招待されていない 1 人はロビーのままです。",
    );

    await deliver(
      api.event("meetingParticipants", "joined", {
        id: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c_I_211839470285516352_p1",
        meetingId: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c_I_211839470285516352",
        email: "ken.sato@city.example.lg.jp",
        displayName: "佐藤 健",
        host: false,
        joinedTime: new Date().toISOString(),
      }),
    );
    await settle();
    const consent = sentTo("ken.sato@city.example.lg.jp", posted)
      .map(cardOf)
      .find((c) => textOf(c).includes("同意確認"));
    expect(textOf(consent)).toContain("〔MWG 5(2)7〕");
  });

  it("a consent answer by someone other than the addressee is refused and logged; the addressee's counts", async () => {
    const consentMessage = sentTo("ken.sato@city.example.lg.jp", 0).at(-1);
    const messageId = messageIdOf(consentMessage);
    await deliver(
      api.press(stranger, messageId, {
        verb: "consent.answer",
        requestId: meetingId,
        answer: "agree",
      }),
    );
    expect(textOf(lastCard())).toContain("あなた宛てではない");
    const rejected = await db.kysely
      .selectFrom("log_entries")
      .select(["payload", "actor"])
      .where("action", "=", "action.rejected")
      .execute();
    expect(rejected.map((r) => JSON.parse(r.payload) as { code: string })).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: "NOT_ADDRESSEE" })]),
    );
    expect(logger.lines.some((l) => l.event === "webex.not_addressee")).toBe(true);
    await deliver(
      api.press(sato, messageId, { verb: "consent.answer", requestId: meetingId, answer: "agree" }),
    );
    const meeting = await readMeeting(db.kysely, ORG_ID, meetingId);
    expect(meeting?.consent?.answers).toEqual([
      expect.objectContaining({ personId: "webex:ken.sato@city.example.lg.jp", answer: "agree" }),
    ]);
  });

  it("ended → the cleanup card lists the recording with 'delete now'; confirmed → deleted → verified gone", async () => {
    await deliver(
      api.event("recordings", "created", {
        id: "7d4e2a9c1b3f4e6a8c0d2e4f6a8b0c1d",
        meetingId: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c_I_211839470285516352",
        meetingSeriesId: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c",
      }),
    );
    const posted = api.posted().length;
    await deliver(
      api.event("meetings", "ended", {
        id: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c_I_211839470285516352",
        meetingSeriesId: "a3f1c9e27b5d4e8f9c0b1d2e3f4a5b6c",
      }),
    );
    await settle();
    const cleanup = sentTo("hanako.yamada@city.example.lg.jp", posted)
      .map(cardOf)
      .find((c) => textOf(c).includes("会議が終わりました"));
    const remove = cleanup?.actions.find((a) => a.data.verb === "recording.delete");
    expect(remove?.data.recordingId).toBe(api.recordings[0]?.id);
    const recordingId = String(remove?.data.recordingId);

    // Someone else cannot delete it.
    await deliver(
      api.press(stranger, messageIdOf(sentTo("hanako.yamada@city.example.lg.jp", posted).at(-1)), {
        verb: "recording.delete.confirm",
        requestId: meetingId,
        recordingId,
      }),
    );
    expect(api.fake.calls.some((c) => c.method === "DELETE")).toBe(false);

    await deliver(
      api.press(organizer, messageIdOf(api.posted().at(-1)), {
        verb: "recording.delete",
        requestId: meetingId,
        recordingId,
      }),
    );
    expect(textOf(lastCard())).toContain("元に戻せません");
    expect(api.fake.calls.some((c) => c.method === "DELETE")).toBe(false);
    await deliver(
      api.press(organizer, messageIdOf(api.posted().at(-1)), {
        verb: "recording.delete.confirm",
        requestId: meetingId,
        recordingId,
      }),
    );
    expect(api.fake.calls.filter((c) => c.method === "DELETE").map((c) => c.path)).toEqual([
      expect.stringContaining(`/v1/recordings/${recordingId}`),
    ]);
    expect(textOf(lastCard())).toContain("一覧から消えたことを確認しました");
    const actions = (
      await db.kysely
        .selectFrom("log_entries")
        .select("action")
        .where("meeting_id", "=", meetingId)
        .orderBy("seq")
        .execute()
    ).map((r) => r.action);
    expect(actions).toEqual(
      expect.arrayContaining(["recording.created", "cleanup.opened", "recording.deleted"]),
    );
  });
});

describe("Webex: an instance still starting does not acknowledge what it cannot read (found by the soak)", () => {
  it("a message webhook before its Webex connection is up → 503 STARTING (Webex delivers it again); once up → 200 and answered", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The framework's own webhooks are slow to register (Webex busy, say).
    api.fake.on(async (c) => {
      if (c.method === "POST" && c.path === "/v1/webhooks") await gate;
      return undefined;
    });
    // The delivery as Webex sends it, named after the webhook both instances register (read now:
    // the starting instance deletes and recreates it, and in between there is none to read).
    const body = api.say(organizer, "予約");
    const second = await Database.open({ kind: "sqlite", path: ":memory:" });
    const starting = createApp({
      db: second,
      policy: loadPolicy("musashino"),
      logger,
      clock,
      runWorkers: false,
      webex: webexSettings(apiBase, SECRET),
    });
    const listening = starting.listen(0, "127.0.0.1");
    let port = 0;
    for (let i = 0; i < 100 && port === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      port = (starting.server.address() as { port?: number } | null)?.port ?? 0;
    }
    const { raw, signature } = api.sign(body);
    const post = () =>
      fetch(`http://127.0.0.1:${String(port)}/api/webex`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-spark-signature": signature },
        body: raw,
      });
    const early = await post();
    expect(early.status).toBe(503);
    expect(await early.json()).toEqual({ error: { code: "STARTING" } });
    release();
    await listening;
    const posted = api.posted().length;
    expect((await post()).status).toBe(200);
    expect(api.posted().length).toBe(posted + 1);
    await starting.stop();
    await second.close();
  });
});
