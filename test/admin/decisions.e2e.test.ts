import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAdmin } from "../../src/admin/accounts.js";
import { createApp, type App } from "../../src/app.js";
import { systemClock } from "../../src/clock.js";
import { memoryLogger } from "../../src/logger.js";
import { loadPolicy } from "../../src/policy/load.js";
import type { Database } from "../../src/store/db.js";
import { listeningApp } from "../_app.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { draftInput } from "../_util.js";

const A = "city-a";
const B = "city-b";
const APPROVER = "aad:approver-oid";
const ORGANIZER = "aad:organizer-oid";
let app: App;
let db: Database;
let url = "";
const logger = memoryLogger();

/** An admin signed in: their session cookie and the CSRF token of their forms. */
interface Signed {
  cookie: string;
  csrf: string;
}

async function signIn(tenant: string, email: string, identity: string | null): Promise<Signed> {
  const password = await createAdmin(db.kysely, tenant, email, new Date(), identity);
  const form = await fetch(`${url}/admin/login`);
  const login = /kg_login=([^;]*)/.exec(form.headers.getSetCookie().join("\n"))?.[1] ?? "";
  const csrf = /name="csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? "";
  const res = await fetch(`${url}/admin/login`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: `kg_login=${login}` },
    body: new URLSearchParams({ csrf, tenant, email, password }).toString(),
  });
  const cookie = `kg_admin=${/kg_admin=([^;]*)/.exec(res.headers.getSetCookie().join("\n"))?.[1] ?? ""}`;
  const page = await (await fetch(`${url}/admin/meetings`, { headers: { cookie } })).text();
  return { cookie, csrf: /name="csrf" value="([^"]+)"/.exec(page)?.[1] ?? "" };
}

const post = (who: Signed, path: string, fields: Record<string, string>, csrf = who.csrf) =>
  fetch(`${url}${path}`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: who.cookie },
    body: new URLSearchParams({ csrf, ...fields }).toString(),
  });

const layers = (tenantId: string) =>
  db.kysely
    .selectFrom("tenant_policy_layers")
    .selectAll()
    .where("tenant_id", "=", tenantId)
    .execute();

const entries = (tenantId: string, action: string) =>
  db.kysely
    .selectFrom("log_entries")
    .select(["actor", "payload"])
    .where("tenant_id", "=", tenantId)
    .where("action", "=", action)
    .execute();

const DIRECTORY = `directory:
  approvers:
    external-participants: "${APPROVER}"
  incidentContacts: ["aad:joho-oid"]
`;

let close: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  ({ app, db, url, close } = await listeningApp({ logger }));
});

afterAll(() => close());

describe("admin console: the tenant's policy layer and directory (R-TEN 2, R-EXT 1)", () => {
  let admin: Signed;
  beforeAll(async () => {
    admin = await signIn(A, "joho@city-a.example.lg.jp", APPROVER);
  });

  it("a layer that is not valid YAML, or that widens the deployment's policy, is refused naming the problem; nothing is stored", async () => {
    const broken = await post(admin, "/admin/policy/preview", { source: "directory: [unclosed" });
    expect(broken.status).toBe(400);
    expect(await broken.text()).toContain("このポリシー層は使えません");
    const widening = await post(admin, "/admin/policy/apply", {
      after: "0",
      source: "approvals:\n  externalParticipants:\n    required: false\n",
    });
    expect(widening.status).toBe(400);
    expect(await widening.text()).toContain("approvals.externalParticipants.required");
    const smuggled = await post(admin, "/admin/policy/preview", { source: "extends: standard\n" });
    expect(smuggled.status).toBe(400);
    expect(await layers(A)).toHaveLength(0);
    expect(await entries(A, "admin.policy_changed")).toHaveLength(0);
  });

  it("without the session's CSRF token nothing is previewed or applied", async () => {
    expect(
      (await post(admin, "/admin/policy/apply", { after: "0", source: DIRECTORY }, "x".repeat(32)))
        .status,
    ).toBe(403);
    expect(await layers(A)).toHaveLength(0);
  });

  it("preview shows what changes; applying stores version 1, logs every change, and the tenant's policy uses it at once", async () => {
    const preview = await post(admin, "/admin/policy/preview", { source: DIRECTORY });
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toContain("directory.approvers.external-participants");
    expect(page).toContain(APPROVER);
    expect(await layers(A)).toHaveLength(0); // a preview changes nothing
    const applied = await post(admin, "/admin/policy/apply", { after: "0", source: DIRECTORY });
    expect(applied.status).toBe(200);
    expect(await applied.text()).toContain("第1版を適用しました");
    expect((await layers(A)).map((l) => l.version)).toEqual([1]);
    const [logged] = await entries(A, "admin.policy_changed");
    expect(logged?.actor).toBe("admin:joho@city-a.example.lg.jp");
    expect(JSON.parse(logged?.payload ?? "{}")).toMatchObject({
      version: 1,
      changes: expect.arrayContaining([
        { path: "directory.approvers.external-participants", to: APPROVER },
      ]),
    });
    expect(app.policies.policyFor(A).directory?.approvers["external-participants"]).toBe(APPROVER);
    // Another tenant keeps the deployment's policy and sees none of this.
    expect(app.policies.policyFor(B).directory).toBeUndefined();
    const other = await signIn(B, "admin@city-b.example.lg.jp", null);
    const theirs = await (
      await fetch(`${url}/admin/policy`, { headers: { cookie: other.cookie } })
    ).text();
    expect(theirs).not.toContain(APPROVER);
    expect(theirs).not.toContain("joho@city-a");
    // The policy in effect is shown in full: B's is the deployment's (Kawasaki) without A's layer.
    expect(theirs).toContain("適用中のポリシー全文");
    expect(theirs).toContain("KWS");
  });

  it("an apply based on an older version (another admin applied meanwhile) is refused with 409 and changes nothing", async () => {
    const stale = await post(admin, "/admin/policy/apply", {
      after: "0",
      source: `${DIRECTORY}  departments: {}\n`,
    });
    expect(stale.status).toBe(409);
    expect((await layers(A)).map((l) => l.version)).toEqual([1]);
  });

  it("the directory form writes approvers and contacts into the layer, keeping the rest; a wrong identity is refused", async () => {
    const wrong = await post(admin, "/admin/policy/directory", {
      "approver:external-participants": "山田さん",
    });
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain(
      "is not aad:&#60;object id&#62; or webex:&#60;e-mail&#62;",
    );
    const preview = await post(admin, "/admin/policy/directory", {
      "approver:external-participants": APPROVER,
      "approver:tier-decision": "aad:kacho-oid",
      contacts: "aad:joho-oid, webex:kanri@city-a.example.lg.jp",
    });
    expect(preview.status).toBe(200);
    const page = await preview.text();
    expect(page).toContain("directory.approvers.tier-decision");
    const source = /<textarea name="source" hidden>([\s\S]*?)<\/textarea>/.exec(page)?.[1] ?? "";
    const after = /name="after" value="(\d+)"/.exec(page)?.[1] ?? "";
    const applied = await post(admin, "/admin/policy/apply", {
      after,
      source: source.replace(/&#(\d+);/g, (_, n: string) => String.fromCharCode(Number(n))),
    });
    expect(applied.status).toBe(200);
    const dir = app.policies.policyFor(A).directory;
    expect(dir?.approvers).toEqual({
      "external-participants": APPROVER,
      "tier-decision": "aad:kacho-oid",
    });
    expect(dir?.incidentContacts).toEqual(["aad:joho-oid", "webex:kanri@city-a.example.lg.jp"]);
    expect((await layers(A)).map((l) => l.version)).toEqual([1, 2]);
  });

  it("a layer already in the store is taken into use by an instance that starts later", async () => {
    const later = createApp({
      db,
      policy: loadPolicy("kawasaki"),
      logger,
      clock: systemClock,
      runWorkers: false,
    });
    expect(later.policies.policyFor(A).directory).toBeUndefined();
    await later.listen(0, "127.0.0.1");
    expect(later.policies.policyFor(A).directory?.approvers["external-participants"]).toBe(
      APPROVER,
    );
    await later.stop();
  });
});

describe("admin console: answering approvals (R-EXT 1, KSS 第9章2(5)イ; requester ≠ approver, KSS 第2章1(11))", () => {
  const MEETING = "m-external";
  let approver: Signed;

  beforeAll(async () => {
    approver = await signIn(A, "joho@city-a.example.lg.jp", APPROVER);
    const base = draftInput("外部講師との打合せ");
    await app.governor.handle(
      { eventId: "draft-ext", tenantId: A, meetingId: MEETING, actor: ORGANIZER },
      { ...base, plan: { ...base.plan, external: true } },
    );
    const tier = await app.governor.handle(
      { eventId: "tier-ext", tenantId: A, meetingId: MEETING, actor: ORGANIZER },
      { type: "tier-answered", tier: "II" },
    );
    expect(tier.status).toBe("done");
    const confirmed = await app.governor.handle(
      { eventId: "confirm-ext", tenantId: A, meetingId: MEETING, actor: ORGANIZER },
      { type: "confirm" },
    );
    expect(confirmed.status).toBe("done");
  });

  const pending = () =>
    db.kysely
      .selectFrom("approvals")
      .select(["status", "decided_by"])
      .where("tenant_id", "=", A)
      .where("meeting_id", "=", MEETING)
      .executeTakeFirstOrThrow();
  const answer = (who: Signed, decision: string, meeting = MEETING) =>
    post(who, "/admin/approvals/answer", {
      meeting,
      kind: "external-participants",
      decision,
      reason: "講師の所属を確認済み",
    });

  it("the pending approval is listed with its approver; only the named approver sees the answer buttons", async () => {
    const page = await (
      await fetch(`${url}/admin/approvals`, { headers: { cookie: approver.cookie } })
    ).text();
    expect(page).toContain("外部講師との打合せ");
    expect(page).toContain('action="/admin/approvals/answer"');
    const other = await signIn(A, "kanri@city-a.example.lg.jp", null);
    const theirs = await (
      await fetch(`${url}/admin/approvals`, { headers: { cookie: other.cookie } })
    ).text();
    expect(theirs).toContain("外部講師との打合せ");
    expect(theirs).not.toContain('action="/admin/approvals/answer"');
  });

  it("an admin who is not the named approver, or who is the organizer, is refused and nothing changes", async () => {
    const unlinked = await signIn(A, "kanri@city-a.example.lg.jp", null);
    expect((await answer(unlinked, "approved")).status).toBe(403);
    const someoneElse = await signIn(A, "other@city-a.example.lg.jp", "aad:someone-else");
    const refused = await answer(someoneElse, "approved");
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("NOT_APPROVER");
    const organizer = await signIn(A, "org@city-a.example.lg.jp", ORGANIZER);
    const self = await answer(organizer, "approved");
    expect(self.status).toBe(409);
    expect(await self.text()).toContain("SELF_APPROVAL_FORBIDDEN");
    expect(await pending()).toEqual({ status: "pending", decided_by: null });
  });

  it("an admin of another tenant cannot answer it, even with an approver identity and the meeting's id", async () => {
    const intruder = await signIn(B, "x@city-b.example.lg.jp", APPROVER);
    const res = await answer(intruder, "approved");
    expect(res.status).toBe(404);
    expect(await pending()).toEqual({ status: "pending", decided_by: null });
  });

  it("bad input (unknown decision, oversized reason) is refused with nothing changed", async () => {
    expect((await answer(approver, "maybe")).status).toBe(400);
    const long = await post(approver, "/admin/approvals/answer", {
      meeting: MEETING,
      kind: "external-participants",
      decision: "approved",
      reason: "x".repeat(501),
    });
    expect(long.status).toBe(400);
    expect(await pending()).toEqual({ status: "pending", decided_by: null });
  });

  it("the named approver approves in the console: recorded as them, the meeting goes on, the chain verifies", async () => {
    const res = await answer(approver, "approved");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("回答を記録しました");
    expect(await pending()).toEqual({ status: "approved", decided_by: APPROVER });
    const again = await answer(approver, "approved");
    expect(again.status).toBe(409);
    expect((await verifyChain(db, A)).ok).toBe(true);
  });
});
