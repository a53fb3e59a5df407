import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Clock } from "../../../src/clock.js";
import { loadPolicy } from "../../../src/policy/load.js";
import { listeningApp } from "../../_app.js";
import type { RecordedCall } from "../../fakes/http-fake.js";
import { webexApiFake, webexSettings } from "../../fakes/webex-api.js";

/**
 * Issue 22 item 4 on Webex (Musashino): a schedule card answered (Action.Submit, the inputs
 * arriving through attachmentActions) with a word in the invitees box gets the same card posted
 * again, what is wrong on top, what was typed kept, nothing written.
 */

const SECRET = "kaigi-guard-webhook-secret-bad-input";
let api: ReturnType<typeof webexApiFake>;
let app: Awaited<ReturnType<typeof listeningApp>>;
let organizer: ReturnType<typeof api.addPerson>;
const clock: Clock = { now: () => new Date() };

beforeAll(async () => {
  api = webexApiFake(SECRET);
  const base = await api.fake.start();
  // The SDK reads its service URLs when first loaded: keep even its catalog lookup on loopback.
  process.env.U2C_SERVICE_URL = `${base}/u2c/api/v1`;
  organizer = api.addPerson("hanako.yamada@city.example.lg.jp", "山田 花子");
  app = await listeningApp({
    policy: loadPolicy("musashino"),
    clock,
    webex: webexSettings(base, SECRET),
  });
}, 60_000);

afterAll(async () => {
  await app.close();
  await api.fake.stop();
});

/** Posts a webhook delivery as Webex does: compact JSON, signed over those exact bytes. */
async function deliver(body: unknown) {
  const { raw, signature } = api.sign(body);
  const res = await fetch(`${app.url}/api/webex`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-spark-signature": signature },
    body: raw,
  });
  expect(res.status).toBe(200);
}

type Card = {
  version: string;
  body: { type: string; id?: string; text?: string; value?: unknown; color?: string }[];
  actions: { type: string; data: Record<string, unknown> }[];
};
const cardOf = (c: RecordedCall | undefined) =>
  (c?.json as { attachments?: { content: Card }[] } | undefined)?.attachments?.[0]?.content;
const written = async () =>
  (await app.db.kysely.selectFrom("log_entries").select("seq").execute()).length;

describe("Webex: bad input on the schedule card is the person's to fix", () => {
  it("a word in the invitees box → the schedule card again, the address named, everything typed kept", async () => {
    await deliver(api.say(organizer, "予約"));
    const scheduleMessage = api.posted().at(-1);
    const requestId = cardOf(scheduleMessage)?.actions[0]?.data.requestId;
    const before = await written();
    const typed = {
      verb: "schedule.submit",
      requestId,
      title: "市民説明会の打合せ",
      date: "2027-02-10",
      time: "10:00",
      duration: "90",
      service: "webex",
      invitees: "ken.sato@city.example.lg.jp 定例打合せ",
      recording: "true",
      fallbackContact: "企画課 0422-60-0000",
    };
    await deliver(api.press(organizer, api.idOf(scheduleMessage), typed));

    const again = cardOf(api.posted().at(-1));
    expect(again?.version).toBe("1.3");
    const attention = again?.body.filter((b) => b.color === "Attention").map((b) => b.text);
    expect(attention).toEqual(["参加者のメールアドレスが正しくありません：定例打合せ"]);
    expect(again?.body).toContainEqual(
      expect.objectContaining({ text: "code: BAD_ARGUMENT", size: "Small", isSubtle: true }),
    );
    const value = (id: string) => again?.body.find((b) => b.id === id)?.value;
    expect(value("title")).toBe(typed.title);
    expect(value("date")).toBe(typed.date);
    expect(value("time")).toBe(typed.time);
    expect(value("duration")).toBe(90);
    expect(value("service")).toBe("webex");
    expect(value("invitees")).toBe(typed.invitees);
    expect(value("recording")).toBe("true");
    expect(value("fallbackContact")).toBe(typed.fallbackContact);
    // Pressed again, the card answers the same request.
    expect(again?.actions[0]).toMatchObject({
      type: "Action.Submit",
      data: { verb: "schedule.submit", requestId },
    });
    expect(await written()).toBe(before);
  });

  it("a person who wrote in English gets the card, and the problem, in English", async () => {
    await deliver(api.say(organizer, "schedule"));
    const scheduleMessage = api.posted().at(-1);
    const card = cardOf(scheduleMessage);
    expect(card?.actions[0]?.data.lang).toBe("en");
    const before = await written();
    await deliver(
      api.press(organizer, api.idOf(scheduleMessage), {
        ...card?.actions[0]?.data,
        title: "Briefing",
        date: "2027-02-30",
        time: "10:00",
        service: "webex",
      }),
    );
    const again = cardOf(api.posted().at(-1));
    const attention = again?.body.filter((b) => b.color === "Attention").map((b) => b.text);
    expect(attention?.join(" ")).toMatch(/date/i);
    expect(attention?.join(" ")).not.toMatch(/[ぁ-んァ-ン一-龥]/);
    expect(again?.body.find((b) => b.id === "date")?.value).toBe("2027-02-30");
    expect(again?.actions[0]?.data.lang).toBe("en");
    expect(await written()).toBe(before);
  });
});
