import { CardFactory, TurnContext, type ConversationReference } from "botbuilder";
import type { NeutralCard } from "../../cards/card.js";
import {
  ADAPTIVE_CARD_CONTENT_TYPE,
  renderForExecute,
  renderForExecuteJson,
} from "../../cards/render.js";
import { JsonText } from "../../http/json-text.js";
import { localeOf } from "../../text.js";
import { conversation, type ConversationDeps, type Turn } from "../conversation.js";
import type { MeetingLinks } from "../meeting-links.js";
import { handleMeetingEvent, MEETING_EVENTS } from "./meeting-events.js";

export interface TeamsBotDeps extends ConversationDeps {
  /** Keeps how to reach this person later (their personal chat with the bot). */
  remember: (
    tenantId: string,
    personId: string,
    reference: Partial<ConversationReference>,
  ) => Promise<void>;
  /** Platform ids → our meetings (meeting events carry Teams' own ids). */
  links: MeetingLinks;
}

/** The answer to an `adaptiveCard/action` invoke: the card to show (Universal Actions). */
export const cardInvokeResponse = (card: object) => ({
  type: "invokeResponse",
  value: {
    status: 200,
    body: { statusCode: 200, type: ADAPTIVE_CARD_CONTENT_TYPE, value: card },
  },
});

/** The same answer for one of our cards, rendered for Teams straight to its JSON text. */
export const executeInvokeResponse = (card: NeutralCard, refreshFor: string[] = []) => ({
  type: "invokeResponse",
  value: {
    status: 200,
    body: new JsonText(
      `{"statusCode":200,"type":${JSON.stringify(ADAPTIVE_CARD_CONTENT_TYPE)},"value":${renderForExecuteJson(card, refreshFor)}}`,
    ),
  },
});

/**
 * One Teams turn: the sender as Teams authenticated them (`from.aadObjectId`, the tenant from the
 * activity), meeting events to the lifecycle, card invokes and text to the conversation; the
 * answer to an Action.Execute is the card itself (Universal Actions), a per-user view staying
 * that user's.
 */
export function teamsTurn(deps: TeamsBotDeps): (ctx: TurnContext) => Promise<void> {
  const { answer, command } = conversation(deps);
  return async (ctx) => {
    const activity = ctx.activity;
    const tenantId =
      activity.conversation.tenantId ??
      (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
    const sender = activity.from.aadObjectId;
    const lang = localeOf(activity.locale);
    if (
      tenantId &&
      activity.type === "event" &&
      (Object.values(MEETING_EVENTS) as string[]).includes(activity.name ?? "")
    ) {
      await handleMeetingEvent(ctx, tenantId, deps);
      return;
    }
    if (!tenantId || !sender) {
      deps.logger.warn("teams.no_identity", { type: activity.type });
      return;
    }
    const turn: Turn = {
      tenantId,
      sender: `aad:${sender}`,
      lang,
      eventId: `teams:${activity.id ?? `${activity.type}:${Date.now().toString(36)}`}`,
    };
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
      // A per-user view stays that user's view (card refresh for the sender only).
      await ctx.sendActivity(executeInvokeResponse(card, card.refresh ? [activity.from.id] : []));
      return;
    }
    if (activity.type !== "message") return;
    const value = activity.value as { verb?: unknown } | undefined;
    const card =
      value && typeof value.verb === "string"
        ? await answer(turn, value.verb, value)
        : command(turn, activity.text);
    await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard(renderForExecute(card))] });
  };
}
