import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { z } from "zod";
import type { Clock } from "../clock.js";
import type { Route } from "../http/server.js";
import type { Policy } from "../policy/schema.js";
import type { LocalMicrosoft } from "./microsoft.js";
import type { LocalWebex } from "./webex.js";
import { PAGE_HTML } from "./page.js";
import { PAGE_CHAT_JS } from "./page-chat.js";
import { PAGE_MEETING_JS } from "./page-meeting.js";
import { PERSONAS, PLAYGROUND_TENANT, personaSchema, type Persona } from "./personas.js";
import { teamsMeetingId } from "./teams-events.js";

const conversationOf = (persona: Persona) => `a:playground-${PERSONAS[persona].aad}`;

/**
 * Local mode has no directory of its own unless the policy brings one: every approval goes to
 * the approver persona, so the whole approval path can be tried.
 */
export function withPlaygroundDirectory(policy: Policy): Policy {
  if (policy.directory) return policy;
  const approver = `aad:${PERSONAS.approver.aad}`;
  return {
    ...policy,
    directory: {
      approvers: {
        "external-participants": approver,
        "external-host": approver,
        "personal-information-consultation": approver,
        "tier-decision": approver,
      },
      incidentContacts: [approver],
    },
  };
}

const sendSchema = z.object({
  persona: personaSchema,
  /** The meeting chat (`19:meeting_…@thread.v2`) instead of the persona's chat with the bot. */
  meeting: z.string().max(200).optional(),
  channel: z.enum(["teams", "webex"]).default("teams"),
  /** Webex: the card message an action answers. */
  messageId: z.string().max(300).optional(),
  /** "automatic": the client asking for its own view of a card addressed to it (refresh). */
  trigger: z.enum(["manual", "automatic"]).default("manual"),
  lang: z.enum(["ja", "en"]).default("ja"),
  text: z.string().max(500).optional(),
  action: z
    .object({ verb: z.string().min(1).max(100), data: z.record(z.string(), z.unknown()) })
    .optional(),
});

const renderer = readFileSync(
  createRequire(import.meta.url).resolve("adaptivecards/dist/adaptivecards.min.js"),
  "utf8",
);

/**
 * The playground's page and its small API on the bot's own server. `/playground/send` turns a
 * person's message or card action into the activity Teams would send (channelId msteams, the
 * persona's aadObjectId, the tenant) and posts it to `/api/messages` with a channel token, so
 * the bot's JWT check and everything after it run as in production.
 */
export function playgroundRoutes(
  microsoft: LocalMicrosoft,
  webex: LocalWebex,
  botUrl: () => string,
  clock: Clock,
): Route[] {
  let n = 0;
  return [
    {
      method: "get",
      path: "/",
      handle: () => ({ status: 200, text: PAGE_HTML, contentType: "text/html; charset=utf-8" }),
    },
    {
      method: "get",
      path: "/playground/page.js",
      handle: () => ({
        status: 200,
        text: PAGE_CHAT_JS,
        contentType: "text/javascript; charset=utf-8",
      }),
    },
    {
      method: "get",
      path: "/playground/meeting.js",
      handle: () => ({
        status: 200,
        text: PAGE_MEETING_JS,
        contentType: "text/javascript; charset=utf-8",
      }),
    },
    {
      method: "get",
      path: "/playground/adaptivecards.js",
      handle: () => ({
        status: 200,
        text: renderer,
        contentType: "text/javascript; charset=utf-8",
      }),
    },
    {
      method: "get",
      path: "/playground/replies",
      handle: (_body, req) => {
        const url = new URL(req.url ?? "/", "http://localhost");
        const persona = personaSchema.safeParse(url.searchParams.get("persona"));
        if (!persona.success) return { status: 400, body: { error: { code: "BAD_ARGUMENT" } } };
        const after = Number(url.searchParams.get("after") ?? "0") || 0;
        const meeting = url.searchParams.get("meeting");
        if (url.searchParams.get("channel") === "webex")
          return {
            status: 200,
            body: {
              replies: webex.replies(PERSONAS[persona.data].email, after).map((r) => ({
                seq: r.seq,
                activity: { id: r.message.id, attachments: r.message.attachments },
              })),
            },
          };
        return {
          status: 200,
          body: { replies: microsoft.replies(meeting ?? conversationOf(persona.data), after) },
        };
      },
    },
    {
      method: "post",
      path: "/playground/send",
      handle: async (body) => {
        const input = sendSchema.safeParse(body);
        if (!input.success) return { status: 400, body: { error: { code: "BAD_ARGUMENT" } } };
        const { persona, lang, text, action, meeting, trigger } = input.data;
        const who = PERSONAS[persona];
        if (input.data.channel === "webex") {
          // Webex: the message or card action is made in the simulated Webex, which signs the
          // webhook and posts it to /api/webex; the answer arrives as a new message.
          const status = action
            ? await webex.press(who.email, input.data.messageId ?? "", {
                ...action.data,
                verb: action.verb,
              })
            : await webex.say(who.email, text ?? "");
          return status === 200 ? { status: 200, body: {} } : { status: 502, body: { status } };
        }
        const chat = meeting
          ? {
              conversation: {
                isGroup: true,
                conversationType: "groupChat",
                tenantId: PLAYGROUND_TENANT,
                id: meeting,
              },
              channelData: {
                tenant: { id: PLAYGROUND_TENANT },
                meeting: { id: teamsMeetingId(meeting) },
              },
            }
          : {
              conversation: {
                conversationType: "personal",
                tenantId: PLAYGROUND_TENANT,
                id: conversationOf(persona),
              },
              channelData: { tenant: { id: PLAYGROUND_TENANT } },
            };
        const common = {
          id: `playground-${String(++n)}`,
          channelId: "msteams",
          serviceUrl: microsoft.serviceUrl,
          timestamp: clock.now().toISOString(),
          locale: lang === "en" ? "en-US" : "ja-JP",
          from: { id: `29:playground-${persona}`, name: who.name, aadObjectId: who.aad },
          recipient: { id: `28:${microsoft.teams.appId}`, name: "会議ガード" },
          ...chat,
        };
        const activity = action
          ? {
              ...common,
              type: "invoke",
              name: "adaptiveCard/action",
              value: {
                action: {
                  type: "Action.Execute",
                  title: action.verb,
                  verb: action.verb,
                  data: action.data,
                },
                trigger,
              },
            }
          : { ...common, type: "message", text: text ?? "" };
        const res = await fetch(`${botUrl()}/api/messages`, {
          method: "POST",
          headers: {
            "content-type": "application/json",
            authorization: `Bearer ${microsoft.channelToken()}`,
          },
          body: JSON.stringify(activity),
        });
        const answer = await res.text();
        return {
          status: res.status === 200 ? 200 : 502,
          body: answer ? (JSON.parse(answer) as unknown) : {},
        };
      },
    },
  ];
}
