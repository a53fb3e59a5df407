import { z } from "zod";
import { ConfigInvalidError, parseEnv } from "./app.js";

export type WebexConfig =
  | { enabled: false }
  | {
      enabled: true;
      botToken: string;
      webhookSecret: string;
      /** Public base URL of this server: webhooks target `${publicUrl}/api/webex`. */
      publicUrl: string;
      /** Webex REST base (messages, webhooks, people); the SDK is pointed at it too. */
      apiUrl: string;
      /** Integration or Service App token with meeting admin scopes, acting for hosts. */
      meetingsToken: string | undefined;
    };

const envSchema = z.object({
  WEBEX_BOT_TOKEN: z.string().min(20).optional(),
  WEBEX_WEBHOOK_SECRET: z
    .string()
    .min(16, "at least 16 characters: it signs every webhook")
    .optional(),
  WEBEX_PUBLIC_URL: z.url().optional(),
  WEBEX_API_URL: z.url().default("https://webexapis.com/v1"),
  WEBEX_MEETINGS_TOKEN: z.string().min(20).optional(),
});

/** The Webex channel is on when WEBEX_BOT_TOKEN is set; then its secret and URL are required. */
export function webexConfigFromEnv(env: NodeJS.ProcessEnv): WebexConfig {
  const e = parseEnv(envSchema, env);
  if (!e.WEBEX_BOT_TOKEN) return { enabled: false };
  if (!e.WEBEX_WEBHOOK_SECRET)
    throw new ConfigInvalidError("WEBEX_WEBHOOK_SECRET", "required with WEBEX_BOT_TOKEN");
  if (!e.WEBEX_PUBLIC_URL)
    throw new ConfigInvalidError("WEBEX_PUBLIC_URL", "required with WEBEX_BOT_TOKEN");
  return {
    enabled: true,
    botToken: e.WEBEX_BOT_TOKEN,
    webhookSecret: e.WEBEX_WEBHOOK_SECRET,
    publicUrl: e.WEBEX_PUBLIC_URL.replace(/\/$/, ""),
    apiUrl: e.WEBEX_API_URL.replace(/\/$/, ""),
    meetingsToken: e.WEBEX_MEETINGS_TOKEN,
  };
}
