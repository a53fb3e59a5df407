import { approvalRequestCard } from "../../cards/approver.js";
import type { NeutralCard } from "../../cards/card.js";
import { incidentNoticeCard } from "../../cards/incident.js";
import { consentCard, meetingNotice } from "../../cards/meeting.js";
import { escalationCard, organizerNotice } from "../../cards/organizer-notices.js";
import { tierCard } from "../../cards/organizer.js";
import { renderForSubmit } from "../../cards/render.js";
import type { Clock } from "../../clock.js";
import { reportPlatformResult } from "../platform-result.js";
import { approverOf } from "../../governor/directory.js";
import type { Governor } from "../../governor/governor.js";
import type { Meeting, Recipient } from "../../meetings/types.js";
import type { Policy } from "../../policy/schema.js";
import type { MeetingSettings } from "../../policy/verdict.js";
import type { Database } from "../../store/db.js";
import type { DeliveryResult, OutboxItem } from "../../store/outbox/outbox.js";
import { readMeeting } from "../../store/repos/meetings.js";
import { recordSentCard } from "../../store/repos/sent-cards.js";
import type { WebexApi } from "./api.js";
import type { WebexMeetingsClient } from "./meetings/client.js";
import { compareWebexReadBack, toWebexOptions } from "./meetings/settings-map.js";

interface MessagePayload {
  meetingId: string;
  to: Recipient;
  template: string;
  data: Record<string, unknown>;
}

/** Webex identities are `webex:<mail address>`: the bot writes to a person by address. */
export const webexEmail = (id: string) => (id.startsWith("webex:") ? id.slice(6) : undefined);

/** The first line of a card as the text fallback Webex shows in notifications. */
const fallbackText = (card: NeutralCard) =>
  card.body.map((b) => (typeof b.text === "string" ? b.text : "")).find((x) => x !== "") ??
  "会議ガード";

/** Templates answered in place of the card the person just submitted. */
const answeredInline = new Set(["verdict", "awaiting-approval"]);

/**
 * The outbox's Webex messages: each to a person's direct space by address (Webex needs no saved
 * conversation). Consent cards go to each participant separately and are recorded with their
 * addressee, so an answer from anyone else is refused. Webex meetings have no bot chat: the tier
 * notice travels in the invitation's agenda instead.
 */
export function webexDeliverer(
  api: WebexApi,
  db: Database,
  policyFor: (tenantId: string) => Policy,
  clock: Clock,
  recordings?: { list: (meeting: Meeting) => Promise<{ id: string; label: string }[]> },
) {
  const send = async (
    tenantId: string,
    addressee: string,
    card: NeutralCard,
    meetingId: string | null,
  ): Promise<DeliveryResult> => {
    const email = webexEmail(addressee);
    if (!email) return { ok: false, permanent: true, error: `NO_ROUTE: ${addressee}` };
    const messageId = await api.sendCard(
      { toPersonEmail: email },
      fallbackText(card),
      renderForSubmit(card),
    );
    await recordSentCard(db.kysely, { tenantId, messageId, addressee, meetingId, at: clock.now() });
    return { ok: true };
  };

  return async (item: OutboxItem): Promise<DeliveryResult> => {
    const payload = item.payload as unknown as MessagePayload;
    if (answeredInline.has(payload.template)) return { ok: true };
    const to = payload.to;
    if (to.kind === "contact")
      return send(item.tenantId, to.personId, incidentNoticeCard("ja", payload.data), null);
    const meeting = await readMeeting(db.kysely, item.tenantId, payload.meetingId);
    if (!meeting) return { ok: false, permanent: true, error: "MEETING_NOT_FOUND" };
    const policy = policyFor(item.tenantId);
    const data = { ...payload.data };
    if ((payload.template === "cleanup" || payload.template === "cleanup-reminder") && recordings) {
      // Listed again on every reminder, each with "delete now" (R-POST 2).
      const listed = await recordings.list(meeting).catch(() => undefined);
      data.artifacts = listed ? { recordings: listed.length, transcripts: 0 } : "unavailable";
      if (listed) data.recordings = listed;
    }
    if (to.kind === "meeting-chat") {
      if (payload.template !== "consent-request") return { ok: true };
      const ids = Array.isArray(data.personIds) ? (data.personIds as string[]) : [];
      for (const id of ids) {
        const sent = await send(item.tenantId, id, consentCard(meeting, "ja", id), meeting.id);
        if (!sent.ok) return sent;
      }
      return { ok: true };
    }
    const recipient =
      to.kind === "organizer"
        ? meeting.organizerId
        : approverOf(policy, meeting, to.kind === "approver" ? to.approval : "tier-decision");
    if (!recipient) return { ok: false, permanent: true, error: `NO_ROUTE: ${to.kind}` };
    const card: NeutralCard | undefined =
      to.kind === "approver"
        ? approvalRequestCard(
            meeting,
            to.approval,
            "ja",
            typeof data.n === "number" ? data.n : undefined,
          )
        : to.kind === "admin"
          ? escalationCard(meeting, "ja", { ...data, template: payload.template })
          : payload.template === "tier-request"
            ? tierCard(policy, "ja", meeting.id)
            : (meetingNotice(payload.template, meeting, "ja", data) ??
              organizerNotice(payload.template, meeting, "ja", data));
    if (!card) return { ok: false, permanent: true, error: `NO_TEMPLATE: ${payload.template}` };
    return send(item.tenantId, recipient, card, meeting.id);
  };
}

/** Japan time with its offset, as the Webex Meetings API takes it. */
const tokyo = (iso: string) =>
  `${new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(0, 19)}+09:00`;

/**
 * R-SET 6 on Webex: the meeting is created for its host with the tier's options (lobby for the
 * uninvited, automatic lock, no join before host, no automatic recording), read back and
 * compared; the outcome goes back through the governor, which tells the organizer.
 */
export function webexMeetingDeliverer(
  meetings: WebexMeetingsClient,
  governor: Governor,
  db: Database,
) {
  return async (item: OutboxItem): Promise<DeliveryResult> => {
    const payload = item.payload as {
      meetingId: string;
      action: string;
      settings?: MeetingSettings;
    };
    if (payload.action !== "create-meeting" || !payload.settings) return { ok: true }; // verify/cancel on Webex: the lock and lobby are fixed at creation
    const meeting = await readMeeting(db.kysely, item.tenantId, payload.meetingId);
    if (!meeting) return { ok: false, permanent: true, error: "MEETING_NOT_FOUND" };
    if (meeting.platformMeeting) return { ok: true };
    const hostEmail = webexEmail(meeting.organizerId);
    if (!hostEmail) return { ok: false, permanent: true, error: "NO_HOST_EMAIL" };
    const options = toWebexOptions(payload.settings);
    await reportPlatformResult(governor, item, meeting.id, "webex", "create-meeting", async () => {
      const created = await meetings.createMeeting(
        {
          title: meeting.title ?? meeting.id,
          agenda: (meeting.verdict?.notice ?? []).map((n) => n.text.ja).join("\n"),
          start: tokyo(meeting.startsAt ?? new Date().toISOString()),
          end: tokyo(meeting.endsAt ?? meeting.startsAt ?? new Date().toISOString()),
          timezone: "Asia/Tokyo",
          hostEmail,
          invitees: (meeting.invitees ?? []).map((email) => ({ email })),
          integrationTag: meeting.id,
        },
        options,
      );
      const back = await meetings.getMeeting(created.id, hostEmail);
      return {
        joinUrl: back.webLink ?? created.webLink ?? "",
        platformMeetingId: created.id,
        mismatches: compareWebexReadBack(options, back),
      };
    });
    return { ok: true };
  };
}
