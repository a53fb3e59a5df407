import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONAS } from "../../src/local/personas.js";
import { launchChromium } from "../_browser.js";
import { startLocalApp } from "../_local.js";
import { cards, clock } from "./_playground.js";

/**
 * The whole life of a tier II meeting with recording planned, clicked through the playground in
 * Debian's Chromium on the Teams rendering: the meeting clock makes the simulated Teams send the
 * meeting's events and moves the app's clock on, the bot runs its production paths. Screenshots
 * of each step go to test-artifacts/meeting-life/.
 */

const SHOTS = "test-artifacts/meeting-life";
let browser: Browser;
let local: Awaited<ReturnType<typeof startLocalApp>>;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  local = await startLocalApp({ idleMs: 200 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser.close();
  await local.stop();
});

async function shot(page: Page, name: string) {
  // The viewport: the newest message (the chat scrolls to it) beside the meeting clock.
  await page.screenshot({ path: `${SHOTS}/${name}.png` });
}

async function as(page: Page, persona: keyof typeof PERSONAS, chat: "bot" | "meeting") {
  await page.getByLabel("persona").selectOption(persona);
  await page.getByLabel("chat").selectOption({ index: chat === "bot" ? 0 : 1 });
}

describe("a tier II meeting from scheduling to the last reminder, in the playground", () => {
  it("schedule → tier → create → start → late joiner refuses consent → end → reminders → every check done → the admin timeline", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(local.url);

    // Schedule, tier, create.
    await page.getByLabel("message").fill("予約");
    await page.getByRole("button", { name: "送信 / Send" }).click();
    const schedule = page.locator(".ac-adaptiveCard").last();
    await schedule.getByLabel("会議名").waitFor();
    await schedule.getByLabel("会議名").fill("第4回 審査会");
    await schedule.getByLabel("開催日").fill("2026-12-10");
    await schedule.getByLabel("開始時刻").fill("10:00");
    await schedule.getByLabel("会議サービス").selectOption("teams");
    await schedule.getByLabel(/参加者（メールアドレス/).fill(PERSONAS.participant.email);
    await schedule.getByText("録画・録音を予定している").first().click();
    await shot(page, "01-schedule");
    await schedule.getByRole("button", { name: "次へ" }).click();
    const tier = cards(page, "機密性区分").last();
    await tier.getByRole("radio", { name: "機密性区分II", exact: true }).check();
    await shot(page, "02-tier");
    await tier.getByRole("button", { name: "この区分で確定" }).click();
    const verdict = cards(page, "この会議は開催できます").last();
    await verdict.waitFor();
    await verdict.getByRole("button", { name: "この内容で会議を作成" }).click();
    await cards(page, "会議を作成しました").last().waitFor({ timeout: 15_000 });
    await shot(page, "03-created");

    // The meeting clock knows the meeting; start it and start recording.
    await expect
      .poll(() => page.getByLabel("meeting", { exact: true }).innerText(), { timeout: 10_000 })
      .toContain("第4回 審査会");
    await clock(page, /会議を開始/);
    await expect.poll(() => page.locator("#clock-status").innerText()).toContain("開催中");
    await clock(page, /録画を開始/);
    await shot(page, "04-started-recording");

    // 佐藤 健 joins late: the consent card in the meeting chat, his own view; he refuses.
    await page.getByLabel("who joins").selectOption("participant");
    await clock(page, /参加させる/);
    await as(page, "participant", "meeting");
    const consent = cards(page, "録画・文字起こしの同意確認").last();
    await consent.getByRole("button", { name: "同意しない" }).waitFor({ timeout: 10_000 });
    await shot(page, "05-consent-card");
    await consent.getByRole("button", { name: "同意しない" }).click();
    await cards(page, "あなたの回答: 同意しない").last().waitFor({ timeout: 10_000 });
    await shot(page, "06-refused");

    // The organizer is told at once, with the clause: recording must stop.
    await as(page, "organizer", "bot");
    const told = cards(page, "録画に同意しませんでした").last();
    await told.waitFor({ timeout: 10_000 });
    const telling = await told.innerText();
    expect(telling).toContain("佐藤 健（参加者） さんが録画に同意しませんでした");
    expect(telling).toContain("録画中であれば停止してください");
    expect(telling).toContain("〔KWS 4(3)エ〕");
    await shot(page, "07-organizer-told");
    await clock(page, /録画を停止/);
    // Graph tells the bot's recordings subscription: made without everyone's consent.
    const made = cards(page, "録画が作成されましたが").last();
    await made.waitFor({ timeout: 10_000 });
    expect(await made.innerText()).toContain("〔KWS 4(3)エ〕");
    await shot(page, "07b-recording-reported");

    // End: the after-meeting card, listing the recording Teams keeps.
    await clock(page, /会議を終了/);
    const cleanup = cards(page, "会議が終わりました").last();
    await cleanup.waitFor({ timeout: 10_000 });
    expect(await cleanup.innerText()).toContain("Teams にまだ録画 1 件");
    await shot(page, "08-cleanup-card");

    // Time passes: a reminder, and another.
    await clock(page, /次の予定まで時間を進める/);
    await cards(page, "1回目のお知らせ").last().waitFor({ timeout: 10_000 });
    await shot(page, "09-reminder-1");
    await clock(page, /次の予定まで時間を進める/);
    const second = cards(page, "2回目のお知らせ").last();
    await second.waitFor({ timeout: 10_000 });
    await shot(page, "10-reminder-2");

    // Every item confirmed: the recording first deleted in Teams.
    await clock(page, /Teams で録画を削除/);
    for (;;) {
      const open = cards(page, /2回目のお知らせ|会議が終わりました/)
        .last()
        .getByRole("button", { name: /^完了/ });
      if ((await open.count()) === 0) break;
      await open.first().click();
      await page.waitForTimeout(300);
      if ((await page.getByText("確認事項がすべて完了しました").count()) > 0) break;
    }
    await page.getByText("確認事項がすべて完了しました").first().waitFor({ timeout: 10_000 });
    await shot(page, "11-all-done");

    // Nothing more is due: advancing says so, no further reminder arrives.
    await clock(page, /次の予定まで時間を進める/);
    expect(await page.locator("#clock-event").innerText()).toContain(
      "この会議に予定された処理はありません",
    );
    await expect
      .poll(() => page.locator("#clock-status").innerText(), { timeout: 5_000 })
      .toContain("完了 / closed");
    expect(await cards(page, "3回目のお知らせ").count()).toBe(0);
    await shot(page, "12-nothing-due");

    // The admin timeline: each step in Japanese, in Japan time.
    const [consolePage] = await Promise.all([
      page.context().waitForEvent("page"),
      page.getByRole("button", { name: /管理コンソール/ }).click(),
    ]);
    await consolePage.waitForURL(/\/admin/);
    await consolePage.goto(`${local.url}/admin/meetings`);
    await consolePage.getByRole("link", { name: "第4回 審査会" }).first().click();
    const timeline = await consolePage.innerText("body");
    expect(timeline).toMatch(/2026年12月\d+日/);
    for (const step of [
      "さんが会議を予約しました",
      "さんが機密性区分IIと回答しました",
      "会議が始まりました",
      "佐藤 健（参加者） さんが参加しました",
      "佐藤 健（参加者） さんが録画に同意しませんでした〔KWS 4(3)エ〕",
      "録画が作成されました（全員の同意がないため主催者に伝えました）",
      "会議が終わりました",
      "会議後の確認事項（2件）を主催者に送りました〔KWS 4(4)〕",
      "1回目",
      "2回目",
      "すべて完了しました",
    ])
      expect(timeline).toContain(step);
    expect(timeline).not.toContain("aad:");
    await consolePage.screenshot({ path: `${SHOTS}/13-admin-timeline.png`, fullPage: true });
    await page.close();
  }, 120_000);
});
