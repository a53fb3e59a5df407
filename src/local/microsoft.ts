import { generateKeyPairSync, randomBytes, randomUUID, sign } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { TeamsConfig } from "../config/teams.js";
import { listenOnLoopback, readJson } from "./loopback.js";
import { localGraph, type LocalGraph, type LocalTeamsMeeting } from "./graph.js";
import { meetingInfo, type TeamsPerson } from "./teams-events.js";

/**
 * The Microsoft side of the local playground, on loopback only: what no machine here can reach
 * (the Bot Framework's signing keys and token endpoint, the Bot Connector, Microsoft Graph),
 * speaking their documented paths and shapes, so the bot runs its production code unchanged —
 * JWT checks, proactive messages, meeting creation and read-back included. Nothing here is used
 * outside local mode.
 */

const ISSUER = "https://api.botframework.com";
const KID = "kaigi-guard-local";
const ENDORSED = ["msteams", "emulator", "webchat", "directline", "agents"];

export interface LocalReply {
  /** Position in the conversation, for polling. */
  seq: number;
  activity: Record<string, unknown>;
}

/** Someone the simulated Teams directory knows (`GET …/members/{id}` answers with them). */
export interface LocalPerson extends TeamsPerson {
  email?: string;
}

export interface LocalMicrosoft {
  base: string;
  serviceUrl: string;
  teams: Extract<TeamsConfig, { mode: "production" }>;
  /**
   * A channel token as the Bot Framework would sign it for a request to the bot, for activities
   * whose serviceUrl is `serviceUrl` (default: this simulated connector).
   */
  channelToken(serviceUrl?: string): string;
  /** What the bot sent to a conversation after `after` (by sequence number). */
  replies(conversationId: string, after: number): LocalReply[];
  /** The simulated Graph (calendar, meetings, recordings, subscriptions). */
  graph: LocalGraph;
  /** The Teams meetings in the simulated Graph, oldest first. */
  meetings(): LocalTeamsMeeting[];
  stop(): Promise<void>;
}

const b64 = (x: string | Buffer) => Buffer.from(x).toString("base64url");

export async function startLocalMicrosoft(
  tenantId: string,
  people: LocalPerson[] = [],
): Promise<LocalMicrosoft> {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const jwk = publicKey.export({ format: "jwk" });
  const appId = randomUUID();
  const password = randomBytes(24).toString("hex");
  const botToken = randomBytes(24).toString("hex");
  const graphToken = randomBytes(24).toString("hex");
  const conversations = new Map<string, LocalReply[]>();
  let seq = 0;
  const graph = localGraph(tenantId, people);
  const byThread = (thread: string) => graph.meetings().find((m) => m.threadId === thread);

  const { base, stop } = await listenOnLoopback(handle);
  const send = (res: ServerResponse, status: number, body?: unknown) => {
    res.writeHead(status, { "content-type": "application/json" });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", base);
    const path = url.pathname;
    const method = req.method ?? "GET";
    const auth = req.headers.authorization;
    if (method === "GET" && path === "/openid/.well-known/openidconfiguration") {
      send(res, 200, {
        issuer: ISSUER,
        jwks_uri: `${base}/openid/keys`,
        id_token_signing_alg_values_supported: ["RS256"],
      });
      return;
    }
    if (method === "GET" && path === "/openid/keys") {
      send(res, 200, {
        // The channels Microsoft's local tools send as (Agents Playground's -c choices, the Emulator).
        keys: [{ kty: "RSA", use: "sig", kid: KID, n: jwk.n, e: jwk.e, endorsements: ENDORSED }],
      });
      return;
    }
    if (method === "POST" && path === "/login/botframework.com/oauth2/v2.0/token") {
      send(res, 200, { token_type: "Bearer", expires_in: 3599, access_token: botToken });
      return;
    }
    if (method === "POST" && path === `/login/${tenantId}/oauth2/v2.0/token`) {
      send(res, 200, { token_type: "Bearer", expires_in: 3599, access_token: graphToken });
      return;
    }

    if (method === "POST" && path === "/connector/v3/conversations") {
      if (auth !== `Bearer ${botToken}`) {
        send(res, 401, { error: { code: "Unauthorized" } });
        return;
      }
      // A personal chat with a person who has the app: one per person, as Teams keeps it.
      const params = (await readJson(req)) as { members?: { id?: string }[] } | undefined;
      const member = params?.members?.[0]?.id;
      if (!member) {
        send(res, 400, { error: { code: "BadArgument" } });
        return;
      }
      send(res, 201, { id: `a:playground-${member}` });
      return;
    }
    // TeamsInfo.getMember: who a participant is (their mail address is matched to invitees).
    const member = /^\/connector\/v3\/conversations\/([^/]+)\/members\/([^/]+)$/.exec(path);
    if (member && method === "GET") {
      const person = people.find((p) => p.id === decodeURIComponent(member[2] ?? ""));
      if (auth !== `Bearer ${botToken}` || !person) {
        send(res, auth === `Bearer ${botToken}` ? 404 : 401, { error: { code: "NotFound" } });
        return;
      }
      send(res, 200, {
        id: person.id,
        name: person.name,
        aadObjectId: person.aadObjectId,
        ...(person.email ? { email: person.email, userPrincipalName: person.email } : {}),
        tenantId,
        userRole: "user",
      });
      return;
    }
    // TeamsInfo.getMeetingInfo, by the Teams meeting id (base64 of 0#<thread>#0).
    const info = /^\/connector\/v1\/meetings\/([^/]+)$/.exec(path);
    if (info && method === "GET") {
      const thread = Buffer.from(decodeURIComponent(info[1] ?? ""), "base64")
        .toString("utf8")
        .split("#")[1];
      const meeting = thread ? byThread(thread) : undefined;
      const organizer = people.find((p) => p.aadObjectId === meeting?.organizerOid);
      if (auth !== `Bearer ${botToken}` || !meeting || !organizer) {
        send(res, auth === `Bearer ${botToken}` ? 404 : 401, { error: { code: "NotFound" } });
        return;
      }
      send(
        res,
        200,
        meetingInfo(
          {
            tenantId,
            serviceUrl: `${base}/connector/`,
            botId: `28:${appId}`,
            threadId: meeting.threadId,
            title: meeting.subject,
            joinUrl: meeting.joinUrl,
            graphId: meeting.graphId,
            startsAt: meeting.startsAt,
            endsAt: meeting.endsAt,
          },
          organizer,
        ),
      );
      return;
    }
    const reply = /^\/connector\/v3\/conversations\/([^/]+)\/activities(?:\/[^/]+)?$/.exec(path);
    if (reply && method === "POST") {
      if (auth !== `Bearer ${botToken}`) {
        send(res, 401, { error: { code: "Unauthorized" } });
        return;
      }
      const conversationId = decodeURIComponent(reply[1] ?? "");
      const activity = ((await readJson(req)) ?? {}) as Record<string, unknown>;
      const list = conversations.get(conversationId) ?? [];
      list.push({ seq: ++seq, activity });
      conversations.set(conversationId, list);
      send(res, 200, { id: `reply-${String(seq)}` });
      return;
    }

    if (path.startsWith("/graph/v1.0/")) {
      if (auth !== `Bearer ${graphToken}`) {
        send(res, 401, { error: { code: "InvalidAuthenticationToken" } });
        return;
      }
      const body = method === "POST" || method === "PATCH" ? await readJson(req) : undefined;
      const [status, answer] = await graph.handle(
        method,
        path.slice("/graph/v1.0".length),
        url,
        body,
      );
      send(res, status, answer);
      return;
    }
    send(res, 404, { error: { code: "NotFound" } });
  }

  return {
    base,
    serviceUrl: `${base}/connector/`,
    teams: {
      mode: "production",
      appId,
      password,
      appType: "MultiTenant",
      tenantId: undefined,
      // Unique per start: botbuilder caches keys per metadata URL for the whole process.
      openIdMetadataUrl: `${base}/openid/.well-known/openidconfiguration?run=${randomUUID()}`,
      loginAuthority: `${base}/login`,
      authTimeoutMs: 5_000,
      graphBaseUrl: `${base}/graph/v1.0`,
      // Graph notifies the bot's own server (the simulated Graph posts to where the bot listens).
      notificationUrl: "http://127.0.0.1/api/graph/notifications",
    },
    channelToken: (serviceUrl = `${base}/connector/`) => {
      const now = Math.floor(Date.now() / 1000);
      const header = b64(JSON.stringify({ alg: "RS256", typ: "JWT", kid: KID }));
      const body = b64(
        JSON.stringify({
          iss: ISSUER,
          aud: appId,
          serviceurl: serviceUrl,
          nbf: now - 60,
          iat: now - 60,
          exp: now + 3600,
        }),
      );
      const signature = sign("sha256", Buffer.from(`${header}.${body}`), privateKey);
      return `${header}.${body}.${b64(signature)}`;
    },
    replies: (conversationId, after) =>
      (conversations.get(conversationId) ?? []).filter((r) => r.seq > after),
    graph,
    meetings: () => graph.meetings(),
    stop,
  };
}
