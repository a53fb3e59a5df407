import { helpCard, scheduleCard, tierCard, verdictCard } from "../cards/organizer.js";
import type { NeutralCard } from "../cards/card.js";
import { noticeCard, refusalCard } from "../cards/notices.js";
import { KaigiError } from "../errors.js";
import { t } from "../text.js";
import { incidentCard, incidentReceiptCard } from "../cards/incident.js";
import { meetingActions } from "./conversation-meeting.js";
import { approvalRequestCard } from "../cards/approver.js";
import { approvalFields, incidentFields, scheduleFields, tierFields } from "../cards/fields.js";
import { inputProblem } from "./input-problems.js";
import {
  badInput,
  idIn,
  route,
  runner,
  type ConversationDeps,
  type Handler,
  type Turn,
} from "./conversation-route.js";
import {
  approvalInputSchema,
  incidentInputSchema,
  meetingTimes,
  requestInputSchema,
  scheduleInputSchema,
  tierInputSchema,
} from "./inputs.js";

export type { ConversationDeps, Turn } from "./conversation-route.js";

/** Text commands in a personal chat; patterns need no spaces around Japanese words. */
const commands: { match: RegExp; card: (turn: Turn, deps: ConversationDeps) => NeutralCard }[] = [
  {
    match: /^\s*(予約|よやく|schedule)\s*$/i,
    card: (turn, deps) => scheduleCard(deps.policyFor(turn.tenantId), turn.lang, deps.newId()),
  },
  { match: /^\s*(ヘルプ|help|\?|？)\s*$/i, card: (turn) => helpCard(turn.lang) },
  {
    match: /^\s*(インシデント|incident)\s*$/i,
    card: (turn, deps) => incidentCard(turn.lang, deps.newId()),
  },
];

/**
 * The organizer's, approver's and participant's side of the conversation, channel-neutral: a
 * card answer (verb + data) or a text command becomes a governor event under the sender's
 * identity, and the answer is a card. Teams and Webex render and carry it.
 */
export function conversation(deps: ConversationDeps) {
  const run = runner(deps.governor);

  const actions: Record<string, Handler> = {
    ...meetingActions(deps, run),
    "schedule.open": (turn) =>
      Promise.resolve(scheduleCard(deps.policyFor(turn.tenantId), turn.lang, deps.newId())),
    "schedule.submit": route({
      schema: scheduleInputSchema,
      fields: scheduleFields,
      again: (turn, data) =>
        Promise.resolve(
          scheduleCard(deps.policyFor(turn.tenantId), turn.lang, idIn(data) ?? deps.newId()),
        ),
      handle: (turn, input) => {
        const meetingId = deps.newId();
        const { title, service, invitees, external, personalInfo, recording, departmentDevice } =
          input;
        const { department, fallbackContact, committee } = input;
        const departments = deps.policyFor(turn.tenantId).directory?.departments;
        if (departments && !(department && Object.hasOwn(departments, department)))
          return Promise.resolve(badInput(inputProblem("department", department, "not-a-choice")));
        const plan = {
          service,
          participants: invitees.length + 1,
          external,
          externalHost: false,
          personalInfo,
          recording,
          transcription: false,
          departmentDevice,
        };
        return run(
          turn,
          meetingId,
          {
            type: "draft",
            title,
            ...meetingTimes(input),
            plan,
            invitees,
            ...(departments && department ? { department } : {}),
            ...(fallbackContact ? { fallbackContact } : {}),
            ...(committee ? { committee } : {}),
          },
          () => tierCard(deps.policyFor(turn.tenantId), turn.lang, meetingId),
        );
      },
    }),
    "tier.submit": route({
      schema: tierInputSchema,
      fields: tierFields,
      again: (turn, data) => {
        const id = idIn(data);
        return Promise.resolve(
          id ? tierCard(deps.policyFor(turn.tenantId), turn.lang, id) : undefined,
        );
      },
      handle: (turn, input) =>
        run(turn, input.requestId, { type: "tier-answered", tier: input.tier }, ({ meeting }) =>
          meeting.verdict
            ? verdictCard(meeting.verdict, turn.lang, meeting.id)
            : refusalCard("ILLEGAL_TRANSITION", turn.lang),
        ),
    }),
    "meeting.confirm": route({
      schema: requestInputSchema,
      handle: (turn, input) =>
        run(turn, input.requestId, { type: "confirm" }, ({ meeting }) =>
          noticeCard(
            meeting.state === "awaiting-approval"
              ? t(
                  "承認を依頼しました。承認されるまで会議は作成されません。",
                  "Approval was requested. The meeting is not created until it is approved.",
                )
              : meeting.state === "scheduled"
                ? t(
                    "会議を作成しています。設定を確認した結果をお知らせします。",
                    "The meeting is being created. You will be told the settings as read back.",
                  )
                : t(
                    "この会議はこのままでは開催できません。",
                    "This meeting cannot go ahead as planned.",
                  ),
            turn.lang,
          ),
        ),
    }),
    "approval.answer": route({
      schema: approvalInputSchema,
      fields: approvalFields,
      again: async (turn, data) => {
        const id = idIn(data);
        const meeting = id ? await deps.readMeeting(turn.tenantId, id) : undefined;
        const kind = meeting?.verdict?.approvals.find((a) => a.kind === data.kind)?.kind;
        return meeting && kind ? approvalRequestCard(meeting, kind, turn.lang) : undefined;
      },
      handle: (turn, input) => {
        const { kind, decision, tier, reason } = input;
        if (kind === "tier-decision" && decision === "approved" && !tier)
          return Promise.resolve(badInput(inputProblem("tier", tier, "not-a-choice")));
        return run(
          turn,
          input.requestId,
          {
            type: "approval-answered",
            kind,
            decision,
            ...(tier ? { tier } : {}),
            ...(reason ? { reason } : {}),
          },
          () =>
            noticeCard(
              t(
                "回答を記録しました。主催者に伝えます。",
                "Your answer is recorded; the organizer will be told.",
              ),
              turn.lang,
            ),
        );
      },
    }),
    "incident.report": route({
      schema: incidentInputSchema,
      fields: incidentFields,
      again: (turn, data) => Promise.resolve(incidentCard(turn.lang, idIn(data) ?? deps.newId())),
      handle: async (turn, input) => {
        const outcome = await deps.governor.reportIncident(
          {
            eventId: turn.eventId,
            tenantId: turn.tenantId,
            actor: turn.sender,
          },
          {
            kind: input.kind,
            description: input.description,
            ...(input.meeting ? { meetingRef: input.meeting } : {}),
          },
        );
        if (outcome.status === "duplicate")
          return noticeCard(
            t("この報告は受け付け済みです。", "This report was already received."),
            turn.lang,
          );
        deps.logger.warn("incident.reported", {
          tenant: turn.tenantId,
          kind: input.kind,
          receipt: outcome.receipt,
        });
        return incidentReceiptCard(turn.lang, outcome.receipt, outcome.contacts);
      },
    }),
    "meeting.cancel": route({
      schema: requestInputSchema,
      handle: (turn, input) =>
        run(turn, input.requestId, { type: "cancel" }, () =>
          noticeCard(t("予約を中止しました。", "The plan was cancelled."), turn.lang),
        ),
    }),
  };

  const answer = async (turn: Turn, verb: string, data: unknown): Promise<NeutralCard> => {
    const handler = Object.hasOwn(actions, verb) ? actions[verb] : undefined;
    if (!handler) return refusalCard("BAD_ARGUMENT", turn.lang, verb);
    try {
      return await handler(turn, data);
    } catch (error) {
      if (error instanceof KaigiError) {
        deps.logger.warn("conversation.action_failed", {
          verb,
          code: error.code,
          tenant: turn.tenantId,
        });
        return refusalCard(error.code, turn.lang);
      }
      throw error;
    }
  };

  /** A text command's card; the help card for anything else. */
  const command = (turn: Turn, said: string): NeutralCard =>
    commands.find((c) => c.match.test(said))?.card(turn, deps) ?? helpCard(turn.lang);
  return { answer, command };
}
