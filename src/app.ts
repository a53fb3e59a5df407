import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type restify from "restify";
import { teamsConversations } from "./channels/teams/conversation-keeper.js";
import { createTeamsAdapter, type TeamsAdapter } from "./channels/teams/adapter.js";
import { teamsTurn } from "./channels/teams/bot.js";
import { teamsRoute, type UnsignedAdmission } from "./channels/teams/endpoint.js";
import { teamsDeliverer } from "./channels/teams/deliver.js";
import { GraphClient } from "./channels/teams/graph/client.js";
import { graphMeetingDeliverer } from "./channels/teams/graph/deliver.js";
import { ClientCredentialsToken } from "./channels/teams/graph/token.js";
import { recordingWatch } from "./channels/teams/graph/recording-watch.js";
import {
  eventInspector,
  graphNotificationsRoute,
  subscriptionKeeper,
} from "./channels/teams/graph/calendar-watch.js";
import { PollLoop } from "./store/poll-loop.js";
import { adminRoutes } from "./admin/routes.js";
import { findLinkedMeeting, linkMeeting } from "./store/repos/links.js";
import { readMeeting } from "./store/repos/meetings.js";
import { listDevices } from "./store/repos/devices.js";
import { meetingArtifacts } from "./channels/teams/graph/deliver.js";
import type { Clock } from "./clock.js";
import type { TeamsConfig } from "./config/teams.js";
import { Governor } from "./governor/governor.js";
import { createAppServer, type ClientTimeouts, type Route } from "./http/server.js";
import type { Logger } from "./logger.js";
import type { Meeting, TimerEvent } from "./meetings/types.js";
import { dispatch, type Channels } from "./channels/dispatch.js";
import { TenantPolicies } from "./policy/tenants.js";
import { currentPolicyLayers } from "./store/repos/policy-layers.js";
import { retentionPass } from "./store/retention.js";
import type { WebexConfig } from "./config/webex.js";
import { WebexApi } from "./channels/webex/api.js";
import { ensureMeetingWebhooks, webexChannel } from "./channels/webex/channel.js";
import { webexDeliverer, webexEmail, webexMeetingDeliverer } from "./channels/webex/deliver.js";
import { WebexFramework } from "./channels/webex/framework.js";
import { WebexMeetingsClient } from "./channels/webex/meetings/client.js";
import { addresseeOf } from "./store/repos/sent-cards.js";
import type { LinkKind } from "./store/repos/links.js";
import type { LoadedPolicy } from "./policy/load.js";
import type { Policy } from "./policy/schema.js";
import type { Database } from "./store/db.js";
import { boundGovernorStore, governorStore } from "./store/governor-store.js";
import type { DeliveryResult, OutboxItem } from "./store/outbox/outbox.js";
import { startStoreWorkers, type StoreWorkerOptions, type StoreWorkers } from "./store/workers.js";
import type { FireTimer } from "./store/timers/timers.js";

export type ProductionTeams = Extract<TeamsConfig, { mode: "production" }>;

export interface AppOptions {
  db: Database;
  policy: LoadedPolicy;
  logger: Logger;
  clock: Clock;
  /** Production Teams settings; absent = no Teams channel (nothing to deliver to). */
  teams?: ProductionTeams;
  /** The Webex channel, when configured. */
  webex?: WebexConfig;
  /** Extra HTTP routes (the local playground's page and API). */
  routes?: Route[];
  /** Local mode: activities without a token (Agents Playground, Emulator); see local/unsigned.ts. */
  unsigned?: (body: unknown, remoteAddress: string | undefined) => UnsignedAdmission;
  /** Meeting ids; tests make them predictable. */
  newId?: () => string;
  /** How often workers look for work nobody woke them for. */
  idleMs?: number;
  /** false: no outbox/timer workers (a test drives delivery itself). Default true. */
  runWorkers?: boolean;
  /** How often the Graph subscriptions are checked (created, renewed). Default 15 min. */
  subscriptionCheckMs?: number;
  workerId?: string;
  /** Lease lengths of the outbox and timer workers (see StoreWorkerOptions). */
  leases?: StoreWorkerOptions["leases"];
  /** Limits on slow clients (defaults: DEFAULT_CLIENT_TIMEOUTS). */
  clientTimeouts?: ClientTimeouts;
}

export interface App {
  server: restify.Server;
  governor: Governor;
  db: Database;
  teams:
    | {
        adapter: TeamsAdapter;
        graphFor: (tenantId: string) => GraphClient;
        /** One pass of the calendar subscription keeper, when calendars are watched. */
        keepSubscriptions?: () => Promise<number>;
      }
    | undefined;
  workers: StoreWorkers;
  /** Every tenant's effective policy. */
  policies: TenantPolicies;
  /** What the outbox worker delivers with, and how a due timer is fired: the same in tests. */
  deliver: (item: OutboxItem) => Promise<DeliveryResult>;
  fireTimer: FireTimer;
  /** Listens; resolves with the base URL. */
  listen(port: number, host: string): Promise<string>;
  /** Stops taking requests, lets the worker passes under way finish. Leaves the database open. */
  stop(): Promise<void>;
}

/**
 * The whole bot wired together — governor, channels, outbox and timer workers, HTTP server —
 * the same way for `npm start`, the local playground, the end-to-end tests and the benchmarks.
 */
export function createApp(options: AppOptions): App {
  const { db, logger, clock } = options;
  // Each tenant's policy: the deployment's, with the tenant's uploaded layer over it (R-TEN 2).
  const policies = new TenantPolicies(options.policy);
  const policyFor = (tenantId: string): Policy => policies.policyFor(tenantId);
  const refreshPolicies = async () => {
    policies.takeUp(await currentPolicyLayers(db.kysely), (layer, code) => {
      logger.error("policy.tenant_layer_unusable", {
        tenant: layer.tenantId,
        version: layer.version,
        code,
      });
    });
    return 0;
  };
  let wakeOutbox: () => void = () => undefined;
  const governor = new Governor(
    governorStore(db, clock, () => {
      wakeOutbox();
    }),
    policyFor,
    clock,
  );

  let teams: App["teams"];
  const channels: Channels = {};
  const routes = [...(options.routes ?? [])];
  const loops: PollLoop[] = [];
  /** Background work every `ms` (and at start); a failure is logged by name, never its text. */
  const every = (ms: number, failed: string, pass: () => Promise<number>) =>
    new PollLoop(pass, {
      idleMs: ms,
      onError: (error) => {
        logger.error(failed, { error: error instanceof Error ? error.name : "unknown" });
      },
    });
  const links = {
    find: (tenantId: string, kind: LinkKind, externalId: string) =>
      findLinkedMeeting(db.kysely, tenantId, kind, externalId),
    link: (tenantId: string, kind: LinkKind, externalId: string, meetingId: string) =>
      linkMeeting(db.kysely, tenantId, kind, externalId, meetingId),
  };
  const config = options.teams;
  if (config) {
    const adapter = createTeamsAdapter(config, clock);
    const turn = teamsTurn({
      governor,
      remember: teamsConversations(db.kysely, clock),
      policyFor,
      newId: options.newId ?? randomUUID,
      logger,
      links,
      readMeeting: (tenantId, meetingId) => readMeeting(db.kysely, tenantId, meetingId),
      devices: (tenantId) => listDevices(db.kysely, tenantId),
      artifacts: (meeting) => meetingArtifacts(graphFor(meeting.tenantId), meeting),
    });
    routes.push(
      teamsRoute({
        adapter,
        turn,
        timeoutMs: config.authTimeoutMs,
        logger,
        ...(options.unsigned ? { unsigned: options.unsigned } : {}),
      }),
    );
    const graphs = new Map<string, GraphClient>();
    const graphFor = (tenantId: string): GraphClient => {
      let graph = graphs.get(tenantId);
      if (!graph) {
        const credentials = {
          authorityUrl: config.loginAuthority,
          tenantId,
          clientId: config.appId,
          clientSecret: config.password,
          scope: "https://graph.microsoft.com/.default",
        };
        graph = new GraphClient(
          config.graphBaseUrl,
          new ClientCredentialsToken(credentials, clock),
        );
        graphs.set(tenantId, graph);
      }
      return graph;
    };
    teams = { adapter, graphFor };
    const artifacts = (meeting: Meeting) => meetingArtifacts(graphFor(meeting.tenantId), meeting);
    const toTeams = teamsDeliverer(adapter, config.appId, db, policyFor, artifacts);
    const recordings = config.notificationUrl
      ? recordingWatch({ db, graphFor, governor, clock, notificationUrl: config.notificationUrl })
      : undefined;
    const toGraph = graphMeetingDeliverer(graphFor, governor, db, recordings);
    let inspect: typeof toGraph | undefined;
    if (config.notificationUrl) {
      const watch = {
        db,
        graphFor,
        governor,
        clock,
        logger,
        notificationUrl: config.notificationUrl,
        wake: () => {
          wakeOutbox();
        },
      };
      routes.push(graphNotificationsRoute(watch));
      inspect = eventInspector(watch);
      const keep = subscriptionKeeper(watch);
      teams.keepSubscriptions = keep;
      loops.push(
        every(options.subscriptionCheckMs ?? 15 * 60_000, "graph.subscription_keeper_failed", keep),
      );
    }
    channels.teamsMessages = toTeams;
    channels.graph = toGraph;
    if (inspect) channels.inspect = inspect;
  }

  let webex: { start: () => Promise<void>; stop: () => Promise<void> } | undefined;
  const wx = options.webex;
  if (wx?.enabled) {
    const api = new WebexApi(wx.apiUrl, wx.botToken);
    const token = wx.meetingsToken;
    const meetingsClient = token
      ? new WebexMeetingsClient(wx.apiUrl, () => Promise.resolve(token))
      : undefined;
    const hostOf = (m: Meeting) => webexEmail(m.organizerId) ?? "";
    const recordings = meetingsClient
      ? {
          list: async (m: Meeting) =>
            m.platformMeeting
              ? (await meetingsClient.listRecordings(m.platformMeeting.id, hostOf(m))).map((r) => ({
                  id: r.id,
                  label: `${r.topic ?? r.id} ${r.createTime ?? ""}`.trim(),
                }))
              : [],
          remove: (m: Meeting, id: string) => meetingsClient.deleteRecording(id, hostOf(m)),
        }
      : undefined;
    const artifacts = recordings
      ? async (m: Meeting) => ({ recordings: (await recordings.list(m)).length, transcripts: 0 })
      : undefined;
    const channel = webexChannel({
      governor,
      policyFor,
      newId: options.newId ?? randomUUID,
      logger,
      readMeeting: (tenantId, meetingId) => readMeeting(db.kysely, tenantId, meetingId),
      devices: (tenantId) => listDevices(db.kysely, tenantId),
      ...(artifacts ? { artifacts } : {}),
      ...(recordings ? { recordings } : {}),
      ...(meetingsClient
        ? {
            admitInvitees: async (m: Meeting) => {
              const invited = new Set((m.invitees ?? []).map((i) => i.toLowerCase()));
              const waiting = m.platformMeeting
                ? (await meetingsClient.listParticipants(m.platformMeeting.id, hostOf(m))).filter(
                    (p) => p.state === "lobby",
                  )
                : [];
              const admit = waiting.filter((p) => invited.has((p.email ?? "").toLowerCase()));
              if (admit.length > 0) await meetingsClient.admit(admit.map((p) => p.id));
              return { admitted: admit.length, kept: waiting.length - admit.length };
            },
          }
        : {}),
      api,
      secret: wx.webhookSecret,
      links,
      addresseeOf: (tenantId, messageId) => addresseeOf(db.kysely, tenantId, messageId),
    });
    routes.push(channel.route);
    channels.webexMessages = webexDeliverer(api, db, policyFor, clock, recordings);
    if (meetingsClient)
      channels.webexMeetings = webexMeetingDeliverer(meetingsClient, governor, db);
    let framework: WebexFramework | undefined;
    const targetUrl = `${wx.publicUrl}/api/webex`;
    webex = {
      start: async () => {
        framework = await WebexFramework.start({
          token: wx.botToken,
          webhookUrl: targetUrl,
          webhookSecret: wx.webhookSecret,
          apiUrl: wx.apiUrl,
          onInbound: channel.onInbound,
          onError: (error) => {
            logger.error("webex.inbound_failed", {
              error: error instanceof Error ? error.name : "unknown",
            });
          },
        });
        channel.attach(framework);
        await ensureMeetingWebhooks(api, targetUrl, wx.webhookSecret);
      },
      stop: async () => {
        await framework?.stop();
      },
    };
  }
  const deliver = dispatch(db, channels);

  const fireTimer: FireTimer = async (trx, timer, onCommit) => {
    const bound = new Governor(
      boundGovernorStore(trx, db.dialect, clock, onCommit),
      policyFor,
      clock,
    );
    const env = {
      eventId: `timer:${timer.key}:${timer.runAt}`,
      tenantId: timer.tenantId,
      meetingId: timer.meetingId ?? "",
      actor: "system:timer",
    };
    await bound.handle(env, timer.payload as TimerEvent);
  };
  const workers: StoreWorkers =
    options.runWorkers === false
      ? { wakeOutbox: () => undefined, wakeTimers: () => undefined, stop: () => Promise.resolve() }
      : startStoreWorkers(db, {
          workerId: options.workerId ?? `${hostname()}:${String(process.pid)}`,
          clock,
          deliver,
          ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
          ...(options.leases ? { leases: options.leases } : {}),
          fireTimer,
          onError: (error) => {
            logger.error("store.worker_failed", {
              error: error instanceof Error ? error.name : "unknown",
            });
          },
        });
  wakeOutbox = workers.wakeOutbox;

  routes.push(...adminRoutes({ db, clock, logger, governor, policies }));
  if (options.runWorkers !== false)
    loops.push(
      // Another instance's policy upload is taken into use within this interval.
      every(30_000, "policy.refresh_failed", refreshPolicies),
      // Personal data past the tenant's retention period is erased (R-LOG 4, KSS 第8章3(2)エ).
      every(6 * 3_600_000, "retention.failed", () =>
        retentionPass(db, clock, (t) => policyFor(t).retention?.personalDataDays),
      ),
    );
  routes.push({
    method: "get",
    path: "/readyz",
    // Ready = the database answers and its migrations are the ones this build knows.
    handle: async () => {
      const ready = await db.ready().catch(() => false);
      return ready
        ? { status: 200, body: { ok: true } }
        : { status: 503, body: { error: { code: "STORE_UNAVAILABLE" } } };
    },
  });
  const server = createAppServer({
    ...(options.clientTimeouts ? { clientTimeouts: options.clientTimeouts } : {}),
    policy: options.policy,
    logger,
    routes,
  });
  for (const loop of loops) loop.start();

  return {
    server,
    governor,
    db,
    teams,
    workers,
    deliver,
    fireTimer,
    policies,
    listen: async (port, host) => {
      await refreshPolicies();
      const url = await new Promise<string>((resolve) => {
        server.listen(port, host, () => {
          resolve(`http://${host}:${String(server.address().port)}`);
        });
      });
      // Webex registers its webhooks at start: the server must already answer them.
      await webex?.start();
      return url;
    },
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      await Promise.all([workers.stop(), ...loops.map((loop) => loop.stop()), webex?.stop()]);
    },
  };
}
