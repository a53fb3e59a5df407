import { sql } from "kysely";
import { beforeEach, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { Governor } from "../../src/governor/governor.js";
import type { Envelope, GovernorInput } from "../../src/governor/inputs.js";
import type { Database } from "../../src/store/db.js";
import { boundGovernorStore, governorStore } from "../../src/store/governor-store.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { TimerWorker } from "../../src/store/timers/timers.js";
import type { TimerEvent } from "../../src/meetings/types.js";
import { preset } from "../_util.js";
import { forEachDialect } from "../store/_util.js";

const ORGANIZER = "aad:8e2f4a6c";
const APPROVER = "aad:3a5c7e9b";
/** Kawasaki's rules, with the approver this city names for each kind it needs. */
const policy = () => ({
  ...preset("kawasaki"),
  directory: { approvers: { "external-participants": APPROVER, "tier-decision": APPROVER } },
});
const draft: GovernorInput = {
  type: "draft",
  title: "第3回 情報公開・個人情報保護審査会",
  startsAt: "2026-12-01T01:00:00.000Z",
  endsAt: "2026-12-01T02:00:00.000Z",
  plan: {
    service: "teams",
    participants: 5,
    external: true,
    externalHost: false,
    personalInfo: false,
    recording: false,
    transcription: false,
    departmentDevice: false,
  },
};

forEachDialect("governor: one transaction per event (ARCHITECTURE)", (store) => {
  let db: Database;
  let clock: FixedClock;
  let governor: Governor;
  let n = 0;
  const env = (actor: string, tenantId = "city-a", meetingId = "m1"): Envelope => ({
    eventId: `evt-${++n}`,
    tenantId,
    meetingId,
    actor,
  });
  const actions = async (tenantId = "city-a") =>
    (
      await db.kysely
        .selectFrom("log_entries")
        .select("action")
        .where("tenant_id", "=", tenantId)
        .orderBy("seq")
        .execute()
    ).map((r) => r.action);
  const outbox = async () =>
    (await db.kysely.selectFrom("outbox").select(["kind", "payload"]).orderBy("id").execute()).map(
      (r) => [
        r.kind,
        (JSON.parse(r.payload) as { template?: string; action?: string }).template ??
          (JSON.parse(r.payload) as { action?: string }).action,
      ],
    );

  beforeEach(async () => {
    db = await store.open();
    clock = new FixedClock("2026-11-24T00:00:00.000Z");
    governor = new Governor(governorStore(db, clock), policy, clock);
  });

  it("schedule → tier → approval: state, log, outbox and timers are written together", async () => {
    expect((await governor.handle(env(ORGANIZER), draft)).status).toBe("done");
    await governor.handle(env(ORGANIZER), { type: "tier-answered", tier: "I" });
    const asked = await governor.handle(env(ORGANIZER), { type: "confirm" });
    expect(asked).toMatchObject({ status: "done", meeting: { state: "awaiting-approval" } });
    const approved = await governor.handle(env(APPROVER), {
      type: "approval-answered",
      kind: "external-participants",
      decision: "approved",
    });
    expect(approved).toMatchObject({ status: "done", meeting: { state: "scheduled" } });
    expect(await actions()).toEqual([
      "meeting.drafted",
      "tier.declared",
      "approval.requested",
      "approval.answered",
      "meeting.scheduled",
    ]);
    // The verdict and "approval requested" are the answers to the cards themselves: no message.
    expect(await outbox()).toEqual([
      ["message", "approval-request"],
      ["message", "approved"],
      ["platform", "create-meeting"],
    ]);
    expect(await db.kysely.selectFrom("timers").select("key").execute()).toEqual([
      { key: "m1:end-fallback" },
    ]);
    expect(await verifyChain(db, "city-a")).toMatchObject({ ok: true, entries: 5 });
  });

  it("the same event twice changes nothing the second time", async () => {
    const once = env(ORGANIZER);
    await governor.handle(once, draft);
    expect(await governor.handle(once, draft)).toEqual({ status: "duplicate" });
    expect(await actions()).toEqual(["meeting.drafted"]);
  });

  it("someone other than the organizer answering the tier card is refused, logged, and changes nothing", async () => {
    await governor.handle(env(ORGANIZER), draft);
    expect(await governor.handle(env(APPROVER), { type: "tier-answered", tier: "III" })).toEqual({
      status: "rejected",
      code: "NOT_ORGANIZER",
    });
    const row = await db.kysely.selectFrom("meetings").select(["state"]).executeTakeFirstOrThrow();
    expect(row.state).toBe("draft");
    const last = await db.kysely
      .selectFrom("log_entries")
      .select(["action", "actor", "payload"])
      .orderBy("seq", "desc")
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ action: "action.rejected", actor: APPROVER });
    expect(JSON.parse(last.payload)).toEqual({ code: "NOT_ORGANIZER", input: "tier-answered" });
  });

  it("the organizer approving their own request is refused (KSS 第2章1(11)) and logged", async () => {
    await governor.handle(env(ORGANIZER), draft);
    await governor.handle(env(ORGANIZER), { type: "tier-answered", tier: "II" });
    await governor.handle(env(ORGANIZER), { type: "confirm" });
    expect(
      await governor.handle(env(ORGANIZER), {
        type: "approval-answered",
        kind: "external-participants",
        decision: "approved",
      }),
    ).toEqual({
      status: "rejected",
      code: "SELF_APPROVAL_FORBIDDEN",
    });
    expect((await actions()).at(-1)).toBe("action.rejected");
  });

  it("someone who is not the approver the directory names is refused (NOT_APPROVER), logged, and changes nothing", async () => {
    await governor.handle(env(ORGANIZER), draft);
    await governor.handle(env(ORGANIZER), { type: "tier-answered", tier: "II" });
    await governor.handle(env(ORGANIZER), { type: "confirm" });
    const answer = {
      type: "approval-answered" as const,
      kind: "external-participants" as const,
      decision: "approved" as const,
    };
    expect(await governor.handle(env("aad:colleague"), answer)).toEqual({
      status: "rejected",
      code: "NOT_APPROVER",
    });
    expect((await actions()).at(-1)).toBe("action.rejected");
    const meeting = await db.kysely.selectFrom("meetings").select("state").executeTakeFirst();
    expect(meeting).toEqual({ state: "awaiting-approval" });
    expect(await governor.handle(env(APPROVER), answer)).toMatchObject({ status: "done" });
  });

  it("another tenant's meeting id is not found, and nothing of it is touched", async () => {
    await governor.handle(env(ORGANIZER), draft);
    expect(
      await governor.handle(env(ORGANIZER, "city-b"), { type: "tier-answered", tier: "I" }),
    ).toEqual({ status: "rejected", code: "MEETING_NOT_FOUND" });
    expect(await actions("city-a")).toEqual(["meeting.drafted"]);
  });

  it("a timer fires through the governor inside the timer's own transaction", async () => {
    await governor.handle(env(ORGANIZER), { ...draft, plan: { ...draft.plan, external: false } });
    await governor.handle(env(ORGANIZER), { type: "tier-answered", tier: "II" });
    await governor.handle(env(ORGANIZER), { type: "confirm" });
    expect(await db.kysely.selectFrom("timers").select(["key", "run_at"]).execute()).toEqual([
      { key: "m1:end-fallback", run_at: "2026-12-01T02:30:00.000Z" },
    ]);
    const outcomes: string[] = [];
    const worker = new TimerWorker(db, "w1", clock, async (trx, timer) => {
      const bound = new Governor(boundGovernorStore(trx, db.dialect, clock), policy, clock);
      const outcome = await bound.handle(
        {
          eventId: `timer:${timer.key}`,
          tenantId: timer.tenantId,
          meetingId: timer.meetingId ?? "",
          actor: "system:timer",
        },
        timer.payload as TimerEvent,
      );
      outcomes.push(outcome.status);
    });
    expect(await worker.runOnce()).toBe(0);
    clock.advance(8 * 86_400_000);
    expect(await worker.runOnce()).toBe(1);
    expect(outcomes).toEqual(["done"]);
    expect(await db.kysely.selectFrom("meetings").select("state").executeTakeFirst()).toEqual({
      state: "ended",
    });
    // The cleanup flow starts from a timer due now, written in the same transaction.
    expect(await db.kysely.selectFrom("timers").select("key").execute()).toEqual([
      { key: "m1:open-cleanup" },
    ]);
    const last = await db.kysely
      .selectFrom("log_entries")
      .select(["action", "actor"])
      .orderBy("seq", "desc")
      .executeTakeFirst();
    expect(last).toEqual({ action: "meeting.ended", actor: "system:timer" });
    expect(await worker.runOnce()).toBe(1);
    expect(outcomes).toEqual(["done", "done"]);
    expect(await db.kysely.selectFrom("meetings").select("state").executeTakeFirst()).toEqual({
      state: "cleanup-pending",
    });
    expect(await db.kysely.selectFrom("timers").select("key").execute()).toEqual([
      { key: "m1:reminder:1" },
    ]);
  });

  it("an approver who does not answer is reminded on the policy's schedule, each step once, then the 情報管理責任者 is told (R-EXT 1)", async () => {
    const worker = new TimerWorker(db, "w1", clock, async (trx, timer) => {
      const bound = new Governor(boundGovernorStore(trx, db.dialect, clock), policy, clock);
      await bound.handle(
        {
          eventId: `timer:${timer.key}:${timer.runAt}`,
          tenantId: timer.tenantId,
          meetingId: timer.meetingId ?? "",
          actor: "system:timer",
        },
        timer.payload as TimerEvent,
      );
    });
    const timers = async () =>
      (await db.kysely.selectFrom("timers").select(["key", "run_at"]).orderBy("key").execute()).map(
        (t) => `${t.key}@${t.run_at}`,
      );
    await governor.handle(env(ORGANIZER), draft);
    await governor.handle(env(ORGANIZER), { type: "tier-answered", tier: "I" });
    await governor.handle(env(ORGANIZER), { type: "confirm" });
    // standard.yaml: first after 240 min, then every 1440 min, escalate after 2.
    expect(await timers()).toEqual(["m1:approval-reminder:1@2026-11-24T04:00:00.000Z"]);
    clock.advance(239 * 60_000);
    expect(await worker.runOnce()).toBe(0);
    clock.advance(60_000);
    expect(await worker.runOnce()).toBe(1);
    // The same step again (a stale or duplicated timer) sends nothing more.
    await governor.handle(
      { eventId: "dup", tenantId: "city-a", meetingId: "m1", actor: "system:timer" },
      { type: "approval-reminder-due", n: 1 },
    );
    for (let day = 0; day < 2; day++) {
      clock.advance(1440 * 60_000);
      expect(await worker.runOnce()).toBe(1);
    }
    const sent = (await outbox()).filter(([, what]) => what !== "verdict");
    expect(sent).toEqual([
      ["message", "approval-request"],
      ["message", "approval-reminder"],
      ["message", "approval-reminder"],
      ["message", "approval-reminder"],
      ["message", "escalation"],
    ]);
    const meeting = await db.kysely.selectFrom("meetings").select("state").executeTakeFirst();
    expect(meeting).toEqual({ state: "escalated" });
    expect((await actions()).filter((a) => a !== "meeting.drafted")).toEqual([
      "tier.declared",
      "approval.requested",
      "approval.reminded",
      "approval.reminded",
      "approval.reminded",
      "meeting.escalated",
    ]);
    // The answer still counts; reminders stop.
    const approved = await governor.handle(env(APPROVER), {
      type: "approval-answered",
      kind: "external-participants",
      decision: "approved",
    });
    expect(approved).toMatchObject({ status: "done", meeting: { state: "scheduled" } });
    expect(await timers()).toEqual(["m1:end-fallback@2026-12-01T02:30:00.000Z"]);
  });

  it("a database that refuses the write leaves nothing half-written", async () => {
    await governor.handle(env(ORGANIZER), draft);
    const before = await actions();
    if (db.dialect === "sqlite") {
      // Fill the database: no page may be added any more.
      const pages = await sql<{ page_count: number }>`pragma page_count`.execute(db.kysely);
      await sql.raw(`pragma max_page_count = ${pages.rows[0]?.page_count ?? 1}`).execute(db.kysely);
    } else {
      await sql`alter table log_entries add constraint no_more check (seq < 2)`.execute(db.kysely);
    }
    const big = { ...draft, title: "x".repeat(200_000) };
    await expect(governor.handle(env(ORGANIZER, "city-a", "m2"), big)).rejects.toMatchObject({
      code: "STORE_WRITE_FAILED",
    });
    expect(await actions()).toEqual(before);
    expect(await db.kysely.selectFrom("meetings").select("id").execute()).toEqual([{ id: "m1" }]);
    expect(
      await db.kysely.selectFrom("processed_events").select("event_id").execute(),
    ).toHaveLength(1);
  });
});
