import { CardFactory, TurnContext, type ConversationReference } from "botbuilder";
import { approvalRequestCard } from "../../cards/approver.js";
import { escalationCard, organizerNotice } from "../../cards/organizer-notices.js";
import { tierCard } from "../../cards/organizer.js";
import { noticeCard } from "../../cards/notices.js";
import type { NeutralCard } from "../../cards/card.js";
import { japanTime } from "../../japan-time.js";
import { t, type Locale } from "../../text.js";
import { consentCard, meetingNotice, tierNoticeCard } from "../../cards/meeting.js";
import { incidentNoticeCard } from "../../cards/incident.js";
import type { Policy } from "../../policy/schema.js";
import { renderForExecute } from "../../cards/render.js";
import type { Meeting, Recipient } from "../../meetings/types.js";
import type { Database } from "../../store/db.js";
import type { DeliveryResult, OutboxItem } from "../../store/outbox/outbox.js";
import {
  anyConversation,
  findConversation,
  saveConversation,
} from "../../store/repos/conversations.js";
import { readMeeting } from "../../store/repos/meetings.js";
import { approverOf } from "../../governor/directory.js";
import { listDevices } from "../../store/repos/devices.js";
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
  /** What the platform still keeps of a meeting, listed on cleanup cards (R-POST 2). */
  artifacts?: (meeting: Meeting) => Promise<{ recordings: number; transcripts: number }>,
) {
  /** R-INC: an incident notice to a contact named in the directory (no meeting needed). */
  const toContact = async (
    tenantId: string,
    personId: string,
    payload: MessagePayload,
  ): Promise<DeliveryResult> => {
    if (payload.template !== "incident")
      return { ok: false, permanent: true, error: `NO_TEMPLATE: ${payload.template}` };
    const reference = (await findConversation(db.kysely, tenantId, personId, "teams")) as
      Partial<ConversationReference> | undefined;
    if (!reference) return { ok: false, permanent: true, error: "NO_CONVERSATION" };
    const lang = (reference as { locale?: string }).locale?.toLowerCase().startsWith("en")
      ? "en"
      : "ja";
    const card = incidentNoticeCard(lang, payload.data);
    await adapter.continueConversationAsync(appId, reference, async (context: TurnContext) => {
      await context.sendActivity({
        attachments: [CardFactory.adaptiveCard(renderForExecute(card))],
      });
    });
    return { ok: true };
  };
  /**
   * Someone who never wrote to the bot (an approver, say): a personal chat is created with the
   * Bot Connector (members = their AAD object id, the tenant's service URL from any chat there),
   * which works when the app is installed for them; its reference is kept for next time.
   */
  const openPersonalChat = async (
    tenantId: string,
    personId: string,
  ): Promise<Partial<ConversationReference> | undefined> => {
    if (!personId.startsWith("aad:")) return undefined;
    const known = (await anyConversation(db.kysely, tenantId, "teams")) as
      Partial<ConversationReference> | undefined;
    if (!known?.serviceUrl) return undefined;
    let created: Partial<ConversationReference> | undefined;
    await adapter
      .createConversationAsync(
        appId,
        "msteams",
        known.serviceUrl,
        "https://api.botframework.com",
        {
          isGroup: false,
          bot: { id: `28:${appId}`, name: "会議ガード" },
          members: [{ id: personId.slice(4), name: "" }],
          tenantId,
          channelData: { tenant: { id: tenantId } },
        },
        (context) => {
          created = TurnContext.getConversationReference(context.activity);
          return Promise.resolve();
        },
      )
      .catch(() => undefined);
    if (created)
      await saveConversation(db.kysely, {
        tenantId,
        personId,
        channel: "teams",
        reference: created,
        at: new Date(),
      });
    return created;
  };
  return async (item: OutboxItem): Promise<DeliveryResult> => {
    if (item.kind !== "message")
      return { ok: false, permanent: true, error: `NO_DELIVERER: ${item.kind}` };
    const payload = item.payload as unknown as MessagePayload;
    if (answeredInline.has(payload.template)) return { ok: true };
    const to = payload.to;
    if (to.kind === "contact") return toContact(item.tenantId, to.personId, payload);
    const meeting: Meeting | undefined = await readMeeting(
      db.kysely,
      item.tenantId,
      payload.meetingId,
    );
    if (!meeting) return { ok: false, permanent: true, error: "MEETING_NOT_FOUND" };
    const recipient = recipientOf(meeting, to, policyFor(item.tenantId));
    if (!recipient)
      return {
        ok: false,
        permanent: true,
        error: `NO_ROUTE: ${to.kind === "approver" ? `approver for ${to.approval}` : to.kind}`,
      };
    const reference =
      ((await findConversation(db.kysely, item.tenantId, recipient, "teams")) as
        Partial<ConversationReference> | undefined) ??
      (await openPersonalChat(item.tenantId, recipient));
    if (!reference) return { ok: false, permanent: true, error: "NO_CONVERSATION" };
    const lang = (reference as { locale?: string }).locale?.toLowerCase().startsWith("en")
      ? "en"
      : "ja";
    const data = { ...payload.data };
    if (
      (payload.template === "cleanup" || payload.template === "cleanup-reminder") &&
      artifacts &&
      meeting.platformMeeting
    ) {
      // Re-checked on every reminder; a failure to ask is shown, not hidden.
      data.artifacts = await artifacts(meeting).catch(() => "unavailable");
    }
    if (
      (payload.template === "cleanup" || payload.template === "cleanup-reminder") &&
      meeting.plan?.departmentDevice
    ) {
      data.devices = (await listDevices(db.kysely, item.tenantId))
        .filter((d) => !d.retired)
        .map((d) => ({ id: d.id, label: d.label }));
    }
    const card = cardFor(meeting, to, payload.template, data, lang, policyFor(item.tenantId));
    if (!card) return { ok: false, permanent: true, error: `NO_TEMPLATE: ${payload.template}` };
    // Consent cards are addressed: each listed person's client asks for their own view.
    const addressed =
      payload.template === "consent-request" && Array.isArray(data.personIds)
        ? (meeting.participants ?? [])
            .filter((p) => (data.personIds as string[]).includes(p.id) && p.mri)
            .map((p) => p.mri ?? "")
            .slice(0, 60)
        : [];
    await adapter.continueConversationAsync(appId, reference, async (context: TurnContext) => {
      await context.sendActivity({
        attachments: [CardFactory.adaptiveCard(renderForExecute(card, addressed))],
      });
    });
    return { ok: true };
  };
}

/**
 * Who gets a message: the organizer; an approver from the policy's directory (the organizer's
 * department first); escalations go to the 情報管理責任者, who decides tiers (KSS 第3章2); the
 * meeting chat is kept under `meeting:<id>` once the meeting's first event arrived.
 */
function recipientOf(meeting: Meeting, to: Recipient, policy: Policy): string | undefined {
  if (to.kind === "organizer") return meeting.organizerId;
  if (to.kind === "meeting-chat") return `meeting:${meeting.id}`;
  if (to.kind === "contact") return to.personId;
  return approverOf(policy, meeting, to.kind === "approver" ? to.approval : "tier-decision");
}

function cardFor(
  meeting: Meeting,
  to: Recipient,
  template: string,
  data: Record<string, unknown>,
  lang: Locale,
  policy: Policy,
): NeutralCard | undefined {
  switch (to.kind) {
    case "approver":
      return approvalRequestCard(
        meeting,
        to.approval,
        lang,
        template === "approval-reminder" && typeof data.n === "number" ? data.n : undefined,
      );
    case "admin":
      return (
        (template === "escalation" ? undefined : organizerNotice(template, meeting, lang, data)) ??
        escalationCard(meeting, lang, { ...data, template })
      );
    case "meeting-chat":
      return template === "tier-notice"
        ? tierNoticeCard(meeting, lang)
        : template === "consent-request"
          ? consentCard(meeting, lang)
          : undefined;
    case "organizer":
      return template === "tier-request"
        ? interceptedTierCard(meeting, policy, lang)
        : (meetingNotice(template, meeting, lang, data) ??
            organizerNotice(template, meeting, lang, data));
  }
}

/** A meeting the organizer scheduled in the calendar: what was caught, then the tier card. */
function interceptedTierCard(meeting: Meeting, policy: Policy, lang: "ja" | "en"): NeutralCard {
  const tier = tierCard(policy, lang, meeting.id);
  const intro = noticeCard(
    t(
      `カレンダーで予定された Teams 会議「${meeting.title ?? ""}」（${japanTime("ja", meeting.startsAt)}）の機密性区分を選んでください。区分に応じた設定をこの会議に適用します。`,
      `Choose the tier of the Teams meeting "${meeting.title ?? ""}" (${japanTime("en", meeting.startsAt)}) scheduled in your calendar. Its settings will be applied to that meeting.`,
    ),
    lang,
  );
  return { ...tier, id: "tier-intercepted", body: [...intro.body, ...tier.body] };
}
