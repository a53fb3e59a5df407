import { mkdirSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { launchChromium } from "../_browser.js";
import { startLocalApp } from "../_local.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * The local playground in Debian's Chromium (playwright-core driving /usr/bin/chromium, which
 * .ci/run installs): the real app in local mode, a person clicking through the cards.
 * Screenshots go to test-artifacts/playground/.
 */

const SHOTS = "test-artifacts/playground";
let browser: Browser;
let local: Awaited<ReturnType<typeof startLocalApp>>;
let url = "";

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  local = await startLocalApp({ idleMs: 200 });
  url = local.url;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser.close();
  await local.stop();
});

async function say(page: Page, text: string) {
  await page.getByLabel("message").fill(text);
  await page.getByRole("button", { name: "送信 / Send" }).click();
}

/** The newest rendered card (the Adaptive Cards renderer's root element). */
const lastCard = (page: Page) => page.locator(".ac-adaptiveCard").last();

describe("the local playground, clicked through in Chromium", () => {
  it("schedules a meeting through the cards: schedule → tier → verdict → created with its settings read back", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await expect(
      page.getByRole("heading", { name: "会議ガード プレイグラウンド" }).isVisible(),
    ).resolves.toBe(true);
    await say(page, "予約");
    const schedule = lastCard(page);
    await schedule.getByText("Web会議の予約").first().waitFor();
    await schedule.getByLabel("会議名").fill("プレイグラウンドの打合せ");
    await schedule.getByLabel("開催日").fill("2026-12-10");
    await schedule.getByLabel("開始時刻").fill("10:00");
    await schedule.getByLabel("会議サービス").selectOption("teams");
    await schedule.getByLabel(/参加者（メールアドレス/).fill("ken.sato@city.example.lg.jp");
    await page.screenshot({ path: `${SHOTS}/1-schedule.png` });
    await schedule.getByRole("button", { name: "次へ" }).click();

    const tier = page.locator(".ac-adaptiveCard").filter({ hasText: "機密性区分" }).last();
    await tier.getByText("機密性区分II").first().waitFor();
    await tier.getByRole("radio", { name: "機密性区分II", exact: true }).check();
    await page.screenshot({ path: `${SHOTS}/2-tier.png` });
    await tier.getByRole("button", { name: "この区分で確定" }).click();

    const verdict = page
      .locator(".ac-adaptiveCard")
      .filter({ hasText: "この会議は開催できます" })
      .last();
    await verdict.waitFor();
    expect(await verdict.innerText()).toContain("〔KWS 4(3)ア〕");
    await page.screenshot({ path: `${SHOTS}/3-verdict.png` });
    await verdict.getByRole("button", { name: "この内容で会議を作成" }).click();

    const created = page
      .locator(".ac-adaptiveCard")
      .filter({ hasText: "会議を作成しました" })
      .last();
    await created.waitFor({ timeout: 15_000 });
    const text = await created.innerText();
    expect(text).toContain("https://teams.microsoft.com/l/meetup-join/");
    expect(text).toContain("設定を読み返して確認しました。");
    await page.screenshot({ path: `${SHOTS}/4-created.png`, fullPage: true });
    await page.close();
  }, 60_000);

  it("one click from the playground to the admin console and that meeting's timeline", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    const [consolePage] = await Promise.all([
      page.context().waitForEvent("page"),
      page.getByRole("button", { name: /管理コンソール/ }).click(),
    ]);
    await consolePage.waitForURL(/\/admin\/dashboard/);
    await consolePage.goto(`${url}/admin/meetings`);
    await consolePage.getByRole("link", { name: "プレイグラウンドの打合せ" }).first().click();
    await consolePage.getByRole("heading", { name: "記録（タイムライン）" }).waitFor();
    const timeline = await consolePage.innerText("body");
    expect(timeline).toContain("プレイグラウンドの打合せ");
    expect(timeline).toMatch(/tier\.|meeting\./);
    await consolePage.screenshot({ path: `${SHOTS}/admin-timeline.png`, fullPage: true });
    // The one-click sign-in takes only a form from the bot's own page.
    const forged = await fetch(`${url}/playground/admin`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: "https://attacker.example" },
    });
    expect(forged.status).toBe(403);
    expect(forged.headers.getSetCookie()).toEqual([]);
    await page.close();
  }, 60_000);

  it("an external participant needs approval: the approver persona approves, the organizer's meeting is created", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await say(page, "予約");
    const schedule = lastCard(page);
    await schedule.getByLabel("会議名").waitFor();
    await schedule.getByLabel("会議名").fill("外部講師との打合せ");
    await schedule.getByLabel("開催日").fill("2026-12-11");
    await schedule.getByLabel("開始時刻").fill("14:00");
    await schedule.getByLabel("会議サービス").selectOption("teams");
    await schedule.getByLabel(/参加者（メールアドレス/).fill("lecturer@example.com");
    await schedule.getByText("市の職員以外の参加者がいる").first().click();
    await schedule.getByRole("button", { name: "次へ" }).click();
    const tier = page.locator(".ac-adaptiveCard").filter({ hasText: "機密性区分" }).last();
    await tier.getByRole("radio", { name: "機密性区分II", exact: true }).check();
    await tier.getByRole("button", { name: "この区分で確定" }).click();
    const verdict = page.locator(".ac-adaptiveCard").filter({ hasText: "承認" }).last();
    await verdict.getByRole("button", { name: "承認を依頼" }).click();
    await page.getByText("承認を依頼しました").first().waitFor();

    await page.getByLabel("persona").selectOption("approver");
    const request = page.locator(".ac-adaptiveCard").filter({ hasText: "承認の依頼" }).last();
    await request.waitFor({ timeout: 15_000 });
    expect(await request.innerText()).toContain("外部講師との打合せ");
    await page.screenshot({ path: `${SHOTS}/5-approver.png`, fullPage: true });
    await request.getByRole("button", { name: /承認する/ }).click();
    await page.getByText("回答を記録しました").first().waitFor();

    await page.getByLabel("persona").selectOption("organizer");
    const created = page
      .locator(".ac-adaptiveCard")
      .filter({ hasText: "会議を作成しました" })
      .filter({ hasText: "外部講師との打合せ" })
      .last();
    await created.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: `${SHOTS}/6-approved-created.png`, fullPage: true });
    await page.close();
  }, 60_000);

  it("the same flow as Webex renders it: Adaptive Cards 1.3 with Action.Submit, each answer a new message", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(url);
    await page.getByLabel("channel").selectOption("webex");
    await say(page, "予約");
    const schedule = lastCard(page);
    await schedule.getByLabel("会議名").waitFor();
    expect(await schedule.getAttribute("data-version")).toBe("1.3");
    await schedule.getByLabel("会議名").fill("Webex表示の打合せ");
    await schedule.getByLabel("開催日").fill("2026-12-12");
    await schedule.getByLabel("開始時刻").fill("09:00");
    await schedule.getByLabel("会議サービス").selectOption("webex");
    await schedule.getByRole("button", { name: "次へ" }).click();
    const tier = page.locator(".ac-adaptiveCard").filter({ hasText: "機密性区分" }).last();
    await tier.getByRole("radio", { name: "機密性区分I", exact: true }).check();
    // The schedule card is still there: Webex answers with a new message.
    expect(await page.locator(".ac-adaptiveCard").count()).toBeGreaterThanOrEqual(2);
    await tier.getByRole("button", { name: "この区分で確定" }).click();
    await page
      .locator(".ac-adaptiveCard")
      .filter({ hasText: "この会議は開催できます" })
      .last()
      .waitFor();
    await page.screenshot({ path: `${SHOTS}/7-webex-view.png`, fullPage: true });
    await page.close();
  }, 60_000);
});
