import { z } from "zod";
import type { Clock } from "../../../clock.js";
import { PlatformRejectedError, PlatformUnavailableError } from "../../../platform/http.js";

const tokenResponseSchema = z.object({
  token_type: z.string(),
  expires_in: z.number().int().positive(),
  access_token: z.string().min(1),
});

export interface AppCredentials {
  /** e.g. https://login.microsoftonline.com (configurable so tests can serve their own). */
  authorityUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  scope: string;
}

/**
 * App-only token (client credentials), cached until a minute before it expires. The secret is
 * sent in the form body, never logged.
 */
export class ClientCredentialsToken {
  private cached: { token: string; until: number } | undefined;

  constructor(
    private readonly credentials: AppCredentials,
    private readonly clock: Clock,
  ) {}

  async get(): Promise<string> {
    const now = this.clock.now().getTime();
    if (this.cached && this.cached.until > now) return this.cached.token;
    const { authorityUrl, tenantId, clientId, clientSecret, scope } = this.credentials;
    const url = `${authorityUrl.replace(/\/$/, "")}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          client_id: clientId,
          client_secret: clientSecret,
          scope,
          grant_type: "client_credentials",
        }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch {
      throw new PlatformUnavailableError("identity", "token endpoint unreachable");
    }
    if (!res.ok) throw new PlatformRejectedError("identity", res.status);
    const parsed = tokenResponseSchema.safeParse(await res.json().catch(() => undefined));
    if (!parsed.success)
      throw new PlatformUnavailableError("identity", "token answer has an unexpected shape");
    this.cached = {
      token: parsed.data.access_token,
      until: now + (parsed.data.expires_in - 60) * 1000,
    };
    return parsed.data.access_token;
  }
}
