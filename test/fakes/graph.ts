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
