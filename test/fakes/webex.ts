import { HttpFake, fixture } from "./http-fake.js";

export const WEBEX_ADMIN_TOKEN = "webex-service-app-token";

/** The Webex REST API (meetings, recordings) as documented, on 127.0.0.1. */
export function webexFake(): HttpFake {
  const fake = new HttpFake();
  let meeting: Record<string, unknown> = fixture("webex/meeting-create-response.json");
  let recordings = fixture<{ items: { id: string }[] }>(
    "webex/recordings-list-response.json",
  ).items;
  fake
    .on((c) => {
      if (c.method !== "POST" || c.path !== "/v1/meetings") return undefined;
      meeting = { ...meeting, ...(c.json as object) };
      return { status: 200, body: meeting };
    })
    .on((c) =>
      c.method === "GET" && c.path.startsWith("/v1/meetings/")
        ? { status: 200, body: meeting }
        : undefined,
    )
    .on((c) =>
      c.method === "GET" && c.path.startsWith("/v1/recordings?")
        ? { status: 200, body: { items: recordings } }
        : undefined,
    )
    .on((c) => {
      const id = /^\/v1\/recordings\/([^?]+)/.exec(c.path)?.[1];
      if (c.method !== "DELETE" || !id) return undefined;
      const before = recordings.length;
      recordings = recordings.filter((r) => r.id !== decodeURIComponent(id));
      return recordings.length < before
        ? { status: 204 }
        : { status: 404, body: { message: "not found" } };
    });
  // Added last, so it is asked first: no valid token, no answer.
  return fake.on((c) =>
    c.headers.authorization !== `Bearer ${WEBEX_ADMIN_TOKEN}`
      ? {
          status: 401,
          body: {
            message:
              "The request requires a valid access token set in the Authorization request header.",
          },
        }
      : undefined,
  );
}
