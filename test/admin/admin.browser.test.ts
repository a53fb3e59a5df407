import { mkdirSync, readFileSync } from "node:fs";
import type { Browser } from "playwright-core";
import { launchChromium } from "../_browser.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/accounts.js";
import type { App } from "../../src/app.js";
import type { Database } from "../../src/store/db.js";
import { draftInput } from "../_util.js";
import { listeningApp } from "../_app.js";
import type { GovernorInput } from "../../src/governor/inputs.js";
import { saveConversation } from "../../src/store/repos/conversations.js";

const SHOTS = "test-artifacts/admin";
const APPROVER = "aad:approver-oid";
let browser: Browser;
let app: App;
let db: Database;
let close: () => Promise<void> = () => Promise.resolve();
let url = "";
let password = "";

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  ({ app, db, url, close } = await listeningApp());
  // The admin is also the approver the tenant's directory will name (set in the page below).
  password = await createAdmin(
    db.kysely,
    "city-a",
    "admin@city-a.example.lg.jp",
    new Date(),
    APPROVER,
  );
  // The organizer's name is known from the personal chat Teams keeps (as the bot saves it).
  await saveConversation(db.kysely, {
    tenantId: "city-a",
    personId: "aad:org",
    channel: "teams",
    reference: { user: { id: "29:org", name: "山田 花子", aadObjectId: "org" } },
    at: new Date(),
  });
  for (const [id, title, tier] of [
    ["m1", "総務課 定例", "I"],
    ["m2", "審議会（第2回）", "II"],
  ] as const) {
    const env = { tenantId: "city-a", meetingId: id, actor: "aad:org" };
    const draft = draftInput(title);
    await app.governor.handle(
      { ...env, eventId: `d-${id}` },
      { ...draft, plan: { ...draft.plan, recording: id === "m2" } },
    );
    await app.governor.handle({ ...env, eventId: `t-${id}` }, { type: "tier-answered", tier });
  }
  // The 審議会 is held with recording planned; 佐藤 健 joins and refuses consent.
  const m2 = (eventId: string, actor: string, input: GovernorInput) =>
    app.governor.handle({ tenantId: "city-a", meetingId: "m2", actor, eventId }, input);
  await m2("c-m2", "aad:org", { type: "confirm" });
  await m2("s-m2", "system:teams", { type: "start" });
  const sato = { id: "aad:sato", name: "佐藤 健" };
  await m2("j-m2", "system:teams", {
    type: "participant-joined",
    participant: sato,
    at: new Date().toISOString(),
  });
  await m2("r-m2", sato.id, { type: "consent-answered", answer: "refuse", cardVersion: 1 });
  await m2("e-m2", "system:teams", { type: "end" });
  await m2("o-m2", "system:timer", { type: "open-cleanup" });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser.close();
  await close();
});

it("an admin signs in, sets the approver directory, approves a request, filters meetings, opens a timeline, verifies the log and exports CSV (Chromium)", async () => {
  const page = await browser.newPage({
    viewport: { width: 1366, height: 768 },
    locale: "ja-JP",
    acceptDownloads: true,
  });
  await page.goto(`${url}/admin/meetings`);
  await page.getByLabel("テナント").fill("city-a");
  await page.getByLabel("メールアドレス").fill("admin@city-a.example.lg.jp");
  await page.getByLabel("パスワード").fill(password);
  await page.screenshot({ path: `${SHOTS}/1-sign-in.png` });
  await page.getByRole("button", { name: "サインイン" }).click();
  await page.getByRole("heading", { name: /^概要 — / }).waitFor();
  // The overview of the seeded month, on a laptop screen: no sideways scrolling.
  await page.getByLabel("対象の月").fill("2026-12");
  await page.getByRole("button", { name: "表示する" }).click();
  await page.getByRole("heading", { name: "概要 — 2026年12月" }).waitFor();
  expect(await page.locator("figure svg").count()).toBeGreaterThanOrEqual(2);
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
    1366,
  );
  await page.screenshot({ path: `${SHOTS}/0-dashboard.png`, fullPage: true });
  await page.getByRole("link", { name: "会議", exact: true }).click();
  await page.getByRole("heading", { name: "会議一覧" }).waitFor();
  expect(await page.getByRole("row").count()).toBe(3);
  expect(await page.innerText("main")).not.toContain("aad:org");

  // The tenant's directory, in its form: previewed as a diff, then applied.
  await page.getByRole("link", { name: "ポリシー・連絡先" }).click();
  await page.getByLabel("外部参加者", { exact: true }).fill(APPROVER);
  await page
    .locator('form[action="/admin/policy/directory"]')
    .getByRole("button", { name: "変更点を確認する" })
    .click();
  await page.getByRole("cell", { name: "directory.approvers.external-participants" }).waitFor();
  await page.screenshot({ path: `${SHOTS}/2-policy-preview.png` });
  await page.getByRole("button", { name: "適用する" }).click();
  await page.getByText("第1版を適用しました").waitFor();
  await page.screenshot({ path: `${SHOTS}/3-policy-applied.png`, fullPage: true });

  // An organizer asks for an external participant; the request reaches this approver.
  const base = draftInput("外部講師との打合せ");
  const env = { tenantId: "city-a", meetingId: "m3", actor: "aad:org" };
  await app.governor.handle(
    { ...env, eventId: "d-m3" },
    { ...base, plan: { ...base.plan, external: true } },
  );
  await app.governor.handle({ ...env, eventId: "t-m3" }, { type: "tier-answered", tier: "I" });
  await app.governor.handle({ ...env, eventId: "c-m3" }, { type: "confirm" });
  await page.getByRole("link", { name: "承認待ち" }).click();
  await page.getByRole("link", { name: "外部講師との打合せ" }).waitFor();
  await page.getByLabel("理由（任意）").fill("講師の所属を確認済み");
  await page.screenshot({ path: `${SHOTS}/4-approval.png` });
  await page.getByRole("button", { name: "承認する" }).click();
  await page.getByText("回答を記録しました").waitFor();
  expect(await page.getByRole("link", { name: "外部講師との打合せ" }).count()).toBe(0);

  await page.getByRole("link", { name: "未完了・エスカレーション" }).click();
  await page.getByRole("heading", { name: "未完了の後始末" }).waitFor();
  await page.getByRole("link", { name: "会議", exact: true }).click();
  await page.locator('select[name="tier"]').selectOption("II");
  await page.getByLabel("開始日（から）").fill("2026-12-01");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await page.getByText("1 件").waitFor();
  await page.screenshot({ path: `${SHOTS}/5-filtered.png` });
  await page.getByRole("link", { name: "審議会（第2回）" }).click();
  await page.getByRole("heading", { name: "記録（タイムライン）" }).waitFor();
  const timeline = await page.innerText("main");
  expect(timeline).toContain("山田 花子 さんが機密性区分IIと回答しました");
  expect(timeline).toMatch(/佐藤 健 さんが録画に同意しませんでした\s*〔KWS 4\(3\)エ〕/);
  expect(timeline).toMatch(/\d{4}年\d{1,2}月\d{1,2}日\([日月火水木金土]\) \d{2}:\d{2}/);
  expect(timeline).not.toMatch(/aad:(org|sato)|\d{4}-\d{2}-\d{2}T\d{2}:/);
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(
    1366,
  );
  await page.screenshot({ path: `${SHOTS}/6-timeline.png`, fullPage: true });
  // The raw entry is one click away.
  await page
    .getByText(/記録そのもの #/)
    .last()
    .click();
  expect(await page.locator("details[open] pre").innerText()).toContain('"hash"');
  // Printed: no menu, filters or buttons; black on white; the raw entries left out.
  await page.emulateMedia({ media: "print" });
  expect(await page.locator("header nav").isVisible()).toBe(false);
  expect(await page.locator("details").first().isVisible()).toBe(false);
  expect(await page.evaluate<string>("getComputedStyle(document.body).backgroundColor")).toBe(
    "rgb(255, 255, 255)",
  );
  await page.screenshot({ path: `${SHOTS}/6-timeline-print.png`, fullPage: true });
  await page.pdf({ path: `${SHOTS}/6-timeline.pdf`, format: "A4" });
  await page.emulateMedia({ media: "screen" });
  await page.getByRole("button", { name: "ログを検証" }).click();
  await page.getByRole("heading", { name: "ログは改ざんされていません" }).waitFor();
  await page.screenshot({ path: `${SHOTS}/7-verified.png` });

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "ログCSV" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("kaigi-guard-log.csv");
  const csv = readFileSync(await download.path(), "utf8");
  expect(csv.split("\n")[0]).toContain("hash");
  expect(csv).toContain("approval.answered");
  expect(csv).toContain("admin.policy_changed");
  await page.close();
}, 90_000);
