import type { WebexConfig } from "../../config/webex.js";
import type { Meeting } from "../../meetings/types.js";
import { addresseeOf } from "../../store/repos/sent-cards.js";
import { conversationDeps, type ChannelPart, type PartDeps } from "../part.js";
import { WebexApi } from "./api.js";
import { ensureMeetingWebhooks, webexChannel } from "./channel.js";
import { webexDeliverer, webexEmail, webexMeetingDeliverer } from "./deliver.js";
import { WebexFramework } from "./framework.js";
import { WebexMeetingsClient } from "./meetings/client.js";

export type EnabledWebex = Extract<WebexConfig, { enabled: true }>;

/**
 * The Webex channel: its webhook endpoint (messages, card answers and meeting events to the
 * conversation), the deliverer of messages and, with a meetings token, of Webex Meetings calls;
 * the bot framework starts once the server listens, since it registers the webhooks that target
 * it.
 */
export function webexPart(config: EnabledWebex, deps: PartDeps): ChannelPart {
  const { db, clock, logger, governor, policyFor } = deps;
  const api = new WebexApi(config.apiUrl, config.botToken);
  const token = config.meetingsToken;
  const meetingsClient = token
    ? new WebexMeetingsClient(config.apiUrl, () => Promise.resolve(token))
    : undefined;
  const host = meetingsClient ? hostActions(meetingsClient) : undefined;
  const channel = webexChannel({
    ...conversationDeps(deps),
    ...host,
    api,
    secret: config.webhookSecret,
    addresseeOf: (tenantId, messageId) => addresseeOf(db.kysely, tenantId, messageId),
  });
  const routes = [channel.route];
  const channels = {
    webexMessages: webexDeliverer(api, db, policyFor, clock, host?.recordings),
    ...(meetingsClient
      ? { webexMeetings: webexMeetingDeliverer(meetingsClient, governor, db) }
      : {}),
  };
  let framework: WebexFramework | undefined;
  const targetUrl = `${config.publicUrl}/api/webex`;
  return {
    routes,
    channels,
    loops: [],
    start: async () => {
      framework = await WebexFramework.start({
        token: config.botToken,
        webhookUrl: targetUrl,
        webhookSecret: config.webhookSecret,
        apiUrl: config.apiUrl,
        onInbound: channel.onInbound,
        onError: (error) => {
          logger.error("webex.inbound_failed", {
            error: error instanceof Error ? error.name : "unknown",
          });
        },
      });
      channel.attach(framework);
      await ensureMeetingWebhooks(api, targetUrl, config.webhookSecret);
    },
    stop: async () => {
      await framework?.stop();
    },
  };
}

/**
 * What the meetings token lets the conversation do, acting for each meeting's host: list and
 * delete its recordings (and count them), and let the invitees waiting in the lobby in.
 */
function hostActions(meetingsClient: WebexMeetingsClient) {
  const hostOf = (m: Meeting) => webexEmail(m.organizerId) ?? "";
  const recordings = {
    list: async (m: Meeting) =>
      m.platformMeeting
        ? (await meetingsClient.listRecordings(m.platformMeeting.id, hostOf(m))).map((r) => ({
            id: r.id,
            label: `${r.topic ?? r.id} ${r.createTime ?? ""}`.trim(),
          }))
        : [],
    remove: (m: Meeting, id: string) => meetingsClient.deleteRecording(id, hostOf(m)),
  };
  return {
    recordings,
    artifacts: async (m: Meeting) => ({
      recordings: (await recordings.list(m)).length,
      transcripts: 0,
    }),
    admitInvitees: async (m: Meeting) => {
      const invited = new Set((m.invitees ?? []).map((i) => i.toLowerCase()));
      const waiting = m.platformMeeting
        ? (await meetingsClient.listParticipants(m.platformMeeting.id, hostOf(m))).filter(
            (p) => p.state === "lobby",
          )
        : [];
      const admit = waiting.filter((p) => invited.has((p.email ?? "").toLowerCase()));
      if (admit.length > 0) await meetingsClient.admit(admit.map((p) => p.id));
      return { admitted: admit.length, kept: waiting.length - admit.length };
    },
  };
}
