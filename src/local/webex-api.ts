import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import { readJson } from "./loopback.js";
import {
  webexId,
  type LocalWebexMeeting,
  type WebexPerson,
  type WebexState,
} from "./webex-state.js";

/**
 * The simulated Webex's REST API, answered from its state (src/local/webex-state.ts); webex.ts
 * runs it on loopback and sends its webhooks. Shapes follow developer.webex.com.
 */

type Answer = [status: number, body?: unknown];
const notFound: Answer = [404, { message: "not found" }];
const unauthorized: Answer = [401, { message: "The request requires a valid access token." }];
const found = (value: unknown): Answer => (value ? [200, value] : notFound);

/**
 * The REST API at `base` (`/v1/...`): the bot token for people, spaces, memberships, messages,
 * card actions and webhooks; the meetings token for meetings, participants and recordings.
 */
export function webexRestApi(state: WebexState, tokens: { bot: string; meetings: string }) {
  const { me, persons, rooms, messages, sent, actions, webhooks, meetings, appId, orgId } = state;
  const { byEmail, roomOf } = state;
  const botToken = tokens.bot;
  const meetingsToken = tokens.meetings;

  /** Meetings, participants and recordings: the meetings token (a Service App acting for hosts). */
  async function meetingsApi(req: IncomingMessage, url: URL): Promise<Answer> {
    const path = url.pathname;
    const method = req.method ?? "GET";
    if (method === "POST" && path === "/v1/meetings") {
      const body = ((await readJson(req)) ?? {}) as Record<string, unknown>;
      const id = randomBytes(16).toString("hex");
      const hostEmail = typeof body.hostEmail === "string" ? body.hostEmail : "";
      const host = byEmail(hostEmail);
      const meeting: LocalWebexMeeting = {
        id,
        title: typeof body.title === "string" ? body.title : "",
        hostEmail,
        hostUserId: host?.id ?? "",
        hostDisplayName: host?.displayName ?? "",
        start: typeof body.start === "string" ? body.start : "",
        end: typeof body.end === "string" ? body.end : "",
        webLink: `https://playground.webex.com/playground/j.php?MTID=m${id}`,
        meetingNumber: String(20_000_000_000 + meetings.length),
        instanceId: `${id}_I_${String(Date.now())}`,
        recordings: [],
        options: body,
        integrationTags: typeof body.integrationTag === "string" ? [body.integrationTag] : [],
      };
      meetings.push(meeting);
      return [200, meetingResource(meeting)];
    }
    if (method === "GET" && path.startsWith("/v1/meetings/")) {
      const id = decodeURIComponent(path.slice("/v1/meetings/".length));
      const meeting = meetings.find((m) => m.id === id);
      return meeting ? [200, meetingResource(meeting)] : notFound;
    }
    if (method === "GET" && path === "/v1/meetingParticipants") return [200, { items: [] }];
    if (method === "POST" && path === "/v1/meetingParticipants/admit") return [204];
    if (method === "GET" && path === "/v1/recordings") {
      const id = url.searchParams.get("meetingId") ?? "";
      const meeting = meetings.find((m) => m.id === id || m.instanceId === id);
      return [200, { items: meeting?.recordings ?? [] }];
    }
    if (method === "DELETE" && path.startsWith("/v1/recordings/")) {
      const id = decodeURIComponent(path.slice("/v1/recordings/".length));
      const meeting = meetings.find((m) => m.recordings.some((r) => r.id === id));
      if (!meeting) return notFound;
      meeting.recordings = meeting.recordings.filter((r) => r.id !== id);
      return [204];
    }
    return notFound;
  }

  /** People, rooms, memberships, messages, card actions, webhooks: the bot token. */
  async function botApi(req: IncomingMessage, url: URL): Promise<Answer> {
    const path = url.pathname;
    const method = req.method ?? "GET";
    const tail = (prefix: string) => decodeURIComponent(path.slice(prefix.length));
    if (method === "GET" && path === "/v1/people/me") return [200, me];
    if (method === "GET" && (path === "/v1/people" || path === "/v1/people/")) {
      const ids = (url.searchParams.get("id") ?? "").split(",");
      return [200, { items: ids.map((id) => persons.get(id)).filter(Boolean) }];
    }
    if (method === "GET" && path.startsWith("/v1/people/"))
      return found(persons.get(tail("/v1/people/")));
    if (method === "GET" && path === "/v1/rooms") return [200, { items: [] }];
    if (method === "GET" && path.startsWith("/v1/rooms/")) {
      const id = tail("/v1/rooms/");
      const owner = [...rooms.entries()].find(([, room]) => room === id)?.[0];
      return owner
        ? [200, { id, title: "会議ガード", type: "direct", isLocked: false, creatorId: owner }]
        : notFound;
    }
    if (method === "GET" && path === "/v1/memberships") return [200, { items: memberships(url) }];
    if (method === "GET" && path.startsWith("/v1/messages/"))
      return found(messages.get(tail("/v1/messages/")));
    if (method === "POST" && path === "/v1/messages") {
      const body = ((await readJson(req)) ?? {}) as { toPersonEmail?: string; roomId?: string };
      const person = body.toPersonEmail ? byEmail(body.toPersonEmail) : undefined;
      const roomId = body.roomId ?? (person ? roomOf(person.id) : undefined);
      if (!roomId) return [404, { message: "no such person" }];
      const message = {
        id: webexId("MESSAGE"),
        roomId,
        roomType: "direct",
        personId: me.id,
        personEmail: me.emails[0],
        created: new Date().toISOString(),
        ...body,
      };
      messages.set(message.id, message);
      sent.push({ seq: state.nextSeq(), roomId, message });
      return [200, message];
    }
    if (method === "GET" && path.startsWith("/v1/attachment/actions/"))
      return found(actions.get(tail("/v1/attachment/actions/")));
    if (path === "/v1/webhooks" && method === "GET") return [200, { items: webhooks }];
    if (path === "/v1/webhooks" && method === "POST") {
      const body = ((await readJson(req)) ?? {}) as Record<string, string>;
      const hook: Record<string, string> = {
        ...body,
        id: webexId("WEBHOOK"),
        status: "active",
        created: new Date().toISOString(),
        orgId,
        createdBy: me.id,
        appId,
      };
      webhooks.push(hook);
      return [200, hook];
    }
    if (path.startsWith("/v1/webhooks/")) {
      const at = webhooks.findIndex((w) => w.id === tail("/v1/webhooks/"));
      if (method === "DELETE") {
        if (at >= 0) webhooks.splice(at, 1);
        return [204];
      }
      const hook = webhooks[at];
      if (method === "PUT" && hook) {
        Object.assign(hook, await readJson(req));
        return [200, hook];
      }
    }
    return notFound;
  }

  /** A direct space has two members, the bot and the person: the framework checks both. */
  function memberships(url: URL) {
    const roomId = url.searchParams.get("roomId") ?? "";
    const owner = [...rooms.entries()].find(([, room]) => room === roomId)?.[0];
    const all = (owner ? [me, persons.get(owner)] : [])
      .filter((p): p is WebexPerson => p !== undefined)
      .map((p) => ({
        id: webexId("MEMBERSHIP", `${roomId.slice(-12)}-${p.id.slice(-12)}`),
        roomId,
        personId: p.id,
        personEmail: p.emails[0],
        personDisplayName: p.displayName,
        personOrgId: p.orgId,
        isModerator: false,
        isMonitor: false,
        created: new Date().toISOString(),
      }));
    const personId = url.searchParams.get("personId");
    return personId ? all.filter((m) => m.personId === personId) : all;
  }

  return async function handle(req: IncomingMessage, base: string): Promise<Answer> {
    const url = new URL(req.url ?? "/", base);
    const path = url.pathname;
    const auth = req.headers.authorization;
    // The SDK's service catalogue (U2C): every service it asks for is this simulated API.
    if (req.method === "GET" && /^\/u2c\/api\/v1\/(limited\/)?catalog$/.test(path))
      return [200, { serviceLinks: { hydra: `${base}/v1/` }, hostCatalog: {}, format: "hostmap" }];
    if (/^\/v1\/(meetings|recordings|meetingParticipants)\b/.test(path))
      return auth === `Bearer ${meetingsToken}` ? meetingsApi(req, url) : unauthorized;
    if (!path.startsWith("/v1/")) return notFound;
    return auth === `Bearer ${botToken}` ? botApi(req, url) : unauthorized;
  };
}

/** The meeting as GET /meetings/{id} answers (meeting-create-response.json, the fields we keep). */
function meetingResource(m: LocalWebexMeeting) {
  return {
    enabledAutoRecordMeeting: false,
    enabledJoinBeforeHost: false,
    enableConnectAudioBeforeHost: false,
    joinBeforeHostMinutes: 0,
    unlockedMeetingJoinSecurity: "allowJoinWithLobby",
    enableAutomaticLock: true,
    automaticLockMinutes: 0,
    publicMeeting: false,
    allowAnyUserToBeCoHost: false,
    allowFirstUserToBeCoHost: false,
    ...m.options,
    id: m.id,
    meetingNumber: m.meetingNumber,
    title: m.title,
    meetingType: "meetingSeries",
    state: "active",
    timezone: "Asia/Tokyo",
    start: m.start,
    end: m.end,
    hostEmail: m.hostEmail,
    siteUrl: "playground.webex.com",
    webLink: m.webLink,
  };
}
