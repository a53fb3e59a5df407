import { z } from "zod";
import type { NeutralCard } from "../../cards/card.js";
import { renderForSubmit } from "../../cards/render.js";
import type { GovernorInput } from "../../governor/inputs.js";
import type { Route } from "../../http/server.js";
import type { Logger } from "../../logger.js";
import type { Locale } from "../../text.js";
import { conversation, type ConversationDeps } from "../conversation.js";
import type { MeetingLinks } from "../meeting-links.js";
import type { WebexApi } from "./api.js";
import type { WebexFramework, WebexInbound } from "./framework.js";
import { validWebexSignature } from "./signature.js";

export interface WebexChannelDeps extends ConversationDeps {
  api: WebexApi;
  secret: string;
  links: MeetingLinks;
  addresseeOf: (tenantId: string, messageId: string) => Promise<string | undefined>;
  logger: Logger;
}

/** The envelope every Webex webhook delivery has (developer.webex.com, Webhooks guide). */
const envelopeSchema = z.looseObject({
  id: z.string().min(1),
  name: z.string().optional(),
  resource: z.string().min(1),
  event: z.string().min(1),
  orgId: z.string().optional(),
  data: z.looseObject({ id: z.string().min(1) }),
});

const meetingData = z.looseObject({ id: z.string(), meetingSeriesId: z.string().optional() });
const participantData = z.looseObject({
  id: z.string(),
  meetingId: z.string(),
  email: z.string().optional(),
  displayName: z.string().optional(),
  host: z.boolean().optional(),
  joinedTime: z.string().optional(),
  leftTime: z.string().optional(),
});
const recordingData = z.looseObject({
  id: z.string(),
  meetingId: z.string().optional(),
  meetingSeriesId: z.string().optional(),
});

/** The series id of a meeting instance id (`<series>_I_<instance>`). */
const seriesOf = (id: string) => id.split("_")[0] ?? id;

/** English when the person wrote in English, else Japanese (Webex gives no locale). */
const langOf = (text: string): Locale => (/^[\x20-\x7e]+$/.test(text.trim()) ? "en" : "ja");

/** The meetings resources we subscribe to ourselves; the framework owns messages and cards. */
export const MEETING_WEBHOOKS = [
  { resource: "meetings", event: "started" },
  { resource: "meetings", event: "ended" },
  { resource: "meetingParticipants", event: "joined" },
  { resource: "meetingParticipants", event: "left" },
  { resource: "recordings", event: "created" },
] as const;

/**
 * The Webex channel: `POST /api/webex` checks `X-Spark-Signature` over the raw body before
 * anything else (unsigned or wrongly signed → 401, logged, nothing processed), hands messages
 * and card actions to the framework, and turns meeting, participant and recording webhooks into
 * the same governor events as Teams. Identities are `webex:<address>` as Webex reports them.
 */
export function webexChannel(deps: WebexChannelDeps) {
  const { answer, command } = conversation(deps);
  let framework: WebexFramework | undefined;

  const reply = async (roomId: string, card: NeutralCard, lang: Locale) => {
    const first = card.body.find((b) => typeof b.text === "string")?.text;
    await deps.api.sendCard(
      { roomId },
      typeof first === "string" ? first : "会議ガード",
      renderForSubmit(card, lang),
    );
  };

  const onInbound = async (event: WebexInbound) => {
    const { email, orgId } = event.person;
    if (!email || !orgId) {
      deps.logger.warn("webex.no_identity", { kind: event.kind });
      return;
    }
    const sender = `webex:${email}`;
    if (event.kind === "message") {
      const turn = {
        tenantId: orgId,
        sender,
        lang: langOf(event.text),
        eventId: `webex:${event.id}`,
      };
      await reply(event.roomId, command(turn, event.text), turn.lang);
      return;
    }
    const addressee = await deps.addresseeOf(orgId, event.messageId);
    const verb = typeof event.inputs.verb === "string" ? event.inputs.verb : "";
    const turn = {
      tenantId: orgId,
      sender,
      // The language of the card answered (its actions carry it); the bot's own cards are ja.
      lang: event.inputs.lang === "en" ? ("en" as const) : ("ja" as const),
      eventId: `webex:${event.id}`,
      ...(addressee ? { addressee } : {}),
    };
    if (addressee && addressee !== sender)
      deps.logger.warn("webex.not_addressee", { tenant: orgId, verb });
    await reply(event.roomId, await answer(turn, verb, event.inputs), turn.lang);
  };

  const toGovernor = async (
    tenantId: string,
    seriesId: string,
    eventId: string,
    input: GovernorInput,
  ) => {
    const meetingId = await deps.links.find(tenantId, "platform", seriesId);
    if (!meetingId) {
      deps.logger.info("webex.meeting_unknown", { tenant: tenantId });
      return;
    }
    await deps.governor.handle({ eventId, tenantId, meetingId, actor: "system:webex" }, input);
  };

  /** Meetings, participants and recordings webhooks (org-level where the app has the scope). */
  const onMeetingWebhook = async (body: z.infer<typeof envelopeSchema>) => {
    const tenantId = body.orgId ?? "";
    if (!tenantId) return;
    if (body.resource === "meetings") {
      const data = meetingData.parse(body.data);
      const series = data.meetingSeriesId ?? seriesOf(data.id);
      const input: GovernorInput = body.event === "started" ? { type: "start" } : { type: "end" };
      await toGovernor(tenantId, series, `webex:meetings:${data.id}:${body.event}`, input);
      return;
    }
    if (body.resource === "meetingParticipants") {
      const data = participantData.parse(body.data);
      if (!data.email || data.host) return;
      const personId = `webex:${data.email.toLowerCase()}`;
      const at =
        (body.event === "left" ? data.leftTime : data.joinedTime) ?? new Date().toISOString();
      const input: GovernorInput =
        body.event === "left"
          ? { type: "participant-left", personId, at }
          : {
              type: "participant-joined",
              participant: {
                id: personId,
                email: data.email,
                ...(data.displayName ? { name: data.displayName } : {}),
              },
              at,
            };
      await toGovernor(
        tenantId,
        seriesOf(data.meetingId),
        `webex:participant:${data.id}:${body.event}:${at}`,
        input,
      );
      return;
    }
    if (body.resource === "recordings") {
      const data = recordingData.parse(body.data);
      const series = data.meetingSeriesId ?? seriesOf(data.meetingId ?? "");
      await toGovernor(tenantId, series, `webex:recording:${data.id}`, {
        type: "recording-reported",
        recordingId: data.id,
      });
    }
  };

  const route: Route = {
    method: "post",
    path: "/api/webex",
    raw: true,
    handle: async (body, req) => {
      const raw = String(body);
      const signature = req.headers["x-spark-signature"];
      if (!validWebexSignature(raw, signature, deps.secret)) {
        deps.logger.warn("webex.signature_refused", {
          reason: signature === undefined ? "missing" : "mismatch",
        });
        return { status: 401, body: { error: { code: "UNAUTHORIZED" } } };
      }
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        return { status: 400, body: { error: { code: "BAD_WEBHOOK" } } };
      }
      const envelope = envelopeSchema.safeParse(json);
      if (!envelope.success) return { status: 400, body: { error: { code: "BAD_WEBHOOK" } } };
      const resource = envelope.data.resource;
      if (
        resource === "meetings" ||
        resource === "meetingParticipants" ||
        resource === "recordings"
      ) {
        await onMeetingWebhook(envelope.data);
      } else if (framework) {
        await framework.process(json);
      } else {
        // The server listens before the framework has started: a 2xx now would acknowledge a
        // delivery nobody reads. 503: the sender (Webex, a load balancer) tries again.
        return { status: 503, body: { error: { code: "STARTING" } } };
      }
      return { status: 200 };
    },
  };

  return {
    route,
    onInbound,
    attach: (started: WebexFramework) => {
      framework = started;
    },
  };
}

/**
 * Registers (or re-points) our meetings webhooks, idempotently: one per resource and event, named
 * after this deployment, targeting `${publicUrl}/api/webex`, signed with the secret.
 */
export async function ensureMeetingWebhooks(api: WebexApi, targetUrl: string, secret: string) {
  const name = `kaigi-guard ${new URL(targetUrl).host}`;
  const existing = await api.listWebhooks();
  for (const want of MEETING_WEBHOOKS) {
    const found = existing.find(
      (w) => w.name === name && w.resource === want.resource && w.event === want.event,
    );
    if (!found) await api.createWebhook({ ...want, name, targetUrl, secret });
    else if (found.targetUrl !== targetUrl || found.status !== "active")
      await api.updateWebhook(found.id, { name, targetUrl, secret });
  }
}
