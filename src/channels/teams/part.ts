import type { Clock } from "../../clock.js";
import type { TeamsConfig } from "../../config/teams.js";
import type { Meeting } from "../../meetings/types.js";
import type { PollLoop } from "../../store/poll-loop.js";
import { conversationDeps, type ChannelPart, type PartDeps } from "../part.js";
import { createTeamsAdapter, type TeamsAdapter } from "./adapter.js";
import { teamsTurn } from "./bot.js";
import { teamsConversations } from "./conversation-keeper.js";
import { teamsDeliverer } from "./deliver.js";
import { teamsRoute, type UnsignedAdmission } from "./endpoint.js";
import {
  eventInspector,
  graphNotificationsRoute,
  subscriptionKeeper,
} from "./graph/calendar-watch.js";
import { GraphClient } from "./graph/client.js";
import { graphMeetingDeliverer, meetingArtifacts } from "./graph/deliver.js";
import { recordingWatch } from "./graph/recording-watch.js";
import { ClientCredentialsToken } from "./graph/token.js";

export type ProductionTeams = Extract<TeamsConfig, { mode: "production" }>;

/** What the app shows of its Teams part (App.teams): tests and benchmarks drive it. */
export interface TeamsHandle {
  adapter: TeamsAdapter;
  graphFor: (tenantId: string) => GraphClient;
  /** One pass of the calendar subscription keeper, when calendars are watched. */
  keepSubscriptions?: () => Promise<number>;
}

export interface TeamsPartOptions {
  /** Local mode: activities without a token (Agents Playground, Emulator); see local/unsigned.ts. */
  unsigned?: (body: unknown, remoteAddress: string | undefined) => UnsignedAdmission;
  /** How often the Graph subscriptions are checked (created, renewed). Default 15 min. */
  subscriptionCheckMs?: number;
}

export interface TeamsPart extends ChannelPart {
  handle: TeamsHandle;
}

/**
 * The Teams channel: the Bot Framework endpoint (each activity a turn of the conversation), a
 * Graph client per tenant, the deliverers of messages and of online-meeting calls, and, when
 * Graph can reach this server (notificationUrl), the recording and calendar watches with the
 * loop that keeps their subscriptions.
 */
export function teamsPart(
  config: ProductionTeams,
  deps: PartDeps,
  options: TeamsPartOptions = {},
): TeamsPart {
  const { db, clock, logger, governor, policyFor } = deps;
  const adapter = createTeamsAdapter(config, clock);
  const graphFor = graphClients(config, clock);
  const artifacts = (meeting: Meeting) => meetingArtifacts(graphFor(meeting.tenantId), meeting);
  const turn = teamsTurn({
    ...conversationDeps(deps),
    remember: teamsConversations(db.kysely, clock),
    artifacts,
  });
  const routes = [
    teamsRoute({
      adapter,
      turn,
      timeoutMs: config.authTimeoutMs,
      logger,
      ...(options.unsigned ? { unsigned: options.unsigned } : {}),
    }),
  ];
  const handle: TeamsHandle = { adapter, graphFor };
  const toTeams = teamsDeliverer(adapter, config.appId, db, policyFor, artifacts);
  const recordings = config.notificationUrl
    ? recordingWatch({ db, graphFor, governor, clock, notificationUrl: config.notificationUrl })
    : undefined;
  const toGraph = graphMeetingDeliverer(graphFor, governor, db, recordings);
  let inspect: typeof toGraph | undefined;
  const loops: PollLoop[] = [];
  if (config.notificationUrl) {
    const watch = {
      db,
      graphFor,
      governor,
      clock,
      logger,
      notificationUrl: config.notificationUrl,
      wake: () => {
        deps.wakeOutbox();
      },
    };
    routes.push(graphNotificationsRoute(watch));
    inspect = eventInspector(watch);
    const keep = subscriptionKeeper(watch);
    handle.keepSubscriptions = keep;
    loops.push(
      deps.every(
        options.subscriptionCheckMs ?? 15 * 60_000,
        "graph.subscription_keeper_failed",
        keep,
      ),
    );
  }
  return {
    handle,
    routes,
    channels: { teamsMessages: toTeams, graph: toGraph, ...(inspect ? { inspect } : {}) },
    loops,
  };
}

/** Graph clients made at first use, one per tenant: each holds its token from that tenant. */
function graphClients(config: ProductionTeams, clock: Clock): (tenantId: string) => GraphClient {
  const graphs = new Map<string, GraphClient>();
  return (tenantId) => {
    let graph = graphs.get(tenantId);
    if (!graph) {
      const credentials = {
        authorityUrl: config.loginAuthority,
        tenantId,
        clientId: config.appId,
        clientSecret: config.password,
        scope: "https://graph.microsoft.com/.default",
      };
      graph = new GraphClient(config.graphBaseUrl, new ClientCredentialsToken(credentials, clock));
      graphs.set(tenantId, graph);
    }
    return graph;
  };
}
