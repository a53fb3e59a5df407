import { createHmac } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type App } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { memoryLogger } from "../../src/logger.js";
import { loadPolicy } from "../../src/policy/load.js";
import { Database } from "../../src/store/db.js";
import { verifyChain } from "../../src/store/log/verify.js";
import {
  botFrameworkFake,
  channelToken,
  teamsActivity,
  teamsSettings,
} from "../fakes/botframework.js";
import { webexApiFake, webexSettings } from "../fakes/webex-api.js";

/**
 * Thousands of malformed, truncated and hostile bodies at every inbound endpoint, authenticated
 * where authentication comes first so the parsing behind it is reached: no 5xx, no crash, no
 * unhandled rejection; no meeting or outbox row appears, and the only log entries written are the
 * refusals (action.rejected) the log is meant to keep.
 */

const SECRET = "kaigi-guard-webhook-secret-2026";
let bf: Awaited<ReturnType<typeof botFrameworkFake>>;
let webex: ReturnType<typeof webexApiFake>;
let app: App;
let db: Database;
let dir = "";
let url = "";
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onRejection);
  bf = await botFrameworkFake();
  webex = webexApiFake(SECRET);
  const base = await webex.fake.start();
  process.env.U2C_SERVICE_URL = `${base}/u2c/api/v1`;
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-fuzz-"));
  db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
  app = createApp({
    db,
    policy: loadPolicy("kawasaki"),
    logger: memoryLogger(),
    clock: systemClock,
    runWorkers: false,
    teams: teamsSettings(bf, { notificationUrl: "https://bot.example.jp/api/graph/notifications" }),
    webex: webexSettings(base, SECRET, false),
  });
  url = await app.listen(0, "127.0.0.1");
}, 60_000);

afterAll(async () => {
  process.off("unhandledRejection", onRejection);
  await app.stop();
  await bf.fake.stop();
  await webex.fake.stop();
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const counts = async () => ({
  meetings: (await db.kysely.selectFrom("meetings").select("id").execute()).length,
  outbox: (await db.kysely.selectFrom("outbox").select("id").execute()).length,
  log: (
    await db.kysely
      .selectFrom("log_entries")
      .select("action")
      .where("action", "!=", "action.rejected")
      .execute()
  ).length,
});

async function post(path: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${url}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });
  await res.arrayBuffer();
  return res.status;
}

/** Hostile strings: markup, SQL, control characters, huge and odd Unicode. */
const hostile = fc.oneof(
  fc.string(),
  fc.constantFrom(
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u0000\u0001\u202e",
    "𠮷".repeat(2000),
    "__proto__",
    "constructor",
    "../../etc/passwd",
  ),
);
const anyJson = fc.oneof(fc.jsonValue(), fc.dictionary(hostile, fc.jsonValue()));
const verbs = fc.oneof(
  hostile,
  fc.constantFrom(
    "schedule.submit",
    "tier.submit",
    "meeting.confirm",
    "approval.answer",
    "cleanup.confirm",
    "consent.answer",
    "consent.view",
    "incident.report",
    "recording.delete.confirm",
    "lobby.admit",
  ),
);

describe("fuzz: every inbound endpoint under malformed and hostile input", () => {
  it("Teams /api/messages: random and truncated bodies, hostile activities with a valid token", async () => {
    const before = await counts();
    const token = `Bearer ${channelToken(bf.serviceUrl)}`;
    const statuses = new Set<number>();
    const base = JSON.stringify(teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl));
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          anyJson.map((v) => JSON.stringify(v)),
          fc.nat(base.length - 1).map((n) => base.slice(0, n)),
          fc.record({ verb: verbs, data: anyJson, id: fc.uuid() }).map(({ verb, data, id }) =>
            JSON.stringify(
              teamsActivity("invoke-adaptive-card-action.json", bf.serviceUrl, {
                id,
                value: { action: { type: "Action.Execute", verb, data }, trigger: "manual" },
              }),
            ),
          ),
          fc
            .record({ text: hostile, id: fc.uuid() })
            .map(({ text, id }) =>
              JSON.stringify(teamsActivity("message-personal.json", bf.serviceUrl, { id, text })),
            ),
        ),
        async (body) => {
          const status = await post("/api/messages", body, { authorization: token });
          statuses.add(status);
          expect(status).toBeLessThan(500);
        },
      ),
      { numRuns: 800 },
    );
    expect(statuses.has(400)).toBe(true);
    expect(statuses.has(200)).toBe(true);
    expect(await counts()).toEqual(before);
  }, 120_000);

  it("Webex /api/webex: hostile bodies, correctly signed and not", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(anyJson, fc.boolean(), fc.nat(50), async (value, signed, cut) => {
        let raw = JSON.stringify(value);
        if (cut > 40) raw = raw.slice(0, Math.max(0, raw.length - cut));
        const signature = createHmac("sha1", signed ? SECRET : "wrong-secret-value")
          .update(raw)
          .digest("hex");
        const status = await post("/api/webex", raw, { "x-spark-signature": signature });
        expect(status).toBeLessThan(500);
        if (!signed) expect(status).toBe(401);
      }),
      { numRuns: 600 },
    );
    expect(await counts()).toEqual(before);
  }, 120_000);

  it("Graph /api/graph/notifications and the admin forms: hostile bodies and queries", async () => {
    const before = await counts();
    await fc.assert(
      fc.asyncProperty(anyJson, hostile, async (value, token) => {
        expect(await post("/api/graph/notifications", JSON.stringify(value))).toBeLessThan(500);
        const query = `?validationToken=${encodeURIComponent(token)}`;
        expect(await post(`/api/graph/notifications${query}`, "")).toBeLessThan(500);
        expect(
          await post("/admin/login", token, {
            "content-type": "application/x-www-form-urlencoded",
          }),
        ).toBeLessThan(500);
      }),
      { numRuns: 400 },
    );
    expect(await counts()).toEqual(before);
  }, 120_000);

  it("afterwards: the server still answers, no rejection went unhandled, and the log verifies", async () => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect(rejections).toEqual([]);
    for (const tenant of (
      await db.kysely.selectFrom("log_heads").select("tenant_id").execute()
    ).map((r) => r.tenant_id))
      expect((await verifyChain(db, tenant)).ok).toBe(true);
  });
});
