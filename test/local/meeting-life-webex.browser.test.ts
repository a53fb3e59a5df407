import { mkdirSync } from "node:fs";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONAS } from "../../src/local/personas.js";
import { launchChromium } from "../_browser.js";
import { startLocalApp } from "../_local.js";
import { cards, clock } from "./_playground.js";

/**
 * A Webex-first city (Musashino: Webex is the standard, every participant must agree to
 * recording, MWG 5(2)7) tries a meeting in the playground on the Webex rendering: the page talks
 * to the simulated Webex, which signs its webhooks to /api/webex; the bot creates the meeting
 * through the simulated Webex Meetings API. Screenshots go to test-artifacts/meeting-life-webex/.
 */

const SHOTS = "test-artifacts/meeting-life-webex";
let browser: Browser;
let local: Awaited<ReturnType<typeof startLocalApp>>;

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  local = await startLocalApp({ idleMs: 200, preset: "musashino" });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser.close();
  await local.stop();
});

describe("a Webex meeting under Musashino's policy, in the playground", () => {
  it("schedule on Webex → start → the participant agrees → everyone agreed (MWG 5(2)7) → recorded → end → the recording deleted from the cleanup card", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
    await page.goto(local.url);
    await page.getByLabel("channel").selectOption("webex");
    await page.getByLabel("message").fill("予約");
    await page.getByRole("button", { name: "送信 / Send" }).click();
    const schedule = page.locator(".ac-adaptiveCard").last();
    await schedule.getByLabel("会議名").waitFor({ timeout: 10_000 });
    expect(await schedule.getAttribute("data-version")).toBe("1.3");
    await schedule.getByLabel("会議名").fill("市民協働推進会議");
    await schedule.getByLabel("開催日").fill("2026-12-15");
    await schedule.getByLabel("開始時刻").fill("14:00");
    await schedule.getByLabel("会議サービス").selectOption("webex");
    await schedule.getByLabel(/参加者（メールアドレス/).fill(PERSONAS.participant.email);
    await schedule.getByText("録画・録音を予定している").first().click();
    await schedule.getByRole("button", { name: "次へ" }).click();
    const tier = cards(page, "機密性区分").last();
    await tier.getByRole("radio", { name: "機密性区分II", exact: true }).check();
    await tier.getByRole("button", { name: "この区分で確定" }).click();
    const verdict = cards(page, "この会議は開催できます").last();
    await verdict.waitFor({ timeout: 10_000 });
    await verdict.getByRole("button", { name: "この内容で会議を作成" }).click();
    const created = cards(page, "会議を作成しました").last();
    await created.waitFor({ timeout: 15_000 });
    expect(await created.innerText()).toContain("https://playground.webex.com/");
    await page.screenshot({ path: `${SHOTS}/1-created.png`, fullPage: true });

    await expect
      .poll(() => page.getByLabel("meeting", { exact: true }).innerText(), { timeout: 10_000 })
      .toContain("[Webex] 市民協働推進会議");
    await clock(page, /会議を開始/);
    await page.getByLabel("who joins").selectOption("participant");
    await clock(page, /参加させる/);

    // Webex meetings have no bot chat: the consent card comes to 佐藤 健's own space.
    await page.getByLabel("persona").selectOption("participant");
    const consent = cards(page, "録画・文字起こしの同意確認").last();
    await consent.waitFor({ timeout: 10_000 });
    expect(await consent.innerText()).toContain("〔MWG 5(2)7〕");
    await page.screenshot({ path: `${SHOTS}/2-consent.png`, fullPage: true });
    await consent.getByRole("button", { name: "同意する" }).click();

    await page.getByLabel("persona").selectOption("organizer");
    const everyone = cards(page, "参加者全員が録画に同意しました").last();
    await everyone.waitFor({ timeout: 10_000 });
    expect(await everyone.innerText()).toContain("〔MWG 5(2)7〕");
    await clock(page, /録画を開始/);
    await clock(page, /録画を停止/);
    await page.screenshot({ path: `${SHOTS}/3-everyone-agreed.png`, fullPage: true });

    await clock(page, /会議を終了/);
    const cleanup = cards(page, "会議が終わりました").last();
    await cleanup.waitFor({ timeout: 10_000 });
    const remove = cleanup.getByRole("button", { name: /録画を削除/ });
    await remove.waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/4-cleanup.png`, fullPage: true });
    expect(await cleanup.innerText()).toContain("Webex にまだ録画 1 件");
    await remove.click();
    const sure = cards(page, "この録画を削除します").last();
    await sure.getByRole("button", { name: "削除する" }).click();
    await page
      .getByText("録画を削除しました。一覧から消えたことを確認しました。〔KWS 4(4)〕")
      .first()
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: `${SHOTS}/5-recording-deleted.png`, fullPage: true });
    await expect
      .poll(async () => (await page.locator("#clock-status").innerText()).includes("なし / none"))
      .toBe(true);
    await page.close();
  }, 120_000);
});
