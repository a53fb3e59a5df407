import { HttpFake, fixture, type RecordedCall } from "./http-fake.js";

export const TOKEN = fixture<{ access_token: string }>("graph/token-response.json").access_token;
export const TENANT = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";

const authorized = (call: RecordedCall) => call.headers.authorization === `Bearer ${TOKEN}`;

/**
 * Microsoft Graph and the identity platform's token endpoint, as documented, on 127.0.0.1.
 * Every Graph call without the token from the token endpoint is answered 401.
 */
export function graphFake(): HttpFake {
  const fake = new HttpFake();
  const meeting = fixture<Record<string, unknown>>("graph/online-meeting-get-response.json");
  let current: Record<string, unknown> = { ...meeting };
  fake
    .on((c) =>
      c.method === "POST" &&
      c.path === `/${TENANT}/oauth2/v2.0/token` &&
      c.body.includes("grant_type=client_credentials")
        ? { status: 200, body: fixture("graph/token-response.json") }
        : undefined,
    )
    .on((c) =>
      c.method === "POST" && /^\/v1\.0\/users\/[^/]+\/events$/.test(c.path)
        ? { status: 201, body: fixture("graph/event-create-response.json") }
        : undefined,
    )
    .on((c) =>
      c.method === "GET" && /^\/v1\.0\/users\/[^/]+\/onlineMeetings\?\$filter=/.test(c.path)
        ? {
            status: 200,
            body: { ...fixture<object>("graph/online-meeting-list-by-joinurl-response.json") },
          }
        : undefined,
    )
    .on((c) => {
      if (!/^\/v1\.0\/users\/[^/]+\/onlineMeetings\/[^/?]+$/.test(c.path)) return undefined;
      if (c.method === "PATCH") current = { ...current, ...(c.json as object) };
      return c.method === "PATCH" || c.method === "GET"
        ? { status: 200, body: current }
        : undefined;
    })
    .on((c) =>
      c.method === "GET" && c.path.endsWith("/recordings")
        ? { status: 200, body: fixture("graph/recordings-list-response.json") }
        : undefined,
    )
    .on((c) =>
      c.method === "GET" && c.path.endsWith("/transcripts")
        ? { status: 200, body: fixture("graph/transcripts-list-response.json") }
        : undefined,
    );
  // Added last, so it is asked first: no token from the token endpoint, no answer.
  return fake.on((c) =>
    c.path.startsWith("/v1.0/") && !authorized(c)
      ? { status: 401, body: { error: { code: "InvalidAuthenticationToken" } } }
      : undefined,
  );
}

/** An event in the fake's calendars: what GET /users/{id}/events/{id} answers. */
export type FakeEvent = Record<string, unknown> & { id: string };

/**
 * Graph's calendar side: `POST /subscriptions` first sends the validation handshake to the
 * notificationUrl and answers 201 only if the URL-decoded token came back as text/plain (as Graph
 * does); `PATCH /subscriptions/{id}` renews; `GET /users/{id}/events/{id}` reads an event from
 * `events` (404 when absent). Every call is recorded by the fake.
 */
export function withCalendar(fake: HttpFake, events: Map<string, FakeEvent>): HttpFake {
  const created = fixture<Record<string, unknown>>("graph/subscription-create-response.json");
  let n = 0;
  return fake
    .on(async (c) => {
      if (c.method !== "POST" || c.path !== "/v1.0/subscriptions") return undefined;
      const request = c.json as { notificationUrl: string; resource: string };
      const token = `Validation: Testing client application reachability for subscription Request-Id: ${String(++n)}`;
      const check = await fetch(
        `${request.notificationUrl}?validationToken=${encodeURIComponent(token)}`,
        { method: "POST", headers: { "content-type": "text/plain; charset=utf-8" } },
      ).catch(() => undefined);
      const echoed = check ? await check.text() : "";
      if (
        check?.status !== 200 ||
        echoed !== token ||
        !check.headers.get("content-type")?.startsWith("text/plain")
      )
        return {
          status: 400,
          body: {
            error: { code: "ValidationError", message: "Subscription validation request failed." },
          },
        };
      return {
        status: 201,
        body: { ...created, ...request, id: `sub-${String(n)}` },
      };
    })
    .on((c) => {
      const m = /^\/v1\.0\/subscriptions\/([^/?]+)$/.exec(c.path);
      if (c.method !== "PATCH" || !m) return undefined;
      const { expirationDateTime } = c.json as { expirationDateTime: string };
      return { status: 200, body: { ...created, id: m[1], expirationDateTime } };
    })
    .on((c) => {
      const m = /^\/v1\.0\/users\/[^/]+\/events\/([^/?]+)\?\$select=/.exec(c.path);
      if (c.method !== "GET" || !m) return undefined;
      const event = events.get(decodeURIComponent(m[1] ?? ""));
      return event
        ? { status: 200, body: event }
        : { status: 404, body: { error: { code: "ErrorItemNotFound" } } };
    });
}
