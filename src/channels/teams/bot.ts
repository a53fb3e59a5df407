import { CardFactory, TurnContext, type ConversationReference } from "botbuilder";
import type { z } from "zod";
import type { NeutralCard } from "../../cards/card.js";
import { helpCard, scheduleCard, tierCard, verdictCard } from "../../cards/organizer.js";
import { noticeCard, refusalCard } from "../../cards/notices.js";
import { ADAPTIVE_CARD_CONTENT_TYPE, renderForExecute } from "../../cards/render.js";
import { KaigiError } from "../../errors.js";
import type { Governor, Outcome } from "../../governor/governor.js";
import type { Envelope, GovernorInput } from "../../governor/inputs.js";
import type { Logger } from "../../logger.js";
import type { Policy } from "../../policy/schema.js";
import { localeOf, t, type Locale } from "../../text.js";
import {
  approvalInputSchema,
  meetingTimes,
  requestInputSchema,
  scheduleInputSchema,
  tierInputSchema,
} from "./inputs.js";

export interface TeamsBotDeps {
  governor: Governor;
  /** Keeps how to reach this person later (their personal chat with the bot). */
  remember: (
    tenantId: string,
    personId: string,
    reference: Partial<ConversationReference>,
  ) => Promise<void>;
  policyFor: (tenantId: string) => Policy;
  newId: () => string;
  logger: Logger;
}

/** Who is acting, as Teams authenticated them: never taken from card data. */
interface Turn {
  ctx: TurnContext;
  tenantId: string;
  sender: string;
  lang: Locale;
}

type Handler = (turn: Turn, data: unknown) => Promise<NeutralCard>;

/** A card action: its verb, the shape of its data, and what it does (STYLE 4: routing is data). */
interface ActionRoute<S extends z.ZodType> {
  schema: S;
  handle: (turn: Turn, input: z.infer<S>) => Promise<NeutralCard>;
}

const route =
  <S extends z.ZodType>(r: ActionRoute<S>): Handler =>
  async (turn, data) => {
    const parsed = r.schema.safeParse(data);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".")))].join(", ");
      return refusalCard("BAD_ARGUMENT", turn.lang, fields);
    }
    return r.handle(turn, parsed.data);
  };

/** Text commands in the personal chat; patterns need no spaces around Japanese words. */
const commands: { match: RegExp; card: (turn: Turn, deps: TeamsBotDeps) => NeutralCard }[] = [
  {
    match: /^\s*(予約|よやく|schedule)\s*$/i,
    card: (turn, deps) => scheduleCard(deps.policyFor(turn.tenantId), turn.lang, deps.newId()),
  },
  { match: /^\s*(ヘルプ|help|\?|？)\s*$/i, card: (turn) => helpCard(turn.lang) },
];

export function teamsTurn(deps: TeamsBotDeps): (ctx: TurnContext) => Promise<void> {
  const envelope = (turn: Turn, meetingId: string): Envelope => ({
    eventId: `teams:${turn.ctx.activity.id ?? deps.newId()}`,
    tenantId: turn.tenantId,
    meetingId,
    actor: turn.sender,
  });
  const run = async (
    turn: Turn,
    meetingId: string,
    input: GovernorInput,
    onDone: (o: Extract<Outcome, { status: "done" }>) => NeutralCard,
  ) => {
    const outcome = await deps.governor.handle(envelope(turn, meetingId), input);
    if (outcome.status === "rejected") return refusalCard(outcome.code, turn.lang);
    if (outcome.status === "duplicate")
      return noticeCard(
        t("この回答は受け付け済みです。", "This answer was already received."),
        turn.lang,
      );
    return onDone(outcome);
  };

  const actions: Record<string, Handler> = {
    "schedule.open": (turn) =>
      Promise.resolve(scheduleCard(deps.policyFor(turn.tenantId), turn.lang, deps.newId())),
    "schedule.submit": route({
      schema: scheduleInputSchema,
      handle: (turn, input) => {
        const meetingId = deps.newId();
        const { title, service, invitees, external, personalInfo, recording, departmentDevice } =
          input;
        const { department, fallbackContact } = input;
        const departments = deps.policyFor(turn.tenantId).directory?.departments;
        if (departments && !(department && Object.hasOwn(departments, department)))
          return Promise.resolve(refusalCard("BAD_ARGUMENT", turn.lang, "department"));
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
          },
          () => tierCard(deps.policyFor(turn.tenantId), turn.lang, meetingId),
        );
      },
    }),
    "tier.submit": route({
      schema: tierInputSchema,
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
      handle: (turn, input) => {
        const { kind, decision, tier, reason } = input;
        if (kind === "tier-decision" && decision === "approved" && !tier)
          return Promise.resolve(refusalCard("BAD_ARGUMENT", turn.lang, "tier"));
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
    "meeting.cancel": route({
      schema: requestInputSchema,
      handle: (turn, input) =>
        run(turn, input.requestId, { type: "cancel" }, () =>
          noticeCard(t("予約を中止しました。", "The plan was cancelled."), turn.lang),
        ),
    }),
  };

  const answer = async (turn: Turn, verb: string, data: unknown): Promise<NeutralCard> => {
    const handler = actions[verb];
    if (!handler) return refusalCard("BAD_ARGUMENT", turn.lang, verb);
    try {
      return await handler(turn, data);
    } catch (error) {
      if (error instanceof KaigiError) {
        deps.logger.warn("teams.action_failed", { verb, code: error.code, tenant: turn.tenantId });
        return refusalCard(error.code, turn.lang);
      }
      throw error;
    }
  };

  return async (ctx) => {
    const activity = ctx.activity;
    const tenantId =
      activity.conversation.tenantId ??
      (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    const sender = activity.from.aadObjectId;
    const lang = localeOf(activity.locale);
    if (!tenantId || !sender) {
      deps.logger.warn("teams.no_identity", { type: activity.type });
      return;
    }
    const turn: Turn = { ctx, tenantId, sender: `aad:${sender}`, lang };
    if (
      (activity.conversation.conversationType as string | undefined)?.toLowerCase() === "personal"
    ) {
      await deps.remember(tenantId, turn.sender, {
        ...TurnContext.getConversationReference(activity),
        locale: activity.locale,
      });
    }
    if (activity.type === "invoke" && activity.name === "adaptiveCard/action") {
      const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)
        ?.action;
      const card = await answer(
        turn,
        typeof action?.verb === "string" ? action.verb : "",
        action?.data ?? {},
      );
      await ctx.sendActivity({
        type: "invokeResponse",
        value: {
          status: 200,
          body: {
            statusCode: 200,
            type: ADAPTIVE_CARD_CONTENT_TYPE,
            value: renderForExecute(card),
          },
        },
      });
      return;
    }
    if (activity.type !== "message") return;
    const value = activity.value as { verb?: unknown } | undefined;
    const card =
      value && typeof value.verb === "string"
        ? await answer(turn, value.verb, value)
        : (commands
            .find((c) => c.match.test((activity.text as string | undefined) ?? ""))
            ?.card(turn, deps) ?? helpCard(lang));
    await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard(renderForExecute(card))] });
  };
}
