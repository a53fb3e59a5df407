import type { Clock } from "../clock.js";
import { KaigiError, type ErrorCode } from "../errors.js";
import { newMeeting, transition } from "../meetings/lifecycle.js";
import type { Effect, Meeting, MeetingEvent, TransitionResult } from "../meetings/types.js";
import { evaluateRemembered } from "../policy/evaluate.js";
import type { Policy } from "../policy/schema.js";
import type { TierAnswer } from "../meetings/state.js";
import { approverOf } from "./directory.js";
import { performEffects } from "./effects.js";
import { recordIncident, type IncidentReport } from "./incident.js";
import type { Envelope, GovernorInput } from "./inputs.js";
import type { GovernorStore } from "./port.js";

export type Outcome =
  | { status: "done"; meeting: Meeting; effects: Effect[] }
  | { status: "duplicate" }
  | { status: "rejected"; code: ErrorCode };

/** A new meeting of the envelope's tenant, organized by whoever sent it. */
const newMeetingFor = (env: Envelope, fields: Partial<Meeting>) =>
  newMeeting({ id: env.meetingId, tenantId: env.tenantId, organizerId: env.actor, ...fields });

export class MeetingNotFoundError extends KaigiError {
  constructor(meetingId: string) {
    super("MEETING_NOT_FOUND", `no meeting ${meetingId} in this tenant`, { meetingId });
  }
}

/**
 * The application core: turns a neutral inbound event into a lifecycle transition and writes the
 * new state, its log entries, its outbox rows and its timers in ONE transaction. Idempotent by
 * event id. A refused action (wrong person, wrong state) changes nothing but is logged.
 */
export class Governor {
  constructor(
    private readonly store: GovernorStore,
    private readonly policyFor: (tenantId: string) => Policy,
    private readonly clock: Clock,
  ) {}

  handle(env: Envelope, input: GovernorInput): Promise<Outcome> {
    const claims = { eventId: env.eventId, meetingId: env.meetingId };
    return this.store.inTransaction(
      env.tenantId,
      async (tx) => {
        const { claimed, meeting: current } = await tx.claimEventAndLoad(env);
        if (!claimed) return { status: "duplicate" };
        let result: TransitionResult;
        try {
          if (env.addressee !== undefined && env.addressee !== env.actor)
            throw new KaigiError("NOT_ADDRESSEE", "the card was sent to someone else");
          result = this.decide(current, env, input);
        } catch (error) {
          if (!(error instanceof KaigiError)) throw error;
          await tx.appendLog({
            tenantId: env.tenantId,
            meetingId: current ? env.meetingId : null,
            actor: env.actor,
            action: "action.rejected",
            payload: { input: input.type, code: error.code },
          });
          return { status: "rejected", code: error.code };
        }
        await tx.saveMeeting(result.meeting, current);
        await performEffects(tx, env, result.effects);
        return { status: "done", meeting: result.meeting, effects: result.effects };
      },
      claims,
    );
  }

  /**
   * R-INC (MWG 8(2)(5), FSM 5): an incident report goes into the log and, in the same
   * transaction, to every configured contact (the department's first, then the city's). The
   * reporter gets the receipt number. Idempotent by event id like every other input.
   */
  reportIncident(
    env: Omit<Envelope, "meetingId">,
    incident: IncidentReport,
  ): Promise<{ status: "done"; receipt: string; contacts: number } | { status: "duplicate" }> {
    return this.store.inTransaction(env.tenantId, async (tx) => {
      if (!(await tx.claimEvent(env.tenantId, env.eventId))) return { status: "duplicate" };
      const at = this.clock.now();
      return recordIncident(tx, env, incident, at, this.policyFor(env.tenantId));
    });
  }

  private decide(
    current: Meeting | undefined,
    env: Envelope,
    input: GovernorInput,
  ): TransitionResult {
    if (input.type === "draft" || input.type === "intercepted") {
      if (current)
        throw new KaigiError("ILLEGAL_TRANSITION", `meeting ${env.meetingId} exists already`);
      if (input.type === "intercepted") return this.intercept(env, input);
      const { title, startsAt, endsAt, plan, invitees, department, fallbackContact, committee } =
        input;
      const meeting = newMeetingFor(env, {
        title,
        startsAt,
        endsAt,
        plan,
        ...(invitees ? { invitees } : {}),
        ...(department ? { department } : {}),
        ...(fallbackContact ? { fallbackContact } : {}),
        ...(committee ? { committee } : {}),
      });
      return {
        meeting,
        effects: [{ type: "log", action: "meeting.drafted", payload: { startsAt, endsAt, plan } }],
      };
    }
    if (!current) throw new MeetingNotFoundError(env.meetingId);
    return transition(current, this.toEvent(current, env, input), this.clock);
  }

  /**
   * A meeting the organizer scheduled in the calendar: recorded as a draft that already has its
   * platform meeting; the organizer is asked for the tier, and if it is still undecided the
   * policy's time before the start, the 情報管理責任者 is told (KSS 第3章2).
   */
  private intercept(
    env: Envelope,
    input: Extract<GovernorInput, { type: "intercepted" }>,
  ): TransitionResult {
    const { title, startsAt, endsAt, plan, invitees, platformMeeting, eventId } = input;
    const meeting = newMeetingFor(env, {
      title,
      startsAt,
      endsAt,
      plan,
      invitees,
      platformMeeting,
      intercepted: { eventId },
    });
    const rule = this.policyFor(env.tenantId).unclassifiedEscalation;
    const escalateAt = new Date(
      Math.max(
        new Date(startsAt).getTime() - rule.minutesBeforeStart * 60_000,
        this.clock.now().getTime(),
      ),
    );
    return {
      meeting,
      effects: [
        {
          type: "log",
          action: "meeting.intercepted",
          payload: { startsAt, endsAt, plan, platformMeetingId: platformMeeting.id },
        },
        { type: "message", to: { kind: "organizer" }, template: "tier-request", data: {} },
        {
          type: "set-timer",
          key: `${meeting.id}:unclassified`,
          runAt: escalateAt.toISOString(),
          event: { type: "escalate", reason: "unclassified" },
        },
      ],
    };
  }

  private toEvent(
    meeting: Meeting,
    env: Envelope,
    input: Exclude<GovernorInput, { type: "draft" | "intercepted" }>,
  ): MeetingEvent {
    const actor = env.actor;
    const verdictFor = (tier: TierAnswer) => {
      if (!meeting.plan)
        throw new KaigiError("ILLEGAL_TRANSITION", "the meeting has no plan to evaluate");
      return evaluateRemembered({ ...meeting.plan, tier }, this.policyFor(meeting.tenantId));
    };
    switch (input.type) {
      case "tier-answered":
        return { type: "declare-tier", actor, tier: input.tier, verdict: verdictFor(input.tier) };
      case "approval-answered": {
        // Only the approver the directory names may decide (KSS 第9章2(5)イ, 第3章2).
        // The organizer is refused by the lifecycle for what it is: self-approval (KSS 第2章1(11)).
        if (
          actor !== meeting.organizerId &&
          approverOf(this.policyFor(meeting.tenantId), meeting, input.kind) !== actor
        )
          throw new KaigiError(
            "NOT_APPROVER",
            `only the approver named for ${input.kind} may answer`,
          );
        const { kind, decision, reason, tier } = input;
        return {
          type: "answer-approval",
          actor,
          kind,
          decision,
          ...(reason === undefined ? {} : { reason }),
          ...(tier === undefined ? {} : { decided: { tier, verdict: verdictFor(tier) } }),
        };
      }
      case "confirm":
      case "cancel":
      case "recording-announced":
        return { type: input.type, actor };
      case "consent-answered":
      case "recording-deleted":
      case "lobby-admitted":
        return { ...input, actor };
      case "confirm-cleanup":
        return { ...input, actor };
      default:
        return input;
    }
  }
}
