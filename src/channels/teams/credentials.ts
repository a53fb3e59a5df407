import {
  ServiceClientCredentialsFactory,
  type ServiceClientCredentials,
} from "botframework-connector";
import type { Clock } from "../../clock.js";
import { ClientCredentialsToken } from "./graph/token.js";

export interface BotCredentialsConfig {
  appId: string;
  password: string;
  /** MultiTenant bots get their token from the botframework.com tenant, SingleTenant from their own. */
  appType: "MultiTenant" | "SingleTenant";
  tenantId: string | undefined;
  /** The identity platform, e.g. https://login.microsoftonline.com (configurable for a local fake). */
  authorityUrl: string;
}

/**
 * The bot's outbound credentials (Bot Connector calls): client credentials against a configured
 * authority, with the token cached until a minute before expiry. botbuilder's own factory goes
 * through MSAL, which accepts no authority but Microsoft's; this keeps the same protocol
 * (RFC 6749 client credentials, `scope=<audience>/.default`) and lets the authority be configured.
 */
export class BotCredentialsFactory extends ServiceClientCredentialsFactory {
  private readonly tokens = new Map<string, ClientCredentialsToken>();

  constructor(
    private readonly config: BotCredentialsConfig,
    private readonly clock: Clock,
  ) {
    super();
  }

  isValidAppId(appId: string): Promise<boolean> {
    return Promise.resolve(appId === this.config.appId);
  }

  isAuthenticationDisabled(): Promise<boolean> {
    return Promise.resolve(false);
  }

  createCredentials(
    appId: string,
    audience: string | undefined,
  ): Promise<ServiceClientCredentials> {
    const scope = `${(audience ?? "https://api.botframework.com").replace(/\/$/, "")}/.default`;
    let token = this.tokens.get(scope);
    if (!token) {
      const tenantId =
        this.config.appType === "SingleTenant" && this.config.tenantId
          ? this.config.tenantId
          : "botframework.com";
      token = new ClientCredentialsToken(
        {
          authorityUrl: this.config.authorityUrl,
          tenantId,
          clientId: appId,
          clientSecret: this.config.password,
          scope,
        },
        this.clock,
      );
      this.tokens.set(scope, token);
    }
    const source = token;
    return Promise.resolve({
      signRequest: async (request) => {
        request.headers.set("authorization", `Bearer ${await source.get()}`);
        return request;
      },
    });
  }
}
