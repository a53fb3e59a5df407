import { createHmac, randomBytes } from "node:crypto";
import type { WebexConfig } from "../config/webex.js";
import { listenOnLoopback } from "./loopback.js";
import { webexRestApi } from "./webex-api.js";
import { webexId, webexState } from "./webex-state.js";
import { envelope } from "./webex-events.js";

/**
 * The Webex side of the local playground, on loopback only: the REST API the bot framework's SDK
 * and our clients call (people, rooms, memberships, messages, attachment actions, webhooks with
 * the bot token; meetings, participants and recordings with the meetings token), and the webhook
 * deliveries Webex would send — signed with the registered secret (`X-Spark-Signature`, HMAC-SHA1
 * over the exact body) and posted to the bot's /api/webex — so the bot's Webex channel runs its
 * production code unchanged. Shapes follow developer.webex.com (test/local/wire.test.ts compares
 * them with the documented payloads).
 */

export interface LocalWebexReply {
  seq: number;
  /** The message as Webex stores it (the card in `attachments`). */
  message: Record<string, unknown>;
}

export async function startLocalWebex(
  orgId: string,
  people: { email: string; name: string; uuid: string }[],
) {
  // Webex access tokens look like `<secret>_<cluster>_<org uuid>`; the SDK checks the format.
  const token = () => `${randomBytes(32).toString("hex")}_PF84_${orgId}`;
  const botToken = token();
  const meetingsToken = token();
  const secret = randomBytes(24).toString("hex");
  const state = webexState(orgId, people);
  const { me, byEmail, roomOf, rooms, messages, sent, actions, webhooks, meetings, appId } = state;
  const handle = webexRestApi(state, { bot: botToken, meetings: meetingsToken });
  let target = "";
  const { base, stop } = await listenOnLoopback(async (req, res) => {
    const [status, body] = await handle(req, base);
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  });
  /** A webhook delivery: the envelope of the registered hook, signed, posted to the bot. */
  async function deliver(resource: string, event: string, data: object, actorId: string) {
    const hook =
      webhooks.find((w) => w.resource === resource && w.event === event) ??
      webhooks.find((w) => w.resource === "all");
    const body = JSON.stringify(
      envelope(
        {
          id: hook?.id ?? webexId("WEBHOOK"),
          name: hook?.name ?? "kaigi-guard",
          targetUrl: hook?.targetUrl ?? `${target}/api/webex`,
          orgId,
          createdBy: me.id,
          appId,
          ownedBy: resource === "messages" || resource === "attachmentActions" ? "creator" : "org",
          created: hook?.created ?? new Date().toISOString(),
        },
        resource,
        event,
        actorId,
        data,
      ),
    );
    const signature = createHmac("sha1", secret).update(body).digest("hex");
    // Delivered to the bot's own server (the hook's targetUrl names its public address).
    const res = await fetch(`${target}/api/webex`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-spark-signature": signature },
      body,
    });
    await res.arrayBuffer();
    return res.status;
  }

  return {
    base,
    orgId,
    config: {
      enabled: true,
      botToken,
      webhookSecret: secret,
      publicUrl: "http://127.0.0.1",
      apiUrl: `${base}/v1`,
      meetingsToken,
    } satisfies WebexConfig,
    /** Where deliveries go: the bot's base URL, once it listens. */
    deliverTo(url: string) {
      target = url;
    },
    personOf: (email: string) => byEmail(email),
    meetings: () => meetings,
    /** What the bot sent to a person's direct space after `after`. */
    replies(email: string, after: number): LocalWebexReply[] {
      const person = byEmail(email);
      const room = person ? rooms.get(person.id) : undefined;
      return sent
        .filter((s) => s.roomId === room && s.seq > after)
        .map(({ seq: n, message }) => ({ seq: n, message }));
    },
    /** A person writes to the bot in their direct space. */
    async say(email: string, text: string) {
      const person = byEmail(email);
      if (!person) return 404;
      const roomId = roomOf(person.id);
      const message = {
        id: webexId("MESSAGE"),
        roomId,
        roomType: "direct",
        text,
        personId: person.id,
        personEmail: person.emails[0],
        created: new Date().toISOString(),
      };
      messages.set(message.id, message);
      const { text: _text, ...data } = message;
      return deliver("messages", "created", data, person.id);
    },
    /** A person presses a card's Action.Submit: the attachment action, and its webhook. */
    async press(email: string, messageId: string, inputs: Record<string, unknown>) {
      const person = byEmail(email);
      const card = messages.get(messageId);
      if (!person || !card) return 404;
      const action = {
        id: webexId("ATTACHMENT_ACTION"),
        type: "submit",
        messageId,
        inputs,
        personId: person.id,
        roomId: String(card.roomId),
        created: new Date().toISOString(),
      };
      actions.set(action.id, action);
      const { inputs: _inputs, ...data } = action;
      return deliver("attachmentActions", "created", data, person.id);
    },
    deliver,
    stop,
  };
}

export type LocalWebex = Awaited<ReturnType<typeof startLocalWebex>>;
