import { describe, expect, it } from "vitest";
import { transition, transitions } from "../../src/meetings/lifecycle.js";
import { meetingStates } from "../../src/meetings/state.js";
import type { Effect, Meeting, MeetingEvent } from "../../src/meetings/types.js";
import { testClock } from "../_util.js";
import { APPROVER, ORGANIZER, declared, draft, last, run } from "./_meeting.js";

const ofType = <T extends Effect["type"]>(effects: Effect[], type: T) =>
  effects.filter((e): e is Extract<Effect, { type: T }> => e.type === type);

describe("meeting lifecycle: the path without approvals", () => {
  it("draft → tier declared → scheduled → in progress → ended → cleanup pending → closed", () => {
    const clock = testClock();
    const results = run(
      draft(),
      [
        declared({ tier: "II", service: "webex" }),
        { type: "confirm", actor: ORGANIZER },
        { type: "start" },
        { type: "end" },
        { type: "open-cleanup" },
        { type: "confirm-cleanup", actor: ORGANIZER, itemId: "cloud-data" },
        { type: "confirm-cleanup", actor: ORGANIZER, itemId: "chat-data" },
      ],
      clock,
    );
    expect(results.map((r) => r.meeting.state)).toEqual([
      "tier-declared",
      "scheduled",
      "in-progress",
      "ended",
      "cleanup-pending",
      "cleanup-pending",
      "closed",
    ]);
    const [, scheduled, started, , cleanup, , closed] = results;
    expect(ofType(scheduled?.effects ?? [], "platform")).toEqual([
      expect.objectContaining({
        action: "create-meeting",
        settings: expect.objectContaining({ lobby: expect.anything() }),
      }),
    ]);
    expect(ofType(scheduled?.effects ?? [], "set-timer")).toEqual([
      // The "should have ended" fallback: planned end + 30 minutes.
      expect.objectContaining({
        key: "m1:end-fallback",
        runAt: "2026-12-01T02:30:00.000Z",
        event: { type: "end" },
      }),
    ]);
    expect(ofType(started?.effects ?? [], "message").map((m) => [m.to.kind, m.template])).toEqual([
      ["meeting-chat", "tier-notice"],
      ["organizer", "roll-call"],
    ]);
    expect(ofType(cleanup?.effects ?? [], "set-timer")).toEqual([
      expect.objectContaining({ key: "m1:reminder:1", runAt: "2026-12-01T02:00:00.000Z" }),
    ]);
    expect(ofType(closed?.effects ?? [], "cancel-timers")).toEqual([
      { type: "cancel-timers", keyPrefix: "m1:reminder:" },
    ]);
    expect(closed?.meeting.cleanup.every((c) => c.done && c.confirmedBy === ORGANIZER)).toBe(true);
  });

  it("every transition logs what it did", () => {
    const results = run(
      draft(),
      [declared({ tier: "I", service: "teams" }), { type: "confirm", actor: ORGANIZER }],
      testClock(),
    );
    expect(results.map((r) => ofType(r.effects, "log").map((l) => l.action))).toEqual([
      ["tier.declared"],
      ["meeting.scheduled"],
    ]);
  });

  it("a refused verdict ends in refused, and the organizer may declare again", () => {
    const results = run(
      draft(),
      [
        declared({ tier: "I", service: "zoom" }),
        { type: "confirm", actor: ORGANIZER },
        declared({ tier: "I", service: "webex" }),
      ],
      testClock(),
    );
    expect(results.map((r) => r.meeting.state)).toEqual([
      "tier-declared",
      "refused",
      "tier-declared",
    ]);
  });
});

describe("approvals (KSS 第9章2(5)イ, MWG 5(1), KSS 第3章2) and 兼務の禁止 (KSS 第2章1(11))", () => {
  const awaiting = () =>
    last(
      run(
        draft(),
        [
          declared({ tier: "II", service: "webex", external: true }),
          { type: "confirm", actor: ORGANIZER },
        ],
        testClock(),
      ),
    );

  it("a meeting with external participants waits for the approver; no meeting is created before", () => {
    const result = awaiting();
    expect(result.meeting.state).toBe("awaiting-approval");
    expect(ofType(result.effects, "platform")).toEqual([]);
    expect(ofType(result.effects, "message").map((m) => m.to)).toContainEqual({
      kind: "approver",
      approval: "external-participants",
    });
  });

  it("the requester cannot approve their own request", () => {
    const event: MeetingEvent = {
      type: "answer-approval",
      actor: ORGANIZER,
      kind: "external-participants",
      decision: "approved",
    };
    expect(() => transition(awaiting().meeting, event, testClock())).toThrow(
      expect.objectContaining({ code: "SELF_APPROVAL_FORBIDDEN" }),
    );
  });

  it("another person's approval schedules the meeting and records who decided", () => {
    const result = transition(
      awaiting().meeting,
      {
        type: "answer-approval",
        actor: APPROVER,
        kind: "external-participants",
        decision: "approved",
      },
      testClock(),
    );
    expect(result.meeting.state).toBe("scheduled");
    expect(result.meeting.approvals).toEqual([
      {
        kind: "external-participants",
        status: "approved",
        decidedBy: APPROVER,
        decidedAt: "2026-12-01T01:00:00.000Z",
      },
    ]);
    expect(ofType(result.effects, "platform").map((p) => p.action)).toEqual(["create-meeting"]);
  });

  it("a refusal ends the request, and a second answer is refused as not pending", () => {
    const clock = testClock();
    const refused = transition(
      awaiting().meeting,
      {
        type: "answer-approval",
        actor: APPROVER,
        kind: "external-participants",
        decision: "refused",
        reason: "不要",
      },
      clock,
    );
    expect(refused.meeting.state).toBe("refused");
    expect(() =>
      transition(
        { ...refused.meeting, state: "awaiting-approval" },
        {
          type: "answer-approval",
          actor: APPROVER,
          kind: "external-participants",
          decision: "approved",
        },
        clock,
      ),
    ).toThrow(expect.objectContaining({ code: "APPROVAL_NOT_PENDING" }));
  });

  it("a tier decision replaces the verdict, and may bring approvals the first verdict did not need", () => {
    const clock = testClock();
    const waiting = last(
      run(
        draft(),
        [
          declared({ tier: "unknown", service: "webex", personalInfo: true }, "musashino"),
          { type: "confirm", actor: ORGANIZER },
        ],
        clock,
      ),
    );
    expect(waiting.meeting.approvals.map((a) => a.kind)).toEqual([
      "personal-information-consultation",
      "tier-decision",
    ]);
    const decided = declared({ tier: "I", service: "webex", personalInfo: true }, "musashino");
    if (decided.type !== "declare-tier") throw new Error("unreachable");
    const afterTier = transition(
      waiting.meeting,
      {
        type: "answer-approval",
        actor: APPROVER,
        kind: "tier-decision",
        decision: "approved",
        decided: { tier: "I", verdict: decided.verdict },
      },
      clock,
    );
    expect(afterTier.meeting.tier).toBe("I");
    expect(afterTier.meeting.state).toBe("awaiting-approval");
    const done = transition(
      afterTier.meeting,
      {
        type: "answer-approval",
        actor: APPROVER,
        kind: "personal-information-consultation",
        decision: "approved",
      },
      clock,
    );
    expect(done.meeting.state).toBe("scheduled");
  });

  it("an unanswered request escalates, and the answer still counts afterwards", () => {
    const clock = testClock();
    const escalated = transition(
      awaiting().meeting,
      { type: "escalate", reason: "approval-overdue" },
      clock,
    );
    expect(escalated.meeting.state).toBe("escalated");
    expect(ofType(escalated.effects, "message").map((m) => m.to.kind)).toEqual(["admin"]);
    expect(() =>
      transition(escalated.meeting, { type: "escalate", reason: "approval-overdue" }, clock),
    ).toThrow(expect.objectContaining({ code: "ILLEGAL_TRANSITION" }));
    const approved = transition(
      escalated.meeting,
      {
        type: "answer-approval",
        actor: APPROVER,
        kind: "external-participants",
        decision: "approved",
      },
      clock,
    );
    expect(approved.meeting.state).toBe("scheduled");
  });
});

describe("cleanup reminders (R-POST 3)", () => {
  const pending = () =>
    last(
      run(
        draft(),
        [
          declared({ tier: "II", service: "webex" }),
          { type: "confirm", actor: ORGANIZER },
          { type: "start" },
          { type: "end" },
          { type: "open-cleanup" },
        ],
        testClock(),
      ),
    ).meeting;

  it("each reminder is sent once; a duplicate or stale timer changes nothing", () => {
    const clock = testClock();
    const first = transition(pending(), { type: "reminder-due", n: 1 }, clock);
    expect(ofType(first.effects, "message").map((m) => m.template)).toEqual(["cleanup-reminder"]);
    expect(ofType(first.effects, "set-timer")[0]).toMatchObject({
      key: "m1:reminder:2",
      runAt: "2026-12-02T01:00:00.000Z",
    });
    expect(transition(first.meeting, { type: "reminder-due", n: 1 }, clock)).toEqual({
      meeting: first.meeting,
      effects: [],
    });
    expect(transition(first.meeting, { type: "reminder-due", n: 3 }, clock).effects).toEqual([]);
  });

  it("after the policy's count the admin is told once; reminders go on until confirmed", () => {
    const clock = testClock();
    let meeting: Meeting = pending();
    const admins: number[] = [];
    for (let n = 1; n <= 6; n++) {
      const result = transition(meeting, { type: "reminder-due", n }, clock);
      admins.push(ofType(result.effects, "message").filter((m) => m.to.kind === "admin").length);
      meeting = result.meeting;
    }
    expect(admins).toEqual([0, 0, 0, 1, 0, 0]);
    expect(meeting.state).toBe("escalated");
    meeting = transition(
      meeting,
      { type: "confirm-cleanup", actor: ORGANIZER, itemId: "cloud-data" },
      clock,
    ).meeting;
    const closed = transition(
      meeting,
      { type: "confirm-cleanup", actor: ORGANIZER, itemId: "chat-data" },
      clock,
    );
    expect(closed.meeting.state).toBe("closed");
    expect(ofType(closed.effects, "message").map((m) => m.to.kind)).toEqual(["organizer", "admin"]);
  });

  it("only the organizer confirms, only known items, and a second confirmation changes nothing", () => {
    const clock = testClock();
    expect(() =>
      transition(
        pending(),
        { type: "confirm-cleanup", actor: APPROVER, itemId: "cloud-data" },
        clock,
      ),
    ).toThrow(expect.objectContaining({ code: "NOT_ORGANIZER" }));
    expect(() =>
      transition(pending(), { type: "confirm-cleanup", actor: ORGANIZER, itemId: "nope" }, clock),
    ).toThrow(expect.objectContaining({ code: "CLEANUP_ITEM_UNKNOWN" }));
    const once = transition(
      pending(),
      { type: "confirm-cleanup", actor: ORGANIZER, itemId: "cloud-data" },
      clock,
    );
    expect(
      transition(
        once.meeting,
        { type: "confirm-cleanup", actor: ORGANIZER, itemId: "cloud-data" },
        clock,
      ).effects,
    ).toEqual([]);
  });
});

describe("events out of order", () => {
  it("a meeting that starts without clearance is recorded and the admin told", () => {
    const result = transition(draft(), { type: "start" }, testClock());
    expect(result.meeting.state).toBe("in-progress");
    expect(ofType(result.effects, "message").map((m) => [m.to.kind, m.template])).toContainEqual([
      "admin",
      "started-without-clearance",
    ]);
  });

  it("only the organizer may declare, confirm or cancel", () => {
    expect(() =>
      transition(
        draft(),
        { ...declared({ tier: "I", service: "webex" }), actor: APPROVER } as MeetingEvent,
        testClock(),
      ),
    ).toThrow(expect.objectContaining({ code: "NOT_ORGANIZER" }));
  });

  it.each(
    meetingStates.flatMap((state) =>
      (Object.keys(transitions) as MeetingEvent["type"][]).map((type) => [state, type] as const),
    ),
  )("%s + %s is either legal or a typed ILLEGAL_TRANSITION", (state, type) => {
    const entry = transitions[type];
    const legal = entry.from.includes(state);
    if (legal) return;
    const event = {
      type,
      actor: ORGANIZER,
      n: 1,
      itemId: "x",
      kind: "tier-decision",
      decision: "approved",
      reason: "unclassified",
    } as unknown as MeetingEvent;
    expect(() => transition(draft({ state }), event, testClock())).toThrow(
      expect.objectContaining({ code: "ILLEGAL_TRANSITION" }),
    );
  });

  it("time comes from the injected clock", () => {
    const clock = testClock();
    clock.advance(90 * 60_000);
    const result = last(
      run(draft({ state: "ended", verdict: pendingVerdict() }), [{ type: "open-cleanup" }], clock),
    );
    expect(ofType(result.effects, "set-timer")[0]?.runAt).toBe("2026-12-01T03:30:00.000Z");
  });
});

function pendingVerdict() {
  const event = declared({ tier: "II", service: "webex" });
  if (event.type !== "declare-tier") throw new Error("unreachable");
  return event.verdict;
}

describe("meetings caught in the calendar, and timers that find the answer given", () => {
  it("a meeting that already exists on the platform gets the tier's settings applied, not a second meeting", () => {
    const clock = testClock();
    const caught = draft({ platformMeeting: { id: "om-1", joinUrl: "https://teams.example/j/1" } });
    const [, scheduled] = run(
      caught,
      [declared({ tier: "II", service: "teams" }), { type: "confirm", actor: ORGANIZER }],
      clock,
    );
    expect(ofType(scheduled?.effects ?? [], "platform")).toEqual([
      expect.objectContaining({ action: "apply-settings" }),
    ]);
  });

  it("an unclassified escalation after the tier was declared, or an overdue one with nothing pending, does nothing", () => {
    const clock = testClock();
    const [declaredResult] = run(draft(), [declared({ tier: "I", service: "teams" })], clock);
    const meeting = declaredResult?.meeting ?? draft();
    const late = transition(meeting, { type: "escalate", reason: "unclassified" }, clock);
    expect(late).toEqual({ meeting, effects: [] });
    const overdue = transition(meeting, { type: "escalate", reason: "approval-overdue" }, clock);
    expect(overdue).toEqual({ meeting, effects: [] });
    const open = transition(draft(), { type: "escalate", reason: "unclassified" }, clock);
    expect(open.meeting.state).toBe("escalated");
    expect(ofType(open.effects, "message")).toEqual([
      expect.objectContaining({ to: { kind: "admin" }, template: "escalation" }),
    ]);
  });
});

describe("in the meeting: participants and recording consent (R-ADMIT, R-REC)", () => {
  const joined = (id: string, email?: string): MeetingEvent => ({
    type: "participant-joined",
    participant: { id, ...(email ? { email } : {}) },
    at: "2026-12-01T01:01:00.000Z",
  });

  function startedWithRecording(name: "kawasaki" | "musashino") {
    const clock = testClock();
    const results = run(
      draft({
        invitees: ["a@city.example.lg.jp"],
        plan: {
          service: "webex",
          participants: 3,
          external: false,
          externalHost: false,
          personalInfo: false,
          recording: true,
          transcription: false,
          departmentDevice: false,
        },
      }),
      [
        declared({ tier: "II", service: "webex", recording: true }, name),
        { type: "confirm", actor: ORGANIZER },
        { type: "start" },
      ],
      clock,
    );
    return { clock, meeting: results.at(-1)?.meeting ?? draft(), started: results.at(-1) };
  }

  it("a planned recording asks for consent at the start, with a deadline", () => {
    const { started } = startedWithRecording("musashino");
    expect(started?.meeting.consent).toBeDefined();
    expect(ofType(started?.effects ?? [], "set-timer")).toEqual([
      expect.objectContaining({ key: "m1:consent-deadline", event: { type: "consent-deadline" } }),
    ]);
  });

  it("an invitee's join is recorded; a stranger is flagged; each gets a consent card once", () => {
    const { clock, meeting } = startedWithRecording("musashino");
    const [invitee, stranger, rejoin] = run(
      meeting,
      [
        joined("aad:a", "A@city.example.lg.jp"),
        joined("aad:x", "x@elsewhere.example"),
        joined("aad:a"),
      ],
      clock,
    );
    expect(invitee?.meeting.participants?.[0]).toMatchObject({ id: "aad:a", invited: true });
    expect(ofType(invitee?.effects ?? [], "message").map((m) => m.template)).toEqual([
      "consent-request",
    ]);
    expect(ofType(stranger?.effects ?? [], "message").map((m) => m.template)).toEqual([
      "unknown-participant",
      "consent-request",
    ]);
    // A reconnect is not a new person: no second flag; still asked, having not answered.
    expect(ofType(rejoin?.effects ?? [], "message").map((m) => m.template)).toEqual([
      "consent-request",
    ]);
    expect(rejoin?.meeting.participants).toHaveLength(2);
  });

  it("all-participants: a refusal alerts at once; everyone agreeing is told; the deadline names who is missing", () => {
    const { clock, meeting } = startedWithRecording("musashino");
    const [, , refused, agreed, deadline] = run(
      meeting,
      [
        joined("aad:a", "a@city.example.lg.jp"),
        joined("aad:b"),
        { type: "consent-answered", actor: "aad:a", answer: "refuse", cardVersion: 1 },
        { type: "consent-answered", actor: "aad:a", answer: "agree", cardVersion: 1 },
        { type: "consent-deadline" },
      ],
      clock,
    );
    expect(ofType(refused?.effects ?? [], "message")).toEqual([
      expect.objectContaining({
        template: "consent-refused",
        data: expect.objectContaining({ mode: "all-participants" }),
      }),
    ]);
    expect(ofType(agreed?.effects ?? [], "message")).toEqual([]);
    expect(ofType(deadline?.effects ?? [], "message")).toEqual([
      expect.objectContaining({
        template: "consent-missing",
        data: expect.objectContaining({ personIds: ["aad:b"] }),
      }),
    ]);
    const [, everyone] =
      run(
        deadline?.meeting ?? meeting,
        [{ type: "consent-answered", actor: "aad:b", answer: "agree", cardVersion: 1 }],
        clock,
      ).concat([]).length > 0
        ? [
            undefined,
            transition(
              deadline?.meeting ?? meeting,
              { type: "consent-answered", actor: "aad:b", answer: "agree", cardVersion: 1 },
              clock,
            ),
          ]
        : [];
    expect(ofType(everyone?.effects ?? [], "message").map((m) => m.template)).toEqual([
      "consent-complete",
    ]);
  });

  it("consent-or-notice (KWS 4(3)エ): a refusal still alerts, a missing answer does not block", () => {
    const { clock, meeting } = startedWithRecording("kawasaki");
    const [, refused, deadline] = run(
      meeting,
      [
        joined("aad:a", "a@city.example.lg.jp"),
        { type: "consent-answered", actor: "aad:a", answer: "refuse", cardVersion: 1 },
        { type: "consent-deadline" },
      ],
      clock,
    );
    expect(ofType(refused?.effects ?? [], "message").map((m) => m.template)).toEqual([
      "consent-refused",
    ]);
    expect(deadline?.effects).toEqual([]);
  });

  it("a second start or end changes nothing; the end starts the cleanup from a timer due now", () => {
    const { clock, meeting } = startedWithRecording("kawasaki");
    expect(transition(meeting, { type: "start" }, clock)).toEqual({ meeting, effects: [] });
    const ended = transition(meeting, { type: "end" }, clock);
    expect(ofType(ended.effects, "set-timer")).toEqual([
      expect.objectContaining({
        key: "m1:open-cleanup",
        runAt: clock.now().toISOString(),
        event: { type: "open-cleanup" },
      }),
    ]);
    expect(transition(ended.meeting, { type: "end" }, clock)).toEqual({
      meeting: ended.meeting,
      effects: [],
    });
  });
});
