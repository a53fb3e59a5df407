import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { createTeamsAdapter } from "./channels/teams/adapter.js";
import { teamsTurn } from "./channels/teams/bot.js";
import { teamsDeliverer } from "./channels/teams/deliver.js";
import { GraphClient } from "./channels/teams/graph/client.js";
import { graphMeetingDeliverer } from "./channels/teams/graph/deliver.js";
import { ClientCredentialsToken } from "./channels/teams/graph/token.js";
import { systemClock } from "./clock.js";
import { appConfigFromEnv } from "./config/app.js";
import { storeConfigFromEnv } from "./config/store.js";
import { teamsConfigFromEnv } from "./config/teams.js";
import { Governor } from "./governor/governor.js";
import { createAppServer, type AppDeps } from "./http/server.js";
import { jsonLogger } from "./logger.js";
import type { TimerEvent } from "./meetings/types.js";
import { loadPolicy } from "./policy/load.js";
import { Database } from "./store/db.js";
import { boundGovernorStore, governorStore } from "./store/governor-store.js";
import type { DeliveryResult, OutboxItem } from "./store/outbox/outbox.js";
import { saveConversation } from "./store/repos/conversations.js";
import { startStoreWorkers } from "./store/workers.js";

/** Without a channel there is nobody to deliver to: rows wait, visible with this error. */
const noChannel = (item: OutboxItem): Promise<DeliveryResult> =>
  Promise.resolve({ ok: false, error: `NO_CHANNEL: ${item.kind}`, retryAfterMs: 3_600_000 });

/** Wiring only: configuration, policy, store, channels, workers, server. Fails fast naming what is wrong. */
async function main(): Promise<void> {
  const logger = jsonLogger();
  const config = appConfigFromEnv(process.env);
  const teamsConfig = teamsConfigFromEnv(process.env);
  const loaded = loadPolicy(config.policy);
  const policyFor = () => loaded.policy;
  const db = await Database.open(storeConfigFromEnv(process.env));
  let wakeOutbox: () => void = () => undefined;
  const governor = new Governor(
    governorStore(db, systemClock, () => {
      wakeOutbox();
    }),
    policyFor,
    systemClock,
  );

  let teams: AppDeps["teams"];
  let deliver = noChannel;
  if (teamsConfig.mode === "production") {
    const adapter = createTeamsAdapter(teamsConfig, systemClock);
    const remember: Parameters<typeof teamsTurn>[0]["remember"] = (tenantId, personId, reference) =>
      saveConversation(db.kysely, {
        tenantId,
        personId,
        channel: "teams",
        reference,
        at: systemClock.now(),
      });
    const turn = teamsTurn({ governor, remember, policyFor, newId: randomUUID, logger });
    teams = { adapter, turn, timeoutMs: teamsConfig.authTimeoutMs };
    const toTeams = teamsDeliverer(adapter, teamsConfig.appId, db, policyFor);
    const graphs = new Map<string, GraphClient>();
    const graphFor = (tenantId: string) => {
      let graph = graphs.get(tenantId);
      if (!graph) {
        const credentials = {
          authorityUrl: teamsConfig.loginAuthority,
          tenantId,
          clientId: teamsConfig.appId,
          clientSecret: teamsConfig.password,
          scope: "https://graph.microsoft.com/.default",
        };
        graph = new GraphClient(
          teamsConfig.graphBaseUrl,
          new ClientCredentialsToken(credentials, systemClock),
        );
        graphs.set(tenantId, graph);
      }
      return graph;
    };
    const toGraph = graphMeetingDeliverer(graphFor, governor, db);
    deliver = (item) => (item.kind === "platform" ? toGraph(item) : toTeams(item));
  }

  const workers = startStoreWorkers(db, {
    workerId: `${hostname()}:${process.pid}`,
    clock: systemClock,
    deliver,
    fireTimer: async (trx, timer) => {
      const bound = new Governor(
        boundGovernorStore(trx, db.dialect, systemClock),
        policyFor,
        systemClock,
      );
      const env = {
        eventId: `timer:${timer.key}:${timer.runAt}`,
        tenantId: timer.tenantId,
        meetingId: timer.meetingId ?? "",
        actor: "system:timer",
      };
      await bound.handle(env, timer.payload as TimerEvent);
    },
    onError: (error) => {
      logger.error("store.worker_failed", {
        error: error instanceof Error ? error.name : "unknown",
      });
    },
  });
  wakeOutbox = workers.wakeOutbox;

  const server = createAppServer({ policy: loaded, logger, ...(teams ? { teams } : {}) });
  server.listen(config.port, config.host, () => {
    logger.info("started", {
      url: `http://${config.host}:${config.port}`,
      policy: loaded.layers.join(" → "),
      store: db.dialect,
      teams: teamsConfig.mode,
    });
  });
  // Graceful: stop taking requests, let the worker passes under way finish, release the database.
  const stop = () => {
    server.close(() => {
      void workers
        .stop()
        .then(() => db.close())
        .then(() => process.exit(0));
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(
    `kaigi-guard could not start: ${typeof code === "string" ? `${code}: ` : ""}${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
