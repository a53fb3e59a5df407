import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertDevice, deviceLogbook } from "../../../src/store/repos/devices.js";
import { listeningApp } from "../../_app.js";
import {
  botFrameworkFake,
  channelToken,
  teamsActivity,
  teamsSettings,
} from "../../fakes/botframework.js";

/**
 * Issue 22 item 4, on Teams over /api/messages: bad input on a card is named in the person's
 * language and the same card comes back (the invoke response replaces it) with what was typed.
 */

const TENANT = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";
let bf: Awaited<ReturnType<typeof botFrameworkFake>>;
let app: Awaited<ReturnType<typeof listeningApp>>;
let counter = 0;

beforeAll(async () => {
  bf = await botFrameworkFake();
  app = await listeningApp({ teams: teamsSettings(bf), newId: () => `mtg-bad-${++counter}` });
});
afterAll(async () => {
  await app.close();
  await bf.fake.stop();
});

type Element = { type: string; id?: string; text?: string; value?: unknown; color?: string };
type Card = { body: Element[]; actions: { verb: string; data?: Record<string, unknown> }[] };
const langs = [
  ["ja", "ja-JP"],
  ["en", "en-US"],
] as const;

/** Presses a card button as Teams does (Action.Execute invoke) and returns the card answered. */
async function press(verb: string, data: unknown, locale = "ja-JP") {
  const activity = teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl, {
    id: `f:bad-${String(++counter)}`,
    locale,
    value: { action: { type: "Action.Execute", title: "x", verb, data }, trigger: "manual" },
  });
  const res = await fetch(`${app.url}/api/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${channelToken(bf.serviceUrl)}`,
    },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  expect(res.status).toBe(200);
  return (JSON.parse(text) as { value: Card }).value;
}

/** The sentences on top of a card answered for bad input (warning colour). */
const said = (card: Card) =>
  card.body.filter((e) => e.color === "Attention").map((e) => e.text ?? "");
const input = (card: Card, id: string) => card.body.find((e) => e.id === id);
const written = async () =>
  (await app.db.kysely.selectFrom("log_entries").select("seq").execute()).length;

/** The stable code is in small print, never zod's English wording. */
function expectSmallPrint(card: Card) {
  expect(card.body).toContainEqual(
    expect.objectContaining({ text: "code: BAD_ARGUMENT", size: "Small", isSubtle: true }),
  );
  expect(JSON.stringify(card)).not.toMatch(
    /Invalid (input|option|string)|expected (string|number|one of)|ZodError/,
  );
}

const schedule = {
  requestId: "req-schedule",
  title: "定例打合せ（企画課）",
  date: "2027-02-10",
  time: "10:00",
  duration: "60",
  service: "teams",
  invitees: "ken.sato@city.example.lg.jp",
  recording: "true",
  fallbackContact: "企画課 044-200-0000",
};

/** Drafts a meeting through the cards; its id, from the tier card that follows. */
async function draft(extra: Record<string, string> = {}): Promise<string> {
  const tier = await press("schedule.submit", { ...schedule, ...extra });
  const id = tier.actions[0]?.data?.requestId;
  expect(tier.actions[0]?.verb).toBe("tier.submit");
  return String(id);
}

describe("Teams: a wrong value on the schedule card is named, and the card comes back as typed", () => {
  const cases: {
    clause: string;
    typed: Record<string, unknown>;
    ja: string;
    en: string;
    /** Inputs the card cannot hold as typed (a choice not offered, a list for a text box). */
    notKept?: string[];
  }[] = [
    {
      clause: "a word in the invitees box",
      typed: { invitees: "ken.sato@city.example.lg.jp, 定例打合せ" },
      ja: "参加者のメールアドレスが正しくありません：定例打合せ",
      en: "An invitee's mail address is not valid: 定例打合せ",
    },
    {
      clause: "a date that does not exist",
      typed: { date: "2027-02-30" },
      ja: "日付が正しくありません：2027-02-30",
      en: "The date is not valid: 2027-02-30",
    },
    {
      clause: "a time past 23:59",
      typed: { time: "25:99" },
      ja: "開始時刻は 00:00〜23:59 で入力してください：25:99",
      en: "Enter the start time as 00:00–23:59: 25:99",
    },
    {
      clause: "an empty title",
      typed: { title: "  " },
      ja: "会議名を入力してください。",
      en: "Title is required.",
    },
    {
      clause: "a title longer than 200 characters",
      typed: { title: "会".repeat(201) },
      ja: "会議名は 200 文字以内で入力してください（201 文字）。",
      en: "Title can be at most 200 characters (201 entered).",
    },
    {
      clause: "a duration under 5 minutes",
      typed: { duration: "3" },
      ja: "時間（分）は 5〜1440 の整数で入力してください：3",
      en: "Enter the duration as whole minutes from 5 to 1440: 3",
    },
    {
      clause: "a duration that is not a number",
      typed: { duration: "一時間" },
      ja: "時間（分）は 5〜1440 の整数で入力してください：一時間",
      en: "Enter the duration as whole minutes from 5 to 1440: 一時間",
      notKept: ["duration"],
    },
    {
      clause: "a service not offered",
      typed: { service: "skype" },
      ja: "会議サービスを一覧から選んでください。",
      en: "Meeting service: please choose one of the options.",
      notKept: ["service"],
    },
    {
      clause: "a toggle neither on nor off",
      typed: { external: "maybe" },
      ja: "「市の職員以外の参加者がいる」はオンかオフで答えてください。",
      en: '"There are participants from outside the city" is either on or off.',
      notKept: ["external"],
    },
    {
      clause: "a number where text belongs",
      typed: { title: 42 },
      ja: "会議名が正しくありません：42",
      en: "Title is not valid: 42",
    },
    {
      clause: "a list where the invitees box's text belongs",
      typed: { invitees: ["ken.sato@city.example.lg.jp"] },
      ja: "参加者のメールアドレスが正しくありません",
      en: "An invitee's mail address is not valid",
      notKept: ["invitees"],
    },
  ];

  for (const c of cases)
    for (const [lang, locale] of langs)
      it(`${c.clause} (${lang})`, async () => {
        const before = await written();
        const typed = { ...schedule, ...c.typed };
        const card = await press("schedule.submit", typed, locale);
        expect(said(card)).toEqual([c[lang]]);
        expectSmallPrint(card);
        expect(card.actions.map((a) => a.verb)).toEqual(["schedule.submit"]);
        expect(card.actions[0]?.data).toMatchObject({ requestId: "req-schedule" });
        for (const [id, value] of Object.entries(typed)) {
          const shown = input(card, id);
          if (id === "requestId") continue;
          if (c.notKept?.includes(id)) expect(shown?.value).not.toBe(value);
          else if (id === "duration") expect(shown?.value).toBe(Number(value));
          else expect(shown?.value).toBe(typeof value === "number" ? String(value) : value);
        }
        expect(await written()).toBe(before);
      });

  it("several wrong values are each named, in the order of the card", async () => {
    const card = await press("schedule.submit", {
      ...schedule,
      title: "",
      date: "tomorrow",
      time: "9",
      invitees: "a@b",
    });
    expect(said(card)).toEqual([
      "会議名を入力してください。",
      "日付が正しくありません：tomorrow",
      "開始時刻は 00:00〜23:59 で入力してください：9",
      "参加者のメールアドレスが正しくありません：a@b",
    ]);
  });

  it("card data that is not an object at all, or a huge value, is a clear answer, not HTTP 500", async () => {
    const before = await written();
    const broken = await press("schedule.submit", "title=会議");
    expect(said(broken)).toEqual([
      "このカードのデータが正しくありません。新しいカードからやり直してください。",
    ]);
    const huge = await press("schedule.submit", { ...schedule, invitees: "x".repeat(100_000) });
    expect(said(huge)[0]).toMatch(/^参加者のメールアドレスが正しくありません：x{40}…$/);
    expect(String(input(huge, "invitees")?.value)).toHaveLength(4000);
    expect(await written()).toBe(before);
  });
});

describe("Teams: every other card with inputs answers bad input with itself, as typed", () => {
  it.each(langs)("the tier card: no tier chosen, or one not offered (%s)", async (lang, locale) => {
    const id = await draft();
    const before = await written();
    const none = await press("tier.submit", { requestId: id }, locale);
    expect(said(none)).toEqual([
      lang === "ja" ? "機密性区分を選んでください。" : "Confidentiality tier: please choose one.",
    ]);
    expectSmallPrint(none);
    expect(none.actions).toEqual([
      expect.objectContaining({
        verb: "tier.submit",
        data: expect.objectContaining({ requestId: id }),
      }),
    ]);
    const wrong = await press("tier.submit", { requestId: id, tier: "IV" }, locale);
    expect(said(wrong)).toEqual([
      lang === "ja"
        ? "機密性区分を一覧から選んでください。"
        : "Confidentiality tier: please choose one of the options.",
    ]);
    expect(await written()).toBe(before);
  });

  it.each(langs)("the approval card: a reason over 500 characters (%s)", async (lang, locale) => {
    const id = await draft({ external: "true", invitees: "lecturer@example.com" });
    await press("tier.submit", { requestId: id, tier: "I" });
    const before = await written();
    const reason = "理".repeat(501);
    const card = await press(
      "approval.answer",
      { requestId: id, kind: "external-participants", decision: "refused", reason },
      locale,
    );
    expect(said(card)).toEqual([
      lang === "ja"
        ? "理由は 500 文字以内で入力してください（501 文字）。"
        : "Reason can be at most 500 characters (501 entered).",
    ]);
    expectSmallPrint(card);
    expect(input(card, "reason")?.value).toBe(reason);
    expect(card.actions.map((a) => a.data?.decision)).toEqual(["approved", "refused"]);
    expect(await written()).toBe(before);
  });

  it.each(langs)(
    "the tier-decision approval card: approved with no tier chosen (%s)",
    async (lang, locale) => {
      const id = await draft();
      await press("tier.submit", { requestId: id, tier: "unknown" });
      const before = await written();
      const typed = {
        requestId: id,
        kind: "tier-decision",
        decision: "approved",
        reason: "区分IIが妥当",
      };
      const card = await press("approval.answer", typed, locale);
      expect(said(card)).toEqual([
        lang === "ja" ? "機密性区分を選んでください。" : "Confidentiality tier: please choose one.",
      ]);
      expect(input(card, "tier")).toBeDefined();
      expect(input(card, "reason")?.value).toBe("区分IIが妥当");
      expect(await written()).toBe(before);
    },
  );

  it.each(langs)("the incident card: what was seen left empty (%s)", async (lang, locale) => {
    const before = await written();
    const typed = { requestId: "inc-1", kind: "peeping", meeting: "3月の定例会", description: " " };
    const card = await press("incident.report", typed, locale);
    expect(said(card)).toEqual([
      lang === "ja" ? "状況を入力してください。" : "What you saw is required.",
    ]);
    expectSmallPrint(card);
    expect(input(card, "kind")?.value).toBe("peeping");
    expect(input(card, "meeting")?.value).toBe("3月の定例会");
    expect(input(card, "description")?.value).toBe(" ");
    expect(card.actions).toEqual([
      expect.objectContaining({
        verb: "incident.report",
        data: expect.objectContaining({ requestId: "inc-1" }),
      }),
    ]);
    expect(await written()).toBe(before);
  });

  it.each(langs)(
    "the cleanup card: a device not in the list, a name missing or too long (%s)",
    async (lang, locale) => {
      await upsertDevice(app.db.kysely, TENANT, {
        id: "tab-01",
        label: "会議用タブレット1",
        department: "企画課",
      });
      const id = await draft({ departmentDevice: "true", recording: "false" });
      await press("tier.submit", { requestId: id, tier: "I" });
      await press("meeting.confirm", { requestId: id });
      // The meeting ends and its cleanup opens (what the meeting-end event and its timer do).
      for (const type of ["end", "open-cleanup"] as const)
        await app.app.governor.handle(
          { eventId: `${type}-${id}`, tenantId: TENANT, meetingId: id, actor: "system:test" },
          { type },
        );
      const before = await written();
      const item = { requestId: id, itemId: "device-logbook" };
      const noDevice = await press(
        "cleanup.confirm",
        { ...item, deviceId: "tab-99", userName: "山田 花子" },
        locale,
      );
      expect(said(noDevice)).toEqual([
        lang === "ja"
          ? "使用した端末を一覧から選んでください。"
          : "Device used: please choose one of the options.",
      ]);
      expectSmallPrint(noDevice);
      expect(input(noDevice, "userName")?.value).toBe("山田 花子");
      expect(input(noDevice, "deviceId")?.value).toBeUndefined();
      expect(noDevice.actions.map((a) => a.data?.itemId)).toContain("device-logbook");

      const noName = await press("cleanup.confirm", { ...item, deviceId: "tab-01" }, locale);
      expect(said(noName)).toEqual([
        lang === "ja"
          ? "使用者の氏名を入力してください。"
          : "Name of the person who used it is required.",
      ]);
      expect(input(noName, "deviceId")?.value).toBe("tab-01");

      const long = "山".repeat(101);
      const tooLong = await press(
        "cleanup.confirm",
        { ...item, deviceId: "tab-01", userName: long },
        locale,
      );
      expect(said(tooLong)[0]).toContain(lang === "ja" ? "100 文字以内" : "at most 100 characters");
      expect(input(tooLong, "userName")?.value).toBe(long);
      expect(await written()).toBe(before);
      expect(await deviceLogbook(app.db.kysely, TENANT)).toEqual([]);
    },
  );
});
