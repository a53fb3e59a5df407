import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/accounts.js";
import type { App } from "../../src/app.js";
import { memoryLogger } from "../../src/logger.js";
import type { Database } from "../../src/store/db.js";
import { draftInput } from "../_util.js";
import { recordDeviceUse, upsertDevice } from "../../src/store/repos/devices.js";
import { listeningApp } from "../_app.js";
import { adminRoutes } from "../../src/admin/routes.js";
import { systemClock } from "../../src/clock.js";
import { savePolicyLayer } from "../../src/store/repos/policy-layers.js";
import { appendLog } from "../../src/store/log/append.js";
import { getPage, signIn as signInAt, visibleText } from "./_console.js";

const A = "city-a";
const B = "city-b";
const HOSTILE = `<script>alert("x")</script>' OR 1=1 --`;
let app: App;
let db: Database;
let url = "";
const passwords: Record<string, string> = {};
const logger = memoryLogger();

async function draft(tenantId: string, meetingId: string, title: string) {
  await app.governor.handle(
    { eventId: `d-${meetingId}`, tenantId, meetingId, actor: "aad:org" },
    draftInput(title),
  );
}

let close: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  ({ app, db, url, close } = await listeningApp({ logger }));
  passwords[A] = await createAdmin(db.kysely, A, "admin@city-a.example.lg.jp", new Date());
  passwords[B] = await createAdmin(db.kysely, B, "admin@city-b.example.lg.jp", new Date());
  await draft(A, "a-1", "総務課 定例");
  await draft(A, "a-2", HOSTILE);
  await draft(B, "b-1", "B市の非公開会議");
});

afterAll(() => close());

const signIn = (tenant: string, email: string, password: string) =>
  signInAt(url, tenant, email, password);

const get = (path: string, session: string) => getPage(url, path, session);

describe("admin console: sign-in, tenant isolation, web security (R-LOG 4-5, R-TEN)", () => {
  let session = "";
  let csrf = "";

  it("signs in with the one-time password; the session cookie is HTTP-only and SameSite=Strict", async () => {
    const { res, session: id } = await signIn(A, "admin@city-a.example.lg.jp", passwords[A] ?? "");
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin/dashboard?lang=ja");
    const set = res.headers.getSetCookie().find((c) => c.startsWith("kg_admin=")) ?? "";
    expect(set).toContain("HttpOnly");
    expect(set).toContain("SameSite=Strict");
    session = id;
    const page = await (await get("/admin/meetings", session)).text();
    csrf = /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? "";
    expect(csrf.length).toBeGreaterThan(20);
  });

  it("/admin: the overview when signed in, the sign-in page otherwise", async () => {
    const signedIn = await get("/admin", session);
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("location")).toBe("/admin/dashboard?lang=ja");
    for (const cookie of [undefined, "kg_admin=not-a-session"]) {
      const res = await fetch(`${url}/admin?lang=en`, {
        redirect: "manual",
        headers: cookie ? { cookie } : {},
      });
      expect(res.status).toBe(303);
      expect(res.headers.get("location")).toBe("/admin/login?lang=en");
    }
  });

  it("wrong passwords are refused, then rate-limited; nothing is signed in", async () => {
    for (let i = 0; i < 5; i++) {
      const { res, session: id } = await signIn(A, "admin@city-a.example.lg.jp", "wrong");
      expect(res.status).toBe(401);
      expect(id).toBe("");
    }
    const limited = await signIn(A, "admin@city-a.example.lg.jp", passwords[A] ?? "");
    expect(limited.res.status).toBe(429);
    expect(limited.session).toBe("");
    // Another tenant's admin is not affected.
    expect((await signIn(B, "admin@city-b.example.lg.jp", passwords[B] ?? "")).res.status).toBe(
      303,
    );
  });

  it("lists only the tenant's meetings; hostile text is escaped in the page", async () => {
    const page = await (await get("/admin/meetings", session)).text();
    expect(page).toContain("総務課 定例");
    expect(page).not.toContain("B市の非公開会議");
    expect(page).not.toContain("<script>alert");
    expect(page).toContain("&#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62;");
  });

  it("filters are values, never SQL or markup: injection in every field finds nothing and breaks nothing", async () => {
    for (const name of ["title", "tier", "platform", "state", "organizer", "from", "to"]) {
      const res = await get(
        `/admin/meetings?${name}=${encodeURIComponent(`' OR '1'='1' -- <b>x</b>`)}`,
        session,
      );
      // A select's or date picker's value that is not one of its choices is named, not used.
      expect(res.status, name).toBe(name === "title" ? 200 : 400);
      const page = await res.text();
      expect(page).toContain("0 件");
      expect(page).not.toContain("<b>x</b>");
    }
    const byTitle = await (
      await get(`/admin/meetings?title=${encodeURIComponent("定例")}`, session)
    ).text();
    expect(byTitle).toContain("1 件");
  });

  it("filters are selects and date pickers, checked on the server: a bad value is named in Japanese and English", async () => {
    const page = await (await get("/admin/meetings", session)).text();
    for (const name of ["tier", "platform", "state", "organizer"])
      expect(page, name).toMatch(new RegExp(`<select name="${name}">`));
    expect(page).toContain('<input name="from" type="date"');
    expect(page).toContain('<option value="tier-declared">区分回答済み（確認待ち）</option>');
    for (const [query, ja, en] of [
      [
        "from=2027-02-30",
        "開始日（から）が日付ではありません",
        "The start date (from) is not a date",
      ],
      [
        "from=2026-12-02&to=2026-12-01",
        "開始日（まで）が開始日（から）より前です",
        "before its start",
      ],
      ["tier=IV", "区分は I・II・III・わからない のいずれかです", "The tier is one of"],
      ["state=tier_declared", "状態が一覧にありません", "The state is not one of"],
      ["platform=skype", "サービスが一覧にありません", "The service is not one of"],
    ] as const) {
      const res = await get(`/admin/meetings?${query}`, session);
      expect(res.status, query).toBe(400);
      const text = visibleText(await res.text());
      expect(text, query).toContain(ja);
      expect(text, query).toContain(en);
    }
    // Japan dates: a meeting at 2026-12-01T01:00Z is on 1 December in Japan, not on 30 November.
    const on = (day: string) => get(`/admin/meetings?from=${day}&to=${day}`, session);
    expect(await (await on("2026-12-01")).text()).toContain("2 件");
    expect(await (await on("2026-11-30")).text()).toContain("0 件");
  });

  it("another tenant's meeting id, with a valid session, is not found and shows nothing of it", async () => {
    const res = await get("/admin/meetings/b-1", session);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain("B市");
    const own = await get("/admin/meetings/a-1", session);
    expect(own.status).toBe(200);
    expect(await own.text()).toContain("meeting.drafted");
    const attendance = await get("/admin/meetings/a-1/attendance.csv", session);
    expect(attendance.status).toBe(200);
    expect(attendance.headers.get("content-disposition")).toContain("attendance.csv");
    expect(await attendance.text()).toContain("総務課 定例");
  });

  it("forms need the session's CSRF token; a tampered or missing cookie is not a session", async () => {
    const post = (body: Record<string, string>, cookie: string) =>
      fetch(`${url}/admin/verify`, {
        method: "POST",
        redirect: "manual",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams(body).toString(),
      });
    expect((await post({}, `kg_admin=${session}`)).status).toBe(403);
    expect((await post({ csrf: "x".repeat(32) }, `kg_admin=${session}`)).status).toBe(403);
    const tampered = `${session.slice(0, -1)}${session.endsWith("A") ? "B" : "A"}`;
    expect((await post({ csrf }, `kg_admin=${tampered}`)).status).toBe(401);
    expect((await get("/admin/meetings", `${session}x`)).status).toBe(303);
    const ok = await post({ csrf }, `kg_admin=${session}`);
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain("ログは改ざんされていません");
    expect(logger.lines.filter((l) => l.event === "admin.csrf_refused")).toHaveLength(2);
  });

  it("undelivered items, pending approvals and the log export are the tenant's own; a requeue is logged", async () => {
    const dead = async (tenantId: string) =>
      (
        await db.kysely
          .insertInto("outbox")
          .values({
            tenant_id: tenantId,
            idempotency_key: `dead-${tenantId}`,
            kind: "message",
            payload: "{}",
            state: "dead",
            attempts: 8,
            next_attempt_at: new Date().toISOString(),
            created_at: new Date().toISOString(),
            last_error: `NO_CONVERSATION ${tenantId}`,
          })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    const ownId = await dead(A);
    const otherId = await dead(B);
    const page = await (await get("/admin/dead-letters", session)).text();
    expect(page).toContain(`NO_CONVERSATION ${A}`);
    expect(page).not.toContain(`NO_CONVERSATION ${B}`);
    const requeue = (id: number) =>
      fetch(`${url}/admin/dead-letters/requeue`, {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          cookie: `kg_admin=${session}`,
        },
        body: new URLSearchParams({ csrf, id: String(id) }).toString(),
      });
    expect((await requeue(otherId)).status).toBe(404);
    const other = await db.kysely
      .selectFrom("outbox")
      .select("state")
      .where("id", "=", otherId)
      .executeTakeFirstOrThrow();
    expect(other.state).toBe("dead");
    expect((await requeue(ownId)).status).toBe(200);
    const own = await db.kysely
      .selectFrom("outbox")
      .select("state")
      .where("id", "=", ownId)
      .executeTakeFirstOrThrow();
    expect(own.state).toBe("pending");
    const logged = await db.kysely
      .selectFrom("log_entries")
      .select(["actor", "payload"])
      .where("tenant_id", "=", A)
      .where("action", "=", "admin.requeued")
      .executeTakeFirstOrThrow();
    expect(logged.actor).toBe("admin:admin@city-a.example.lg.jp");
    expect(JSON.parse(logged.payload)).toEqual({ outboxId: ownId });

    expect((await get("/admin/approvals", session)).status).toBe(200);
    const csv = await (await get("/admin/export/log.csv", session)).text();
    expect(csv).toContain("meeting.drafted");
    expect(csv).not.toContain(B);
    const json = await get("/admin/export/log.json", session);
    expect(json.headers.get("content-type")).toContain("application/json");
    const entries = (await json.json()) as { tenant_id: string; hash: string }[];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.every((e) => e.tenant_id === A && /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
  });

  it("devices, their logbook (CSV too) and incident reports are the tenant's own, escaped", async () => {
    await upsertDevice(db.kysely, A, { id: "tab-a", label: "<b>A端末</b>", department: "総務課" });
    await upsertDevice(db.kysely, B, { id: "tab-b", label: "B端末", department: "企画課" });
    await recordDeviceUse(db.kysely, A, {
      deviceId: "tab-a",
      meetingId: "a-1",
      department: "総務課",
      userName: "=cmd|' /C calc'!A0",
      usedFrom: "2026-12-01T01:00:00.000Z",
      usedTo: "2026-12-01T02:00:00.000Z",
    });
    const page = await (await get("/admin/devices", session)).text();
    expect(page).toContain("&#60;b&#62;A端末&#60;/b&#62;");
    expect(page).not.toContain("B端末");
    const csv = await (await get("/admin/export/devices.csv", session)).text();
    expect(csv).toContain("tab-a");
    // A name a spreadsheet would run as a formula is written as text.
    expect(csv).toContain("'=cmd|' /C calc'!A0");
    expect(csv).not.toContain("tab-b");
    await app.governor.reportIncident(
      { eventId: "inc-a", tenantId: A, actor: "aad:reporter" },
      { kind: "peeping", description: "画面を<script>のぞかれた" },
    );
    await app.governor.reportIncident(
      { eventId: "inc-b", tenantId: B, actor: "aad:reporter-b" },
      { kind: "theft", description: "B市の端末が盗まれた" },
    );
    const incidents = await (await get("/admin/incidents", session)).text();
    expect(incidents).toMatch(/INC-\d{8}-[0-9A-F]{6}/);
    expect(incidents).toContain("peeping");
    expect(incidents).not.toContain("theft");
    expect(incidents).not.toContain("のぞかれた");
  });

  it("oversized bodies are refused before anything is read into a form", async () => {
    const res = await fetch(`${url}/admin/login`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "a=" + "x".repeat(300 * 1024),
    });
    expect(res.status).toBe(413);
  });

  it("/readyz: the database answers and its migrations are current", async () => {
    const res = await fetch(`${url}/readyz`);
    expect(res.status).toBe(200);
  });

  it("open clean-up items and escalations are listed with the checklist's text, the tenant's own only", async () => {
    for (const [tenant, meeting] of [
      [A, "a-1"],
      [B, "b-1"],
    ] as const)
      await db.transaction(async (trx) => {
        await trx
          .insertInto("cleanup_items")
          .values({ tenant_id: tenant, meeting_id: meeting, item_id: "cloud-data", done: 0 })
          .execute();
        await appendLog(trx, systemClock, [
          {
            tenantId: tenant,
            meetingId: meeting,
            actor: "system:timer",
            action: "meeting.escalated",
            payload: { reason: "cleanup-overdue", open: ["cloud-data"] },
          },
        ]);
      });
    const page = await (await get("/admin/cleanups", session)).text();
    expect(page).toContain("総務課 定例");
    expect(page).toContain("会議後の削除・確認が完了していない");
    expect(page).toMatch(/KWS|MWG|KSS/);
    expect(page).not.toContain("B市の非公開会議");
    expect(page).not.toContain("b-1");
  });

  it("every admin path, with this tenant's session and the other tenant's ids, answers 403/404 or this tenant's own data — never the other's", async () => {
    // Something of B's behind every kind of id: a meeting (b-1), an undelivered item, a policy layer.
    await db.transaction((trx) =>
      savePolicyLayer(
        trx,
        B,
        0,
        'directory:\n  approvers: { tier-decision: "aad:b-secret" }\n',
        "admin:b",
        new Date(),
      ),
    );
    const bDead = await db.kysely
      .selectFrom("outbox")
      .select("id")
      .where("tenant_id", "=", B)
      .executeTakeFirstOrThrow();
    const form = (fields: Record<string, string>) => ({ csrf, lang: "ja", ...fields });
    // method path → the request to make and the statuses allowed; a new route must be added here.
    const probes: Record<string, { path?: string; form?: Record<string, string>; ok: number[] }> = {
      "get /admin": { ok: [303] },
      "get /admin/dashboard": { path: "/admin/dashboard?month=2026-12", ok: [200] },
      "get /admin/login": { ok: [200] },
      "post /admin/login": {
        form: { tenant: B, email: "admin@city-a.example.lg.jp", password: passwords[A] ?? "" },
        ok: [401, 403, 429],
      },
      "get /admin/meetings": {
        path: `/admin/meetings?title=${encodeURIComponent("非公開")}`,
        ok: [200],
      },
      "get /admin/meetings/:id": { path: "/admin/meetings/b-1", ok: [404] },
      "get /admin/meetings/:id/attendance.csv": {
        path: "/admin/meetings/b-1/attendance.csv",
        ok: [404],
      },
      "post /admin/verify": { form: form({}), ok: [200] },
      "get /admin/approvals": { ok: [200] },
      "post /admin/approvals/answer": {
        form: form({ meeting: "b-1", kind: "tier-decision", decision: "approved", tier: "I" }),
        ok: [403, 404],
      },
      "get /admin/dead-letters": { ok: [200] },
      "get /admin/cleanups": { ok: [200] },
      "post /admin/dead-letters/requeue": { form: form({ id: String(bDead.id) }), ok: [404] },
      "get /admin/devices": { ok: [200] },
      "get /admin/export/devices.csv": { ok: [200] },
      "get /admin/incidents": { ok: [200] },
      "get /admin/export/log.csv": { ok: [200] },
      "get /admin/export/log.json": { ok: [200] },
      "get /admin/policy": { ok: [200] },
      "post /admin/policy/preview": { form: form({ source: "" }), ok: [200] },
      "post /admin/policy/directory": {
        form: form({ "approver:tier-decision": "aad:a-approver" }),
        ok: [200],
      },
      "post /admin/policy/apply": { form: form({ after: "1", source: "" }), ok: [409] },
      "post /admin/logout": { form: form({}), ok: [303] },
    };
    const routes = adminRoutes({
      db,
      clock: systemClock,
      logger,
      governor: app.governor,
      policies: app.policies,
    }).map((r) => `${r.method} ${r.path}`);
    expect(Object.keys(probes).sort()).toEqual([...routes].sort());
    for (const key of routes) {
      const probe = probes[key];
      if (!probe || key === "post /admin/logout") continue;
      const [method, route] = key.split(" ") as [string, string];
      const res = await fetch(`${url}${probe.path ?? route}`, {
        method: method.toUpperCase(),
        redirect: "manual",
        headers: {
          cookie: `kg_admin=${session}`,
          ...(probe.form ? { "content-type": "application/x-www-form-urlencoded" } : {}),
        },
        ...(probe.form ? { body: new URLSearchParams(probe.form).toString() } : {}),
      });
      const body = await res.text();
      expect.soft(probe.ok, key).toContain(res.status);
      for (const secret of ["B市の非公開会議", "b-secret", `NO_CONVERSATION ${B}`, "city-b"])
        expect.soft(body, `${key} shows ${secret}`).not.toContain(secret);
    }
    // B's things are as they were.
    expect(
      (await db.kysely.selectFrom("tenant_policy_layers").select("tenant_id").execute()).map(
        (r) => r.tenant_id,
      ),
    ).toEqual([B]);
  });
});
