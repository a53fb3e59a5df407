import { generateKeyPairSync, sign } from "node:crypto";
import { HttpFake, fixture } from "./http-fake.js";

export const APP_ID = "f3c5e8a1-2b4d-4c6e-9f10-7a8b9c0d1e2f";
export const BOT_TOKEN = "connector-token-from-fake-login";
const ISSUER = "https://api.botframework.com";

const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
const stranger = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey;
const jwk = publicKey.export({ format: "jwk" });

const b64 = (x: string | Buffer) => Buffer.from(x).toString("base64url");

export interface TokenOptions {
  claims?: Record<string, unknown>;
  header?: Record<string, unknown>;
  /** Sign with a key the metadata does not publish. */
  foreignKey?: boolean;
  /** No signature at all (alg none). */
  unsigned?: boolean;
}

/** A channel token as the Bot Framework issues it (RS256, kid from the published JWKS). */
export function channelToken(serviceUrl: string, options: TokenOptions = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = b64(
    JSON.stringify({
      alg: options.unsigned ? "none" : "RS256",
      typ: "JWT",
      kid: "kg-test-kid",
      ...options.header,
    }),
  );
  const body = b64(
    JSON.stringify({
      iss: ISSUER,
      aud: APP_ID,
      serviceurl: serviceUrl,
      nbf: now - 60,
      iat: now - 60,
      exp: now + 3600,
      ...options.claims,
    }),
  );
  if (options.unsigned) return `${header}.${body}.`;
  const signature = sign(
    "sha256",
    Buffer.from(`${header}.${body}`),
    options.foreignKey ? stranger : privateKey,
  );
  return `${header}.${body}.${b64(signature)}`;
}

/**
 * The Bot Framework's side on 127.0.0.1: the OpenID metadata and signing keys the channel
 * publishes, the identity platform's token endpoint the bot calls, and the Bot Connector the bot
 * replies to. Every call is recorded.
 */
export async function botFrameworkFake() {
  const fake = new HttpFake();
  /** AAD object ids of people who have the app installed (a chat can be created with them). */
  const installedFor = new Set<string>();
  const base = await fake.start();
  fake
    .on((c) =>
      c.method === "GET" && c.path.startsWith("/openid/.well-known")
        ? {
            status: 200,
            body: {
              issuer: ISSUER,
              jwks_uri: `${base}/openid/keys`,
              id_token_signing_alg_values_supported: ["RS256"],
            },
          }
        : undefined,
    )
    .on((c) =>
      c.method === "GET" && c.path === "/openid/keys"
        ? {
            status: 200,
            body: {
              keys: [
                {
                  kty: "RSA",
                  use: "sig",
                  kid: "kg-test-kid",
                  n: jwk.n,
                  e: jwk.e,
                  endorsements: ["msteams"],
                },
              ],
            },
          }
        : undefined,
    )
    .on((c) =>
      c.method === "POST" && c.path.startsWith("/login/botframework.com/oauth2/v2.0/token")
        ? { status: 200, body: { token_type: "Bearer", expires_in: 3599, access_token: BOT_TOKEN } }
        : undefined,
    )
    .on((c) => {
      // Create conversation (personal): Teams answers for a member who has the app installed.
      if (c.method !== "POST" || c.path !== "/connector/v3/conversations") return undefined;
      if (c.headers.authorization !== `Bearer ${BOT_TOKEN}`)
        return { status: 401, body: { error: { code: "Unauthorized" } } };
      const member = (c.json as { members?: { id?: string }[] }).members?.[0]?.id ?? "";
      return installedFor.has(member)
        ? { status: 201, body: { id: `a:created-${member}` } }
        : { status: 403, body: { error: { code: "BotNotInConversationRoster" } } };
    })
    .on((c) =>
      c.method === "POST" &&
      /^\/connector\/v3\/conversations\/[^/]+\/activities(\/[^/]+)?$/.test(c.path)
        ? c.headers.authorization === `Bearer ${BOT_TOKEN}`
          ? { status: 200, body: { id: `reply-${fake.calls.length}` } }
          : { status: 401, body: { error: { code: "Unauthorized" } } }
        : undefined,
    );
  const run = Math.random().toString(36).slice(2);
  return {
    fake,
    base,
    /** Unique per fake: botbuilder caches keys per metadata URL for the whole process. */
    metadataUrl: `${base}/openid/.well-known/openidconfiguration?run=${run}`,
    loginAuthority: `${base}/login`,
    serviceUrl: `${base}/connector/`,
    replies: () => fake.calls.filter((c) => c.path.startsWith("/connector/")),
    /** The app is installed for this person (their personal chat can be created by the bot). */
    install: (aadObjectId: string) => installedFor.add(aadObjectId),
  };
}

/** A Teams activity from the documented fixture, pointed at the fake connector. */
export function teamsActivity(
  name: string,
  serviceUrl: string,
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  return { ...fixture<Record<string, unknown>>(`teams/${name}`), serviceUrl, ...patch };
}

/** The production Teams settings pointed at the fakes (as `npm start` reads them from the env). */
export function teamsSettings(
  fake: { metadataUrl: string; loginAuthority: string },
  extra: {
    graphBaseUrl?: string;
    authTimeoutMs?: number;
    notificationUrl?: string;
    metadataUrl?: string;
  } = {},
) {
  return {
    mode: "production" as const,
    appId: APP_ID,
    password: "s3cret",
    appType: "MultiTenant" as const,
    tenantId: undefined,
    openIdMetadataUrl: extra.metadataUrl ?? fake.metadataUrl,
    loginAuthority: fake.loginAuthority,
    authTimeoutMs: extra.authTimeoutMs ?? 2_000,
    graphBaseUrl: extra.graphBaseUrl ?? "http://127.0.0.1:9/v1.0",
    ...(extra.notificationUrl ? { notificationUrl: extra.notificationUrl } : {}),
  };
}

/** POSTs an activity to the bot as the channel does: with a freshly signed channel token. */
export async function postActivity(
  baseUrl: string,
  serviceUrl: string,
  activity: Record<string, unknown>,
) {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      authorization: `Bearer ${channelToken(serviceUrl)}`,
    },
    body: JSON.stringify(activity),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
