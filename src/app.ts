import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type restify from "restify";
import { adminRoutes } from "./admin/routes.js";
import { dispatch } from "./channels/dispatch.js";
import type { Every, PartDeps } from "./channels/part.js";
import type { UnsignedAdmission } from "./channels/teams/endpoint.js";
import { teamsPart, type ProductionTeams, type TeamsHandle } from "./channels/teams/part.js";
import { webexPart } from "./channels/webex/part.js";
import type { Clock } from "./clock.js";
import type { WebexConfig } from "./config/webex.js";
import { Governor } from "./governor/governor.js";
import { readinessRoute } from "./http/readiness.js";
import { createAppServer, type ClientTimeouts, type Route } from "./http/server.js";
import type { Logger } from "./logger.js";
import type { LoadedPolicy } from "./policy/load.js";
import type { Policy } from "./policy/schema.js";
import { TenantPolicies } from "./policy/tenants.js";
import type { Database } from "./store/db.js";
import { governorStore } from "./store/governor-store.js";
import type { DeliveryResult, OutboxItem } from "./store/outbox/outbox.js";
import { PollLoop } from "./store/poll-loop.js";
import { currentPolicyLayers } from "./store/repos/policy-layers.js";
import { retentionPass } from "./store/retention.js";
import { timerFirer } from "./store/timers/fire.js";
import type { FireTimer } from "./store/timers/timers.js";
import { startStoreWorkers, type StoreWorkerOptions, type StoreWorkers } from "./store/workers.js";

export type { ProductionTeams } from "./channels/teams/part.js";

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
  /** The Teams part's adapter and Graph clients, for tests to drive; undefined without Teams. */
  teams: TeamsHandle | undefined;
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
  // The workers start after the channels they deliver through; until then, nothing to wake.
  let wakeOutbox: () => void = () => undefined;
  const governor = new Governor(
    governorStore(db, clock, () => {
      wakeOutbox();
    }),
    policyFor,
    clock,
  );
  /** Background work every `ms` (and at start); a failure is logged by name, never its text. */
  const every: Every = (ms, failed, pass) =>
    new PollLoop(pass, {
      idleMs: ms,
      onError: (error) => {
        logger.error(failed, { error: error instanceof Error ? error.name : "unknown" });
      },
    });
  const partDeps: PartDeps = {
    db,
    clock,
    logger,
    governor,
    policyFor,
    newId: options.newId ?? randomUUID,
    wakeOutbox: () => {
      wakeOutbox();
    },
    every,
  };

  const teams = options.teams
    ? teamsPart(options.teams, partDeps, {
        unsigned: options.unsigned,
        subscriptionCheckMs: options.subscriptionCheckMs,
      })
    : undefined;
  const webex = options.webex?.enabled ? webexPart(options.webex, partDeps) : undefined;
  const parts = [teams, webex].filter((part) => part !== undefined);
  const deliver = dispatch(db, { ...teams?.channels, ...webex?.channels });

  const fireTimer = timerFirer(db, policyFor, clock);
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

  const loops = parts.flatMap((part) => part.loops);
  if (options.runWorkers !== false)
    loops.push(
      // Another instance's policy upload is taken into use within this interval.
      every(30_000, "policy.refresh_failed", refreshPolicies),
      // Personal data past the tenant's retention period is erased (R-LOG 4, KSS 第8章3(2)エ).
      every(6 * 3_600_000, "retention.failed", () =>
        retentionPass(db, clock, (t) => policyFor(t).retention?.personalDataDays),
      ),
    );
  const server = createAppServer({
    ...(options.clientTimeouts ? { clientTimeouts: options.clientTimeouts } : {}),
    policy: options.policy,
    logger,
    routes: [
      ...(options.routes ?? []),
      ...parts.flatMap((part) => part.routes),
      ...adminRoutes({ db, clock, logger, governor, policies }),
      readinessRoute(db),
    ],
  });
  for (const loop of loops) loop.start();

  return {
    server,
    governor,
    db,
    teams: teams?.handle,
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
      for (const part of parts) await part.start?.();
      return url;
    },
    stop: async () => {
      await new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      await Promise.all([
        workers.stop(),
        ...loops.map((loop) => loop.stop()),
        ...parts.map((part) => part.stop?.()),
      ]);
    },
  };
}
