import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { launchChromium } from "../_browser.js";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/accounts.js";
import { createApp, type App } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { memoryLogger } from "../../src/logger.js";
import { loadPolicy } from "../../src/policy/load.js";
import { Database } from "../../src/store/db.js";
import { draftInput } from "../_util.js";

const SHOTS = "test-artifacts/admin";
let browser: Browser;
let app: App;
let db: Database;
let dir = "";
let url = "";
let password = "";

beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-admin-ui-"));
  db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
  app = createApp({
    db,
    policy: loadPolicy("kawasaki"),
    logger: memoryLogger(),
    clock: systemClock,
    runWorkers: false,
  });
  url = await app.listen(0, "127.0.0.1");
  password = await createAdmin(db.kysely, "city-a", "admin@city-a.example.lg.jp", new Date());
  for (const [id, title, tier] of [
    ["m1", "総務課 定例", "I"],
    ["m2", "審議会（第2回）", "II"],
  ] as const) {
    const env = { tenantId: "city-a", meetingId: id, actor: "aad:org" };
    await app.governor.handle({ ...env, eventId: `d-${id}` }, draftInput(title));
    await app.governor.handle({ ...env, eventId: `t-${id}` }, { type: "tier-answered", tier });
  }
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser.close();
  await app.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

it("an admin signs in, filters meetings, opens a timeline and verifies the log (Chromium)", async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}/admin/meetings`);
  await page.getByLabel("テナント").fill("city-a");
  await page.getByLabel("メールアドレス").fill("admin@city-a.example.lg.jp");
  await page.getByLabel("パスワード").fill(password);
  await page.screenshot({ path: `${SHOTS}/1-sign-in.png` });
  await page.getByRole("button", { name: "サインイン" }).click();
  await page.getByRole("heading", { name: "会議一覧" }).waitFor();
  expect(await page.getByRole("row").count()).toBe(3);
  await page.getByLabel("区分").fill("II");
  await page.getByRole("button", { name: "絞り込む" }).click();
  await page.getByText("1 件").waitFor();
  await page.screenshot({ path: `${SHOTS}/2-filtered.png` });
  await page.getByRole("link", { name: "審議会（第2回）" }).click();
  await page.getByRole("heading", { name: "記録（タイムライン）" }).waitFor();
  expect(await page.getByRole("cell", { name: "tier.declared" }).count()).toBe(1);
  await page.screenshot({ path: `${SHOTS}/3-timeline.png`, fullPage: true });
  await page.getByRole("button", { name: "ログを検証" }).click();
  await page.getByRole("heading", { name: "ログは改ざんされていません" }).waitFor();
  await page.screenshot({ path: `${SHOTS}/4-verified.png` });
  await page.close();
}, 60_000);
