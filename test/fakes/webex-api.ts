import { createHmac, randomUUID } from "node:crypto";
import { HttpFake, fixture, type RecordedCall } from "./http-fake.js";

export const BOT_TOKEN = "NmM4ZWFkYjctYm90LXRva2VuLWZvci10ZXN0cw_PF84_org";
export const MEETINGS_TOKEN = "webex-service-app-token";
export const ORG_ID = fixture<{ orgId: string }>("webex/people-me-response.json").orgId;

/** Webex ids are base64 (no padding) of `ciscospark://us/<TYPE>/<uuid>`. */
export const webexId = (type: string, uuid: string = randomUUID()) =>
  Buffer.from(`ciscospark://us/${type}/${uuid}`).toString("base64").replace(/=+$/, "");

interface Person {
  id: string;
  emails: string[];
  displayName: string;
  orgId: string;
  type: "person" | "bot";
}

/**
 * The Webex REST API on 127.0.0.1 as the bot framework's SDK and our clients use it: people,
 * rooms, memberships, messages, attachment actions, webhooks (bot token), and meetings and
 * recordings (the Service App token). State is kept so a flow can run end to end; every call is
 * recorded. `sign` produces the body and `X-Spark-Signature` of a webhook delivery.
 */
export function webexApiFake(secret: string) {
  const fake = new HttpFake();
  const me = fixture<Person>("webex/people-me-response.json");
  const people = new Map<string, Person>([[me.id, me]]);
  const rooms = new Map<string, { id: string; personId: string }>();
  const messages = new Map<string, Record<string, unknown>>();
  const actions = new Map<string, Record<string, unknown>>();
  const webhooks: Record<string, unknown>[] = [];
  /** People waiting in the meeting's lobby (GET /meetingParticipants). */
  const lobby = [
    {
      id: "p-invitee",
      email: "ken.sato@city.example.lg.jp",
      displayName: "佐藤 健",
      state: "lobby",
    },
    {
      id: "p-stranger",
      email: "someone@elsewhere.example",
      displayName: "見知らぬ人",
      state: "lobby",
    },
  ];
  /** Ids of the messages the bot posted, in the order of its POST /messages calls. */
  const sentIds: string[] = [];
  let meeting: Record<string, unknown> = fixture("webex/meeting-create-response.json");
  let recordings = fixture<{ items: Record<string, unknown>[] }>(
    "webex/recordings-list-response.json",
  ).items;
  /** Answers to send once before the real one (429 with Retry-After, say). */
  const once: {
    match: (c: RecordedCall) => boolean;
    reply: { status: number; body?: unknown; headers?: Record<string, string> };
  }[] = [];
  const json = (status: number, body: unknown) => ({ status, body });
  const bot = (c: RecordedCall) => c.headers.authorization === `Bearer ${BOT_TOKEN}`;
  const admin = (c: RecordedCall) => c.headers.authorization === `Bearer ${MEETINGS_TOKEN}`;
  const query = (c: RecordedCall) => new URL(c.path, "http://x").searchParams;
  const pathOf = (c: RecordedCall) => new URL(c.path, "http://x").pathname;

  const directRoomOf = (personId: string) => {
    const existing = [...rooms.values()].find((r) => r.personId === personId);
    if (existing) return existing.id;
    const id = webexId("ROOM");
    rooms.set(id, { id, personId });
    return id;
  };

  fake.on((c) => {
    const path = pathOf(c);
    if (path.startsWith("/v1/meetingParticipants")) {
      if (!admin(c)) return json(401, { message: "The request requires a valid access token." });
      if (c.method === "GET") return json(200, { items: lobby });
      if (c.method === "POST" && path === "/v1/meetingParticipants/admit") return { status: 204 };
      return undefined;
    }
    if (path.startsWith("/v1/meetings") || path.startsWith("/v1/recordings")) {
      if (!admin(c)) return json(401, { message: "The request requires a valid access token." });
      if (c.method === "POST" && path === "/v1/meetings") {
        meeting = { ...meeting, ...(c.json as object) };
        return json(200, meeting);
      }
      if (c.method === "GET" && path.startsWith("/v1/meetings/")) return json(200, meeting);
      if (c.method === "GET" && path === "/v1/recordings") return json(200, { items: recordings });
      const id = /^\/v1\/recordings\/(.+)$/.exec(path)?.[1];
      if (c.method === "DELETE" && id) {
        const before = recordings.length;
        recordings = recordings.filter((r) => r.id !== decodeURIComponent(id));
        return recordings.length < before ? { status: 204 } : json(404, { message: "not found" });
      }
      return undefined;
    }
    if (!path.startsWith("/v1/")) return undefined;
    if (!bot(c)) return json(401, { message: "The request requires a valid access token." });
    if (c.method === "GET" && path === "/v1/people/me") return json(200, me);
    if (c.method === "GET" && (path === "/v1/people" || path === "/v1/people/")) {
      const ids = (query(c).get("id") ?? "").split(",");
      return json(200, { items: ids.map((id) => people.get(id)).filter(Boolean) });
    }
    if (c.method === "GET" && path.startsWith("/v1/people/")) {
      const p = people.get(decodeURIComponent(path.slice("/v1/people/".length)));
      return p ? json(200, p) : json(404, { message: "not found" });
    }
    if (c.method === "GET" && path.startsWith("/v1/rooms/")) {
      const room = rooms.get(decodeURIComponent(path.slice("/v1/rooms/".length)));
      return room
        ? json(200, {
            id: room.id,
            title: "会議ガード",
            type: "direct",
            isLocked: false,
            creatorId: room.personId,
          })
        : json(404, { message: "not found" });
    }
    if (c.method === "GET" && path === "/v1/rooms") return json(200, { items: [] });
    if (c.method === "GET" && path === "/v1/memberships") {
      const roomId = query(c).get("roomId");
      if (!roomId) return json(200, { items: [] });
      const room = rooms.get(roomId);
      const botMembership = {
        id: webexId("MEMBERSHIP"),
        roomId,
        personId: me.id,
        personEmail: me.emails[0],
        isModerator: false,
        isMonitor: false,
        created: new Date().toISOString(),
      };
      const personMembership = room
        ? [
            {
              id: webexId("MEMBERSHIP"),
              roomId,
              personId: room.personId,
              personEmail: people.get(room.personId)?.emails[0],
              isModerator: false,
              isMonitor: false,
              created: new Date().toISOString(),
            },
          ]
        : [];
      const personId = query(c).get("personId");
      const all = [botMembership, ...personMembership];
      return json(200, { items: personId ? all.filter((m) => m.personId === personId) : all });
    }
    if (c.method === "GET" && path.startsWith("/v1/messages/")) {
      const m = messages.get(decodeURIComponent(path.slice("/v1/messages/".length)));
      return m ? json(200, m) : json(404, { message: "not found" });
    }
    if (c.method === "POST" && path === "/v1/messages") {
      const body = c.json as { toPersonEmail?: string; roomId?: string };
      const id = webexId("MESSAGE");
      const roomId =
        body.roomId ??
        directRoomOf(
          [...people.values()].find((p) => p.emails.includes(body.toPersonEmail ?? ""))?.id ??
            webexId("PEOPLE"),
        );
      const message = {
        id,
        roomId,
        roomType: "direct",
        personId: me.id,
        personEmail: me.emails[0],
        created: new Date().toISOString(),
        ...body,
      };
      messages.set(id, message);
      sentIds.push(id);
      return json(200, message);
    }
    if (c.method === "GET" && path.startsWith("/v1/attachment/actions/")) {
      const a = actions.get(decodeURIComponent(path.slice("/v1/attachment/actions/".length)));
      return a ? json(200, a) : json(404, { message: "not found" });
    }
    if (path === "/v1/webhooks" && c.method === "GET") return json(200, { items: webhooks });
    if (path === "/v1/webhooks" && c.method === "POST") {
      const hook = {
        id: webexId("WEBHOOK"),
        status: "active",
        created: new Date().toISOString(),
        ...(c.json as object),
      };
      webhooks.push(hook);
      return json(200, hook);
    }
    const hookId = /^\/v1\/webhooks\/(.+)$/.exec(path)?.[1];
    if (hookId && c.method === "DELETE") {
      const at = webhooks.findIndex((w) => w.id === decodeURIComponent(hookId));
      if (at >= 0) webhooks.splice(at, 1);
      return { status: 204 };
    }
    if (hookId && c.method === "PUT") {
      const hook = webhooks.find((w) => w.id === decodeURIComponent(hookId));
      if (hook) Object.assign(hook, c.json);
      return hook ? json(200, hook) : json(404, { message: "not found" });
    }
    return undefined;
  });

  // Added last, so asked first: a one-off answer (429 with Retry-After, a changed read-back).
  fake.on((c) => {
    const hit = once.findIndex((o) => o.match(c));
    if (hit < 0) return undefined;
    const [entry] = once.splice(hit, 1);
    return entry?.reply;
  });

  const envelope = (
    hook: Record<string, unknown> | undefined,
    resource: string,
    event: string,
    data: Record<string, unknown>,
    actorId: string,
  ) => ({
    id: hook?.id ?? webexId("WEBHOOK"),
    name: hook?.name ?? "unregistered",
    targetUrl: hook?.targetUrl ?? "",
    resource,
    event,
    orgId: ORG_ID,
    createdBy: me.id,
    appId: webexId("APPLICATION"),
    ownedBy: "creator",
    status: "active",
    created: new Date().toISOString(),
    actorId,
    data,
  });
  const firehose = () => webhooks.find((w) => w.resource === "all");
  const cardsHook = () => webhooks.find((w) => w.resource === "attachmentActions");

  return {
    fake,
    webhooks,
    messages,
    /** Cards the bot posted, newest last. */
    posted: () => fake.calls.filter((c) => c.method === "POST" && c.path === "/v1/messages"),
    /** The Webex id of a message the bot posted (as its POST answered). */
    idOf(call: RecordedCall | undefined): string {
      const posted = fake.calls.filter((c) => c.method === "POST" && c.path === "/v1/messages");
      return sentIds[call ? posted.indexOf(call) : -1] ?? "";
    },
    once: (
      match: (c: RecordedCall) => boolean,
      reply: { status: number; body?: unknown; headers?: Record<string, string> },
    ) => {
      once.push({ match, reply });
    },
    addPerson(email: string, displayName: string): Person {
      const p: Person = {
        id: webexId("PEOPLE"),
        emails: [email],
        displayName,
        orgId: ORG_ID,
        type: "person",
      };
      people.set(p.id, p);
      return p;
    },
    /** A person writes to the bot in their direct space: the webhook body Webex would send. */
    say(person: Person, text: string) {
      const roomId = directRoomOf(person.id);
      const id = webexId("MESSAGE");
      messages.set(id, {
        id,
        roomId,
        roomType: "direct",
        text,
        personId: person.id,
        personEmail: person.emails[0],
        created: new Date().toISOString(),
      });
      return envelope(
        firehose(),
        "messages",
        "created",
        {
          id,
          roomId,
          roomType: "direct",
          personId: person.id,
          personEmail: person.emails[0],
          created: new Date().toISOString(),
        },
        person.id,
      );
    },
    /** A person presses a card button: the attachment action, and the webhook body for it. */
    press(person: Person, messageId: string, inputs: Record<string, unknown>) {
      const roomId =
        (messages.get(messageId)?.roomId as string | undefined) ?? directRoomOf(person.id);
      const id = webexId("ATTACHMENT_ACTION");
      actions.set(id, {
        id,
        type: "submit",
        messageId,
        inputs,
        personId: person.id,
        roomId,
        created: new Date().toISOString(),
      });
      return envelope(
        cardsHook(),
        "attachmentActions",
        "created",
        {
          id,
          type: "submit",
          messageId,
          personId: person.id,
          roomId,
          created: new Date().toISOString(),
        },
        person.id,
      );
    },
    /** A meetings / participants / recordings delivery (org-level webhook). */
    event(resource: string, event: string, data: Record<string, unknown>) {
      const hook = webhooks.find((w) => w.resource === resource && w.event === event);
      return envelope(hook, resource, event, data, me.id);
    },
    /** The exact bytes and the header Webex would send for a body. */
    sign(body: unknown) {
      const raw = JSON.stringify(body);
      return { raw, signature: createHmac("sha1", secret).update(raw).digest("hex") };
    },
    get recordings() {
      return recordings;
    },
  };
}

/** The Webex channel's settings pointed at the fake (as `npm start` reads them from the env). */
export function webexSettings(base: string, secret: string, withMeetings = true) {
  return {
    enabled: true as const,
    botToken: BOT_TOKEN,
    webhookSecret: secret,
    publicUrl: "https://bot.example.jp",
    apiUrl: `${base}/v1`,
    meetingsToken: withMeetings ? MEETINGS_TOKEN : undefined,
  };
}
