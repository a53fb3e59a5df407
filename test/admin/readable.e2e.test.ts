import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/accounts.js";
import { actionKinds, sentenceOf } from "../../src/admin/sentences.js";
import type { App } from "../../src/app.js";
import { FixedClock } from "../../src/clock.js";
import type { GovernorInput } from "../../src/governor/inputs.js";
import type { Database } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { saveConversation } from "../../src/store/repos/conversations.js";
import { listeningApp } from "../_app.js";
import { draftInput, preset } from "../_util.js";
import { countsOf, getPage, signIn, visibleText } from "./_console.js";

const T = "city-r";
const ORGANIZER = "aad:org-yamada";
const SATO = "aad:p-sato";
const clock = new FixedClock("2026-10-01T00:00:00.000Z");
const moveTo = (iso: string) => {
  clock.advance(new Date(iso).getTime() - clock.now().getTime());
};
let app: App;
let db: Database;
let url = "";
let session = "";
let close: () => Promise<void> = () => Promise.resolve();
let n = 0;

async function run(meetingId: string, actor: string, input: GovernorInput) {
  n++;
  const out = await app.governor.handle(
    { eventId: `e-${String(n)}`, tenantId: T, meetingId, actor },
    input,
  );
  expect(out.status, `${meetingId} ${input.type}`).toBe("done");
}

/** A meeting booked by the organizer starting at `startsAt` (one hour), its tier answered. */
async function book(id: string, startsAt: string, service: string, tier?: "I" | "II" | "III") {
  const draft = draftInput(`会議 ${id}`, service);
  const endsAt = new Date(new Date(startsAt).getTime() + 3_600_000).toISOString();
  await run(id, ORGANIZER, { ...draft, startsAt, endsAt, plan: { ...draft.plan } });
  if (tier) await run(id, ORGANIZER, { type: "tier-answered", tier });
}

const page = async (path: string) => {
  const res = await getPage(url, path, session);
  expect(res.status, path).toBe(200);
  return res.text();
};

beforeAll(async () => {
  ({ app, db, url, close } = await listeningApp({ clock }));
  // Teams keeps the sender's name in the personal chat's reference (as the bot saves it).
  await saveConversation(db.kysely, {
    tenantId: T,
    personId: ORGANIZER,
    channel: "teams",
    reference: { user: { id: "29:yamada", name: "山田 花子", aadObjectId: "org-yamada" } },
    at: clock.now(),
  });
  // November 2026, in Japan time: the first and last minutes are in, the ones around are not.
  await book("n-7", "2026-10-31T14:59:00.000Z", "teams", "II"); // 10/31 23:59 JST: October
  await book("n-1", "2026-10-31T15:30:00.000Z", "teams", "I"); // 11/1 00:30 JST
  await book("n-2", "2026-11-10T01:00:00.000Z", "webex", "II");
  await book("n-3", "2026-11-15T01:00:00.000Z", "teams", "II");
  await book("n-4", "2026-11-20T01:00:00.000Z", "zoom", "III");
  await book("n-5", "2026-11-30T14:59:00.000Z", "google-meet"); // 11/30 23:59 JST, no tier yet
  await book("n-6", "2026-11-30T15:00:00.000Z", "teams", "I"); // 12/1 00:00 JST: December
  for (const id of ["n-2", "n-3"]) await run(id, ORGANIZER, { type: "confirm" });
  moveTo("2026-11-10T01:00:00.000Z");
  await run("n-2", "system:webex", { type: "start" });
  for (const [who, answer] of [
    ["aad:p-1", "refuse"],
    ["aad:p-2", "agree"],
  ] as const) {
    const participant = { id: who, name: `参加者 ${who.slice(-1)}` };
    await run("n-2", "system:webex", {
      type: "participant-joined",
      participant,
      at: clock.now().toISOString(),
    });
    await run("n-2", who, { type: "consent-answered", answer, cardVersion: 1 });
  }
  await run("n-2", "system:webex", { type: "end" });
  await run("n-2", "system:timer", { type: "open-cleanup" });
  moveTo("2026-11-20T03:00:00.000Z");
  for (const kind of ["peeping", "loss"] as const)
    await app.governor.reportIncident(
      { eventId: `inc-${kind}`, tenantId: T, actor: ORGANIZER },
      { kind, description: "…" },
    );
  await db.transaction((trx) =>
    appendLog(trx, clock, [
      {
        tenantId: T,
        meetingId: "n-3",
        actor: "system:timer",
        action: "meeting.escalated",
        payload: { reason: "cleanup-overdue", open: ["cloud-data"] },
      },
    ]),
  );

  // December: a tier II meeting with recording; 佐藤 健 joins and refuses consent.
  moveTo("2026-12-20T00:00:00.000Z");
  const draft = draftInput("審議会（第3回）");
  await run("r-1", ORGANIZER, {
    ...draft,
    startsAt: "2026-12-20T01:00:00.000Z",
    endsAt: "2026-12-20T02:00:00.000Z",
    plan: { ...draft.plan, recording: true },
  });
  await run("r-1", ORGANIZER, { type: "tier-answered", tier: "II" });
  await run("r-1", ORGANIZER, { type: "confirm" });
  moveTo("2026-12-20T01:00:00.000Z");
  await run("r-1", "system:teams", { type: "start" });
  await run("r-1", "system:teams", {
    type: "participant-joined",
    participant: { id: SATO, name: "佐藤 健" },
    at: clock.now().toISOString(),
  });
  await run("r-1", SATO, { type: "consent-answered", answer: "refuse", cardVersion: 1 });
  moveTo("2026-12-20T02:00:00.000Z");
  await run("r-1", "system:teams", { type: "end" });
  await run("r-1", "system:timer", { type: "open-cleanup" });
  // An external guest needs an approval, which waits.
  const external = draftInput("外部講師との打合せ");
  await run("x-1", ORGANIZER, { ...external, plan: { ...external.plan, external: true } });
  await run("x-1", ORGANIZER, { type: "tier-answered", tier: "II" });
  await run("x-1", ORGANIZER, { type: "confirm" });

  moveTo("2026-12-20T03:00:00.000Z");
  const password = await createAdmin(db.kysely, T, "audit@city-r.example.lg.jp", clock.now());
  ({ session } = await signIn(url, T, "audit@city-r.example.lg.jp", password));
}, 60_000);

afterAll(() => close());

describe("the console for 情報管理課 reviewers (issue 22 item 3)", () => {
  it("a timeline says each entry as a sentence with its clause, in Japan time, the raw entry one click away", async () => {
    const html = await page("/admin/meetings/r-1");
    const text = visibleText(html);
    expect(text).toMatch(/佐藤 健 さんが録画に同意しませんでした\s*〔KWS 4\(3\)エ〕/);
    expect(text).toMatch(/佐藤 健 さんが参加しました/);
    expect(text).toMatch(/山田 花子 さんが機密性区分IIと回答しました\s*〔KSS/);
    expect(text).toContain("2026年12月20日(日) 10:00");
    expect(text).toContain("2026年12月20日(日) 11:00");
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    expect(text).toContain("会議後の確認待ち");
    // The UTC instant is in the markup and on hover; the stored entry is inside <details>.
    expect(html).toContain('datetime="2026-12-20T01:00:00.000Z"');
    expect(html).toMatch(
      /<details><summary>記録そのもの #\d+<\/summary><pre>[^<]*consent\.answered/,
    );
    const en = visibleText(await page("/admin/meetings/r-1?lang=en"));
    expect(en).toMatch(/佐藤 健 did not consent to recording\s*〔KWS 4\(3\)エ〕/);
    expect(en).toContain("Sun 20 Dec 2026, 10:00 JST");
  });

  it("exports keep the exact UTC time of each entry", async () => {
    const csv = await page("/admin/export/log.csv");
    expect(csv).toContain(",2026-12-20T01:00:00.000Z,r-1,");
    const json = (await (await getPage(url, "/admin/export/log.json", session)).json()) as {
      at: string;
    }[];
    expect(json.every((e) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(e.at))).toBe(
      true,
    );
    expect(json.some((e) => e.at === "2026-12-20T01:00:00.000Z")).toBe(true);
  });

  it("no page shows a raw aad: id where a display name is known", async () => {
    const known = { [ORGANIZER]: "山田 花子", [SATO]: "佐藤 健" };
    // path → the names the page must show in place of their ids
    const pages: Record<string, string[]> = {
      "/admin/dashboard": ["山田 花子", "佐藤 健"],
      "/admin/dashboard?month=2026-11": ["山田 花子"],
      "/admin/meetings": ["山田 花子"],
      "/admin/meetings?organizer=aad%3Aorg-yamada": ["山田 花子"],
      "/admin/meetings/r-1": ["山田 花子", "佐藤 健"],
      "/admin/meetings/n-2": ["山田 花子"],
      "/admin/approvals": ["山田 花子"],
      "/admin/cleanups": [],
      "/admin/incidents": ["山田 花子"],
    };
    for (const [path, names] of Object.entries(pages)) {
      const text = visibleText(await page(path));
      for (const id of Object.keys(known))
        expect.soft(text, `${path} shows ${id}`).not.toContain(id);
      for (const name of names) expect.soft(text, `${path} names ${name}`).toContain(name);
    }
  });
});

/** One payload with every field some action's sentence reads. */
const SAMPLE = {
  tier: "II",
  kind: "external-participants",
  decision: "approved",
  reason: "cleanup-overdue",
  answer: "refuse",
  mode: "all-participants",
  n: 2,
  open: ["cloud-data"],
  item: "cloud-data",
  items: [{ id: "cloud-data", cite: "KWS 4(4)" }],
  people: 3,
  receipt: "INC-20261220-ABCDEF",
  contacts: 2,
  days: 30,
  ok: true,
  entries: 10,
  what: "kaigi-guard-log.csv",
  outboxId: 4,
  version: 2,
  fields: ["lobby"],
  drift: [],
  mismatches: [],
  error: "PLATFORM_DOWN",
  input: "confirm",
  code: "NOT_ORGANIZER",
  refusals: ["service-unknown"],
  admitted: 2,
  keptInLobby: 1,
  missing: 1,
  invited: true,
  startsAt: "2026-12-20T01:00:00.000Z",
  plan: { service: "teams" },
};

describe("every log action has a Japanese and an English sentence (issue 22 item 3)", () => {
  it("a timeline with an entry of every action kind says each in both languages, none as its bare code", async () => {
    await book("k-1", "2026-12-21T01:00:00.000Z", "teams", "II");
    await db.transaction((trx) =>
      appendLog(
        trx,
        clock,
        actionKinds.map((action) => ({
          tenantId: T,
          meetingId: "k-1",
          actor: ORGANIZER,
          action,
          payload: SAMPLE,
          sensitive: { personId: SATO },
        })),
      ),
    );
    const html = await page("/admin/meetings/k-1");
    for (const action of actionKinds) {
      const row = html.split("<tr>").find((r) => r.includes(`<code>${action}</code>`)) ?? "";
      const ja = /class="say" lang="ja">([^<]+)</.exec(row)?.[1] ?? "";
      const en = /class="say" lang="en">([^<]+)</.exec(row)?.[1] ?? "";
      expect.soft(ja, action).toMatch(/[ぁ-んァ-ヶ一-龠]/);
      expect.soft(ja, action).not.toMatch(/^記録：/);
      expect.soft(en, action).toMatch(/[A-Za-z]{3,}/);
      expect.soft(en, action).not.toMatch(/[ぁ-んァ-ヶ]/);
      expect.soft(en, action).not.toBe(ja);
      expect.soft(en, action).not.toMatch(/^Entry: /);
      expect.soft(row, action).not.toContain("undefined");
    }
    // What a sentence does not know is said as its code, which the checks above would catch.
    const unknown = sentenceOf("made.up", {
      payload: {},
      by: { ja: "", en: "" },
      about: { ja: "", en: "" },
      policy: preset("kawasaki"),
    });
    expect(unknown).toEqual({ ja: "記録：made.up", en: "Entry: made.up" });
  });
});

describe("the overview (issue 22 item 3: an auditor's questions at a glance)", () => {
  /** The Japan month of an instant, computed apart from the console (Intl's tz database). */
  const japanMonthOf = (iso: string) =>
    new Date(iso).toLocaleString("sv-SE", { timeZone: "Asia/Tokyo" }).slice(0, 7);

  it("its counts for a seeded month match the database", async () => {
    const html = await page("/admin/dashboard?month=2026-11");
    const counts = countsOf(html);
    // What the seed put in November (JST): the boundary meetings n-7 and n-6 are not in it.
    expect(counts).toMatchObject({
      meetings: 5,
      "tier:I": 1,
      "tier:II": 2,
      "tier:III": 1,
      "tier:none": 1,
      "service:teams": 2,
      "service:webex": 1,
      "service:zoom": 1,
      "service:google-meet": 1,
      refusals: 1,
      incidents: 2,
      "incident:peeping": 1,
      "incident:loss": 1,
      escalations: 1,
      "escalation:cleanup-overdue": 1,
    });
    // And what the database says, counted here without the console's code.
    const meetings = (
      await db.kysely
        .selectFrom("meetings")
        .select(["data", "starts_at"])
        .where("tenant_id", "=", T)
        .execute()
    )
      .filter((m) => m.starts_at && japanMonthOf(m.starts_at) === "2026-11")
      .map((m) => JSON.parse(m.data) as { tier?: string; plan?: { service: string } });
    expect(counts.meetings).toBe(meetings.length);
    for (const tier of ["I", "II", "III"])
      expect(counts[`tier:${tier}`] ?? 0, tier).toBe(
        meetings.filter((m) => m.tier === tier).length,
      );
    for (const service of ["teams", "webex", "zoom", "google-meet"])
      expect(counts[`service:${service}`] ?? 0, service).toBe(
        meetings.filter((m) => m.plan?.service === service).length,
      );
    const entries = (
      await db.kysely
        .selectFrom("log_entries")
        .select(["at", "action", "payload"])
        .where("tenant_id", "=", T)
        .execute()
    ).filter((e) => japanMonthOf(e.at) === "2026-11");
    const refusals = entries.filter(
      (e) =>
        e.action === "consent.answered" &&
        (JSON.parse(e.payload) as { answer?: string }).answer === "refuse",
    );
    expect(counts.refusals).toBe(refusals.length);
    expect(counts.incidents).toBe(entries.filter((e) => e.action === "incident.reported").length);
    expect(counts.escalations).toBe(entries.filter((e) => e.action === "meeting.escalated").length);
    // Open clean-ups and pending approvals are as of now, whatever the month.
    const ours = <R extends { tenant_id: string }>(all: R[]) =>
      all.filter((r) => r.tenant_id === T);
    const open = ours(await db.kysely.selectFrom("cleanup_items").selectAll().execute()).filter(
      (c) => c.done === 0,
    );
    expect(open.length).toBeGreaterThan(0);
    expect(counts["cleanup-items"]).toBe(open.length);
    expect(counts["cleanup-meetings"]).toBe(new Set(open.map((o) => o.meeting_id)).size);
    const waiting = ours(await db.kysely.selectFrom("approvals").selectAll().execute()).filter(
      (a) => a.status === "pending",
    );
    expect(waiting.length).toBe(1);
    expect(counts.approvals).toBe(waiting.length);
    // n-2 ended 40 days before "now"; r-1 an hour before.
    expect(counts["bucket:over-7d"]).toBeGreaterThanOrEqual(1);
    expect(counts["bucket:under-1d"]).toBe(1);
    // Charts are inline SVG drawn here: no script, no outside address.
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(2);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });

  it("this month by default; a month that is not one is named in Japanese and English, and answers 400", async () => {
    expect(visibleText(await page("/admin/dashboard"))).toContain("概要 — 2026年12月");
    const bad = await getPage(url, "/admin/dashboard?month=2026-13", session);
    expect(bad.status).toBe(400);
    const text = visibleText(await bad.text());
    expect(text).toContain("対象の月が正しくありません");
    expect(text).toContain("The month is not a month");
  });
});
