import type { Clock } from "../clock.js";
import type { Verdict } from "../policy/verdict.js";
import { addMinutes, log, message, setTimer, timerKey, toAdmin, toOrganizer } from "./effects.js";
import { ApprovalNotPendingError, NotOrganizerError, SelfApprovalError } from "./errors.js";
import type { Effect, Meeting, MeetingEvent, TransitionResult } from "./types.js";

type Ev<T extends MeetingEvent["type"]> = Extract<MeetingEvent, { type: T }>;

/** How long after the planned end a meeting is taken as ended if no end event came. */
export const END_GRACE_MINUTES = 30;

function requireOrganizer(meeting: Meeting, actor: string, event: string): void {
  if (actor !== meeting.organizerId) throw new NotOrganizerError(event);
}

export function declareTier(meeting: Meeting, ev: Ev<"declare-tier">): TransitionResult {
  requireOrganizer(meeting, ev.actor, ev.type);
  const { verdict } = ev;
  return {
    meeting: { ...meeting, state: "tier-declared", tier: ev.tier, verdict, approvals: [] },
    effects: [
      // The verdict card is the answer to the tier card itself (Teams and Webex alike).
      log("tier.declared", { tier: ev.tier, verdict: summarize(verdict) }),
    ],
  };
}

export function confirm(meeting: Meeting, ev: Ev<"confirm">, clock: Clock): TransitionResult {
  requireOrganizer(meeting, ev.actor, ev.type);
  const verdict = meeting.verdict;
  if (!verdict?.allowed) {
    return {
      meeting: { ...meeting, state: "refused" },
      effects: [
        log("meeting.refused", { refusals: verdict?.refusals.map((r) => r.code) ?? [] }),
        message(toOrganizer, "refused"),
      ],
    };
  }
  if (verdict.approvals.length === 0) return schedule(meeting, verdict);
  const approvals = verdict.approvals.map((a) => ({ kind: a.kind, status: "pending" as const }));
  return {
    meeting: { ...meeting, state: "awaiting-approval", approvals },
    effects: [
      ...verdict.approvals.flatMap((a): Effect[] => [
        log("approval.requested", { kind: a.kind, cite: a.cite }),
        message({ kind: "approver", approval: a.kind }, "approval-request", { kind: a.kind }),
      ]),
      firstApprovalReminder(meeting, verdict, clock),
    ],
  };
}

const approvalReminderKey = (meeting: Meeting, n: number) =>
  timerKey(meeting, `approval-reminder:${String(n)}`);

function firstApprovalReminder(meeting: Meeting, verdict: Verdict, clock: Clock): Effect {
  const at = addMinutes(clock.now(), verdict.approvalReminders.firstAfterMinutes);
  return setTimer(approvalReminderKey(meeting, 1), at, { type: "approval-reminder-due", n: 1 });
}

/**
 * R-EXT 1: an approver who has not answered is reminded on the policy's schedule, each step once;
 * after `escalateAfter` reminders the 情報管理責任者 is told once. Nothing is created meanwhile.
 */
export function approvalReminderDue(
  meeting: Meeting,
  ev: Ev<"approval-reminder-due">,
  clock: Clock,
): TransitionResult {
  const schedule = meeting.verdict?.approvalReminders;
  const pending = meeting.approvals.filter((a) => a.status === "pending").map((a) => a.kind);
  if (!schedule || pending.length === 0 || ev.n !== (meeting.approvalRemindersSent ?? 0) + 1)
    return { meeting, effects: [] };
  const effects: Effect[] = [
    log("approval.reminded", { n: ev.n, kinds: pending }),
    ...pending.map((kind) =>
      message({ kind: "approver", approval: kind }, "approval-reminder", { kind, n: ev.n }),
    ),
    setTimer(
      approvalReminderKey(meeting, ev.n + 1),
      addMinutes(clock.now(), schedule.everyMinutes),
      { type: "approval-reminder-due", n: ev.n + 1 },
    ),
  ];
  const overdue = ev.n > schedule.escalateAfter && meeting.state !== "escalated";
  if (overdue)
    effects.push(
      log("meeting.escalated", { reason: "approval-overdue", kinds: pending }),
      message(toAdmin, "escalation", { reason: "approval-overdue", kinds: pending }),
    );
  return {
    meeting: {
      ...meeting,
      approvalRemindersSent: ev.n,
      ...(overdue
        ? { state: "escalated" as const, resumeState: "awaiting-approval" as const }
        : {}),
    },
    effects,
  };
}

export function answerApproval(
  meeting: Meeting,
  ev: Ev<"answer-approval">,
  clock: Clock,
): TransitionResult {
  if (ev.actor === meeting.organizerId) throw new SelfApprovalError(meeting.id);
  const pending = meeting.approvals.find((a) => a.kind === ev.kind && a.status === "pending");
  if (!pending) throw new ApprovalNotPendingError(ev.kind);
  const at = clock.now().toISOString();
  const approvals = meeting.approvals.map((a) =>
    a === pending
      ? {
          ...a,
          status: ev.decision,
          decidedBy: ev.actor,
          decidedAt: at,
          ...(ev.reason ? { reason: ev.reason } : {}),
        }
      : a,
  );
  const logged = log("approval.answered", {
    kind: ev.kind,
    decision: ev.decision,
    tier: ev.decided?.tier,
  });
  const stopReminders: Effect = {
    type: "cancel-timers",
    keyPrefix: timerKey(meeting, "approval-reminder:"),
  };
  if (ev.decision === "refused") {
    return {
      meeting: { ...meeting, state: "refused", approvals, resumeState: undefined },
      effects: [logged, stopReminders, message(toOrganizer, "approval-refused", { kind: ev.kind })],
    };
  }
  const decided = ev.decided;
  const next: Meeting = decided
    ? { ...meeting, approvals, tier: decided.tier, verdict: decided.verdict }
    : { ...meeting, approvals };
  const verdict = next.verdict;
  if (!verdict?.allowed) {
    return {
      meeting: { ...next, state: "refused", resumeState: undefined },
      effects: [
        logged,
        stopReminders,
        log("meeting.refused", { refusals: verdict?.refusals.map((r) => r.code) ?? [] }),
        message(toOrganizer, "refused"),
      ],
    };
  }
  // A tier decision can bring approvals the first verdict did not need.
  const known = new Set(approvals.map((a) => a.kind));
  const added = verdict.approvals.filter((a) => !known.has(a.kind));
  const all = [...approvals, ...added.map((a) => ({ kind: a.kind, status: "pending" as const }))];
  if (all.some((a) => a.status === "pending")) {
    return {
      meeting: { ...next, approvals: all, state: "awaiting-approval", resumeState: undefined },
      effects: [
        logged,
        ...added.map((a) =>
          message({ kind: "approver", approval: a.kind }, "approval-request", { kind: a.kind }),
        ),
      ],
    };
  }
  const scheduled = schedule({ ...next, approvals: all }, verdict);
  return {
    ...scheduled,
    effects: [logged, stopReminders, message(toOrganizer, "approved"), ...scheduled.effects],
  };
}

function schedule(meeting: Meeting, verdict: Verdict): TransitionResult {
  // A meeting caught in the calendar exists already: it gets the tier's settings instead.
  const action = meeting.platformMeeting ? "apply-settings" : "create-meeting";
  const effects: Effect[] = [
    log("meeting.scheduled", { tier: meeting.tier }),
    { type: "platform", action, settings: verdict.settings },
  ];
  if (meeting.endsAt) {
    const fallback = addMinutes(new Date(meeting.endsAt), END_GRACE_MINUTES);
    effects.push(setTimer(timerKey(meeting, "end-fallback"), fallback, { type: "end" }));
  }
  return { meeting: { ...meeting, state: "scheduled", resumeState: undefined }, effects };
}

export function escalate(meeting: Meeting, ev: Ev<"escalate">): TransitionResult {
  // A timer set earlier may find the answer already given: nothing to escalate then.
  const answered =
    ev.reason === "unclassified"
      ? meeting.tier !== undefined
      : !meeting.approvals.some((a) => a.status === "pending");
  if (answered) return { meeting, effects: [] };
  return {
    meeting: { ...meeting, state: "escalated", resumeState: meeting.state },
    effects: [
      log("meeting.escalated", { reason: ev.reason }),
      message(toAdmin, "escalation", { reason: ev.reason }),
    ],
  };
}

export function cancel(meeting: Meeting, ev: Ev<"cancel">): TransitionResult {
  requireOrganizer(meeting, ev.actor, ev.type);
  const effects: Effect[] = [
    log("meeting.cancelled"),
    { type: "cancel-timers", keyPrefix: `${meeting.id}:` },
  ];
  if (meeting.state === "scheduled") effects.push({ type: "platform", action: "cancel-meeting" });
  return { meeting: { ...meeting, state: "cancelled", resumeState: undefined }, effects };
}

function summarize(verdict: Verdict): Record<string, unknown> {
  return {
    allowed: verdict.allowed,
    service: verdict.service,
    refusals: verdict.refusals.map((r) => ({ code: r.code, cite: r.cite })),
    warnings: verdict.warnings.map((w) => ({ code: w.code, cite: w.cite })),
    approvals: verdict.approvals.map((a) => ({ kind: a.kind, cite: a.cite })),
  };
}
