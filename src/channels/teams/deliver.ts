import type { TurnContext } from "botbuilder";
import { CardFactory, type ConversationReference } from "botbuilder";
import { approvalRequestCard } from "../../cards/approver.js";
import { escalationCard, organizerNotice } from "../../cards/organizer-notices.js";
import { tierCard } from "../../cards/organizer.js";
import { noticeCard } from "../../cards/notices.js";
import type { NeutralCard } from "../../cards/card.js";
import { t } from "../../text.js";
import type { Policy } from "../../policy/schema.js";
import { renderForExecute } from "../../cards/render.js";
import type { Meeting, Recipient } from "../../meetings/types.js";
import type { Database } from "../../store/db.js";
import type { DeliveryResult, OutboxItem } from "../../store/outbox/outbox.js";
import { findConversation } from "../../store/repos/conversations.js";
import { readMeeting } from "../../store/repos/meetings.js";
import type { TeamsAdapter } from "./adapter.js";

interface MessagePayload {
  meetingId: string;
  to: Recipient;
  template: string;
  data: Record<string, unknown>;
}

/**
 * Templates Teams shows as the answer to the card the person just submitted (Universal Actions),
 * so sending them again would show them twice.
 */
const answeredInline = new Set(["verdict", "awaiting-approval"]);

/**
 * Delivers the outbox's Teams messages to the organizer's, or the approver's, personal chat
 * (proactive message on the saved conversation reference; approvers from the policy's directory). What it cannot deliver yet is a value with a stable reason, so
 * the row waits as a dead letter the admin can see and requeue.
 */
export function teamsDeliverer(
  adapter: TeamsAdapter,
  appId: string,
  db: Database,
  policyFor: (tenantId: string) => Policy,
) {
  return async (item: OutboxItem): Promise<DeliveryResult> => {
    if (item.kind !== "message")
      return { ok: false, permanent: true, error: `NO_DELIVERER: ${item.kind}` };
    const payload = item.payload as unknown as MessagePayload;
    if (answeredInline.has(payload.template)) return { ok: true };
    const to = payload.to;
    if (to.kind === "meeting-chat") {
      return { ok: false, permanent: true, error: `NO_ROUTE: ${to.kind}` };
    }
    const meeting: Meeting | undefined = await readMeeting(
      db.kysely,
      item.tenantId,
      payload.meetingId,
    );
    if (!meeting) return { ok: false, permanent: true, error: "MEETING_NOT_FOUND" };
    // Escalations go to the 情報管理責任者, who decides tiers (KSS 第3章2).
    const directory = policyFor(item.tenantId).directory;
    const kind = to.kind === "approver" ? to.approval : "tier-decision";
    const recipient =
      to.kind === "organizer"
        ? meeting.organizerId
        : ((meeting.department
            ? directory?.departments?.[meeting.department]?.approvers[kind]
            : undefined) ?? directory?.approvers[kind]);
    if (!recipient)
      return {
        ok: false,
        permanent: true,
        error: `NO_ROUTE: ${to.kind === "approver" ? `approver for ${to.approval}` : to.kind}`,
      };
    const reference = (await findConversation(db.kysely, item.tenantId, recipient, "teams")) as
      Partial<ConversationReference> | undefined;
    if (!reference) return { ok: false, permanent: true, error: "NO_CONVERSATION" };
    const lang = (reference as { locale?: string }).locale?.toLowerCase().startsWith("en")
      ? "en"
      : "ja";
    const card: NeutralCard | undefined =
      to.kind === "approver"
        ? approvalRequestCard(
            meeting,
            to.approval,
            lang,
            payload.template === "approval-reminder" && typeof payload.data.n === "number"
              ? payload.data.n
              : undefined,
          )
        : to.kind === "admin"
          ? ((payload.template === "escalation"
              ? undefined
              : organizerNotice(payload.template, meeting, lang, payload.data)) ??
            escalationCard(meeting, lang, { ...payload.data, template: payload.template }))
          : payload.template === "tier-request"
            ? interceptedTierCard(meeting, policyFor(item.tenantId), lang)
            : organizerNotice(payload.template, meeting, lang, payload.data);
    if (!card) return { ok: false, permanent: true, error: `NO_TEMPLATE: ${payload.template}` };
    await adapter.continueConversationAsync(appId, reference, async (context: TurnContext) => {
      await context.sendActivity({
        attachments: [CardFactory.adaptiveCard(renderForExecute(card))],
      });
    });
    return { ok: true };
  };
}

/** A meeting the organizer scheduled in the calendar: what was caught, then the tier card. */
function interceptedTierCard(meeting: Meeting, policy: Policy, lang: "ja" | "en"): NeutralCard {
  const tier = tierCard(policy, lang, meeting.id);
  const intro = noticeCard(
    t(
      `カレンダーで予定された Teams 会議「${meeting.title ?? ""}」（${meeting.startsAt ?? ""}）の機密性区分を選んでください。区分に応じた設定をこの会議に適用します。`,
      `Choose the tier of the Teams meeting "${meeting.title ?? ""}" (${meeting.startsAt ?? ""}) scheduled in your calendar. Its settings will be applied to that meeting.`,
    ),
    lang,
  );
  return { ...tier, id: "tier-intercepted", body: [...intro.body, ...tier.body] };
}
