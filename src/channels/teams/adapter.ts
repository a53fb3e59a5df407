import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  type Activity,
  type TurnContext,
} from "botbuilder";
import type { Clock } from "../../clock.js";
import { BOT_FRAMEWORK, type TeamsConfig } from "../../config/teams.js";
import { BotCredentialsFactory } from "./credentials.js";

export class TeamsAdapter extends CloudAdapter {
  /** Authenticates the request and runs one turn; errors are the caller's to map. */
  run(authorization: string, activity: Activity, logic: (context: TurnContext) => Promise<void>) {
    return this.processActivity(authorization, activity, logic);
  }
}

/**
 * The Bot Framework adapter. Inbound JWTs are checked against the configured OpenID metadata
 * (issuer api.botframework.com, audience = our app id, serviceurl claim = activity.serviceUrl).
 * botbuilder takes the whole group of endpoint settings or none, so all are given.
 */
export function createTeamsAdapter(
  config: Extract<TeamsConfig, { mode: "production" }>,
  clock: Clock,
): TeamsAdapter {
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      MicrosoftAppId: config.appId,
      MicrosoftAppPassword: config.password,
      MicrosoftAppType: config.appType,
      MicrosoftAppTenantId: config.tenantId,
      ToBotFromChannelOpenIdMetadataUrl: config.openIdMetadataUrl,
      ToBotFromChannelTokenIssuer: BOT_FRAMEWORK.tokenIssuer,
      ToBotFromEmulatorOpenIdMetadataUrl:
        "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration",
      ToChannelFromBotLoginUrl: `${config.loginAuthority}/botframework.com`,
      ToChannelFromBotOAuthScope: "https://api.botframework.com",
      OAuthUrl: "https://api.botframework.com",
      CallerId: "urn:botframework:azure",
      ValidateAuthority: true,
    },
    new BotCredentialsFactory(
      {
        appId: config.appId,
        password: config.password,
        appType: config.appType,
        tenantId: config.tenantId,
        authorityUrl: config.loginAuthority,
      },
      clock,
    ),
  );
  return new TeamsAdapter(auth);
}
