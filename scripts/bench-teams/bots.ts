/**
 * The two bots of the server process (bench-teams-server.ts) beside the real app, both on the same
 * stack as the app — restify, the Teams adapter, JWT check, handleBotRequest — with turns of their
 * own: the echo bot, and the governance turn without its store.
 */
import type { Activity, TurnContext } from "botbuilder";
import type { App, ProductionTeams } from "../../src/app.js";
import { verdictCard } from "../../src/cards/organizer.js";
import { tierInputSchema } from "../../src/channels/inputs.js";
import { createTeamsAdapter } from "../../src/channels/teams/adapter.js";
import { cardInvokeResponse, executeInvokeResponse } from "../../src/channels/teams/bot.js";
import { teamsRoute } from "../../src/channels/teams/endpoint.js";
import { systemClock } from "../../src/clock.js";
import { createAppServer } from "../../src/http/server.js";
import type { Logger } from "../../src/logger.js";
import { evaluateRemembered } from "../../src/policy/evaluate.js";
import type { LoadedPolicy } from "../../src/policy/load.js";
import { localeOf } from "../../src/text.js";
import { BENCH_TENANT } from "../bench-teams-ipc.js";
import { plan } from "./store.js";

/** What a bot on the same stack shares with the app: its policy, its log, its Teams settings. */
export interface Stack {
  policy: LoadedPolicy;
  logger: Logger;
  settings: ProductionTeams;
}

/** A bot on the same stack as the app — restify, the Teams adapter, JWT check — with its own turn. */
async function sameStack(stack: Stack, answer: (ctx: TurnContext) => Partial<Activity>) {
  const { policy, logger, settings } = stack;
  const server = createAppServer({
    policy,
    logger,
    routes: [
      teamsRoute({
        adapter: createTeamsAdapter(settings, systemClock),
        timeoutMs: settings.authTimeoutMs,
        logger,
        turn: async (ctx) => {
          await ctx.sendActivity(answer(ctx));
        },
      }),
    ],
  });
  await new Promise<void>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve();
    });
  });
  return server;
}
export const urlOf = (server: Awaited<ReturnType<typeof sameStack>>) =>
  `http://127.0.0.1:${String((server.address() as { port: number }).port)}`;

// The echo bot: no policy, no store, a fixed card.
const echoCard = {
  type: "AdaptiveCard",
  version: "1.4",
  body: [{ type: "TextBlock", text: "echo" }],
};
export const echoBot = (stack: Stack) => sameStack(stack, () => cardInvokeResponse(echoCard));

/**
 * The governance turn without its store: the tier answer read from the invoke, the verdict for
 * the plan every prepared meeting has (from evaluateRemembered, as the governor gets it), the same
 * verdict card — what a governance turn costs before it reads or writes anything.
 */
export const evaluationBot = (stack: Stack, policies: App["policies"]) =>
  sameStack(stack, (ctx) => {
    const data = tierInputSchema.parse(
      (ctx.activity.value as { action: { data: unknown } }).action.data,
    );
    const verdict = evaluateRemembered(
      { ...plan, tier: data.tier },
      policies.policyFor(BENCH_TENANT),
    );
    return executeInvokeResponse(
      verdictCard(verdict, localeOf(ctx.activity.locale), data.requestId),
    );
  });
