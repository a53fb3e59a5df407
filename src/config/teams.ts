import { z } from "zod";
import { ConfigInvalidError, parseEnv } from "./app.js";

/** Production Bot Framework values; only the metadata and login URLs may be pointed elsewhere. */
export const BOT_FRAMEWORK = {
  openIdMetadataUrl: "https://login.botframework.com/v1/.well-known/openidconfiguration",
  tokenIssuer: "https://api.botframework.com",
  loginAuthority: "https://login.microsoftonline.com",
} as const;

export type TeamsConfig =
  | { mode: "local" }
  | {
      mode: "production";
      appId: string;
      password: string;
      appType: "MultiTenant" | "SingleTenant";
      tenantId: string | undefined;
      openIdMetadataUrl: string;
      loginAuthority: string;
      /** How long an inbound request may wait for the key fetch before it is answered 503. */
      authTimeoutMs: number;
      /** Microsoft Graph, called app-only with the bot's app registration in each tenant. */
      graphBaseUrl: string;
      /**
       * Public URL of POST /api/graph/notifications. When set, organizers' calendars are watched
       * and Teams meetings scheduled outside the bot are caught (R-SET).
       */
      notificationUrl?: string;
    };

const envSchema = z.object({
  KAIGI_LOCAL_MODE: z.enum(["0", "1", "true", "false"]).optional(),
  MicrosoftAppId: z.string().min(1).optional(),
  MicrosoftAppPassword: z.string().min(1).optional(),
  MicrosoftAppType: z.enum(["MultiTenant", "SingleTenant"]).optional(),
  MicrosoftAppTenantId: z.string().min(1).optional(),
  BOT_OPENID_METADATA_URL: z.url().default(BOT_FRAMEWORK.openIdMetadataUrl),
  BOT_LOGIN_AUTHORITY: z.url().default(BOT_FRAMEWORK.loginAuthority),
  BOT_AUTH_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  GRAPH_BASE_URL: z.url().default("https://graph.microsoft.com/v1.0"),
  GRAPH_NOTIFICATION_URL: z
    .url({ message: "expected the public URL of /api/graph/notifications" })
    .optional(),
});

/**
 * Production needs the bot's credentials; without them the bot starts only in local mode
 * (KAIGI_LOCAL_MODE=1, or no Teams variable set at all), and otherwise names what is missing.
 */
export function teamsConfigFromEnv(env: NodeJS.ProcessEnv): TeamsConfig {
  const e = parseEnv(envSchema, env);
  const local = e.KAIGI_LOCAL_MODE === "1" || e.KAIGI_LOCAL_MODE === "true";
  const anyTeams = Boolean(e.MicrosoftAppId ?? e.MicrosoftAppPassword ?? e.MicrosoftAppTenantId);
  if (local || (!anyTeams && e.KAIGI_LOCAL_MODE === undefined)) return { mode: "local" };
  if (!e.MicrosoftAppId)
    throw new ConfigInvalidError(
      "MicrosoftAppId",
      "required outside local mode (set KAIGI_LOCAL_MODE=1 to try the bot offline)",
    );
  if (!e.MicrosoftAppPassword)
    throw new ConfigInvalidError("MicrosoftAppPassword", "required outside local mode");
  const appType = e.MicrosoftAppType ?? "MultiTenant";
  if (appType === "SingleTenant" && !e.MicrosoftAppTenantId) {
    throw new ConfigInvalidError(
      "MicrosoftAppTenantId",
      "required for MicrosoftAppType=SingleTenant",
    );
  }
  return {
    mode: "production",
    appId: e.MicrosoftAppId,
    password: e.MicrosoftAppPassword,
    appType,
    tenantId: e.MicrosoftAppTenantId,
    openIdMetadataUrl: e.BOT_OPENID_METADATA_URL,
    loginAuthority: e.BOT_LOGIN_AUTHORITY,
    authTimeoutMs: e.BOT_AUTH_TIMEOUT_MS,
    graphBaseUrl: e.GRAPH_BASE_URL,
    ...(e.GRAPH_NOTIFICATION_URL ? { notificationUrl: e.GRAPH_NOTIFICATION_URL } : {}),
  };
}
