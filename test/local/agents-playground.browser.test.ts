import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../_browser.js";
import { startLocalApp } from "../_local.js";

/**
 * Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground, a devDependency) against
 * the real app in local mode, its web UI driven in Debian's Chromium: the tool a Teams developer
 * opens first. It sends activities without a token and takes the bot's answers at its mock
 * connector. Screenshots in test-artifacts/agents-playground/. The playground's users send
 * locale en-US, so the bot answers in English, as it would a Teams user whose client is English.
 */

const SHOTS = "test-artifacts/agents-playground";
let browser: Browser;
let local: Awaited<ReturnType<typeof startLocalApp>>;
let tool: ChildProcess;
let toolUrl = "";
let toolOutput = "";
let toolDir = "";

const freePort = () =>
  new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => {
        resolve(typeof address === "object" && address ? address.port : 0);
      });
    });
  });

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  local = await startLocalApp();
  const port = await freePort();
  toolDir = mkdtempSync(join(tmpdir(), "kaigi-guard-agents-playground-"));
  const cli = createRequire(import.meta.url).resolve("@microsoft/m365agentsplayground/cli.js");
  tool = spawn(
    process.execPath,
    [cli, "-e", `${local.url}/api/messages`, "-c", "msteams", "-p", String(port), "--dt"],
    // Its own log goes to <cwd>/devTools/: a temporary folder, not the checkout.
    { cwd: toolDir, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, TZ: "Asia/Tokyo" } },
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`Agents Playground did not start:\n${toolOutput}`));
    }, 30_000);
    const seen = (chunk: Buffer) => {
      toolOutput += chunk.toString();
      if (toolOutput.includes(`Listening on ${String(port)}`)) {
        clearTimeout(timer);
        resolve();
      }
    };
    tool.stdout?.on("data", seen);
    tool.stderr?.on("data", seen);
  });
  toolUrl = `http://127.0.0.1:${String(port)}/`;
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser.close();
  tool.kill("SIGTERM");
  rmSync(toolDir, { recursive: true, force: true });
  await local.stop();
});

/** The log panel's "→ … <activity type> <status>" lines. */
async function loggedStatuses(page: Page): Promise<string[]> {
  const text = await page.getByText("Log Panel").locator("xpath=../..").innerText();
  return [...text.matchAll(/\b([A-Za-z]+) (\d{3})\b/g)].map((m) => `${m[1] ?? ""} ${m[2] ?? ""}`);
}

describe("Microsoft 365 Agents Playground against npm start's local mode", () => {
  it("schedules a meeting: 予約 → schedule card → tier card → verdict with its clauses → created, settings read back", async () => {
    const page = await browser.newPage({
      viewport: { width: 1400, height: 1000 },
      locale: "ja-JP",
      timezoneId: "Asia/Tokyo",
    });
    await page.goto(toolUrl);
    const editor = page.locator("[data-lexical-editor=true]");
    await editor.waitFor();
    await editor.click();
    await page.keyboard.type("予約");
    await page.keyboard.press("Enter");

    const card = () => page.locator(".ac-adaptiveCard").last();
    await card().getByRole("button", { name: "Next" }).waitFor();
    await card().getByLabel("Title").fill("Agents Playground の打合せ");
    const date = card().getByPlaceholder("Select a date...");
    await date.fill("2026-12-10");
    await date.press("Enter");
    await page.keyboard.press("Escape");
    const time = card().getByPlaceholder("Select a time...");
    await time.fill("10:00");
    await time.press("Enter");
    await page.keyboard.press("Escape");
    await page.screenshot({ path: `${SHOTS}/1-schedule.png` });
    await card().getByRole("button", { name: "Next" }).click();

    // Action.Execute: the card is replaced in place by the tier card.
    const tier = page.locator(".ac-adaptiveCard").filter({ hasText: "Confidentiality tier II" });
    await tier.getByRole("button", { name: "Confirm this tier" }).waitFor();
    expect(await tier.innerText()).toContain("〔KSS 第3章2(1)〕");
    await tier.getByRole("radio", { name: "Confidentiality tier II", exact: true }).check();
    await page.screenshot({ path: `${SHOTS}/2-tier.png` });
    await tier.getByRole("button", { name: "Confirm this tier" }).click();

    const verdict = page
      .locator(".ac-adaptiveCard")
      .filter({ hasText: "This meeting can go ahead" });
    await verdict.getByRole("button", { name: "Create the meeting" }).waitFor();
    const verdictText = await verdict.innerText();
    expect(verdictText).toContain("〔KWS 4(3)ア〕");
    expect(verdictText).toContain("The lobby is on");
    await page.screenshot({ path: `${SHOTS}/3-verdict.png` });
    await verdict.getByRole("button", { name: "Create the meeting" }).click();

    const created = page.locator(".ac-adaptiveCard").filter({ hasText: "The meeting was created" });
    await created.waitFor({ timeout: 15_000 });
    const text = await created.innerText();
    expect(text).toContain("https://teams.microsoft.com/l/meetup-join/");
    expect(text).toContain("The settings were read back and match.");
    await page.screenshot({ path: `${SHOTS}/4-created.png` });

    const statuses = await loggedStatuses(page);
    expect(statuses).toEqual(expect.arrayContaining(["message 200", "invoke 200"]));
    expect(statuses.filter((s) => /\b[45]\d\d$/.test(s))).toEqual([]);
    await page.close();
  }, 90_000);
});
