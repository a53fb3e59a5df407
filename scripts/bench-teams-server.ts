/**
 * The servers `bench-teams.ts` measures, in a process of their own (so the load generator does not
 * share their event loop): the real app (createApp with production-shaped Teams settings: JWT
 * check, governor, SQLite or PostgreSQL), an echo bot on the same stack (createAppServer —
 * restify, the same TeamsAdapter, JWT check and handleBotRequest — with a turn that only answers
 * the invoke) and, on the same stack too, the governance turn without its store (evaluation
 * only). All talk to one fake Bot Framework (OpenID metadata, keys, login, connector).
 *
 * Spoken to over the IPC channel: `ready` when listening; between phases `prepare` (meetings put
 * in the state where they await their tier, through the governor), `settle` (before every
 * measured phase: the WAL checkpointed), `usage` (this process's CPU and event-loop use), `verify`
 * (what the store holds after the run); `stop` ends it.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import pg from "pg";
import { createApp } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import type { Logger } from "../src/logger.js";
import { loadPolicy } from "../src/policy/load.js";
import { botFrameworkFake, channelToken, teamsSettings } from "../test/fakes/botframework.js";
import type { FromServer, ToServer } from "./bench-teams-ipc.js";
import { echoBot, evaluationBot, urlOf } from "./bench-teams/bots.js";
import { openStore, prepare, settle, verify } from "./bench-teams/store.js";

const { values } = parseArgs({ options: { pg: { type: "boolean", default: false } } });
const send = (message: FromServer) => process.send?.(message);
if (!process.send) throw new Error("bench-teams-server runs as a child of bench-teams.ts");

/** The app's operational log: nothing is written on a successful turn; anything else is counted. */
const logged = { warnings: 0, errors: 0, first: [] as string[] };
const countingLogger = (): Logger => {
  const keep = (level: "warnings" | "errors") => (event: string) => {
    logged[level]++;
    if (logged.first.length < 5) logged.first.push(`${level}: ${event}`);
  };
  return { info: () => undefined, warn: keep("warnings"), error: keep("errors") };
};
const logger = countingLogger();

/**
 * Round trips to PostgreSQL: every statement (or several in one simple query) the `pg` client
 * sends waits for its answer before the next, so its `query` calls are the round trips.
 */
let queries = 0;
const prototype = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
const clientQuery = prototype.query;
prototype.query = function (this: unknown, ...args: unknown[]) {
  queries++;
  return clientQuery.apply(this, args);
};

const bf = await botFrameworkFake();
const settings = teamsSettings(bf, { authTimeoutMs: 5_000 });

const store = await openStore(values.pg);
const { db } = store;
const policy = loadPolicy("kawasaki");
const app = createApp({ db, policy, logger, clock: systemClock, teams: settings });
const appUrl = await app.listen(0, "127.0.0.1");
const echo = await echoBot({ policy, logger, settings });
const evaluation = await evaluationBot({ policy, logger, settings }, app.policies);

/** Garbage collection time, reported with the CPU time so that each phase shows its share. */
let gcMs = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMs += entry.duration;
}).observe({ entryTypes: ["gc"] });

/** Profiles only what it is asked to (the measured phases), not the meetings' preparation. */
const inspector = new Session();
async function profile(file: string | undefined): Promise<void> {
  if (file === undefined) {
    inspector.connect();
    await inspector.post("Profiler.enable");
    await inspector.post("Profiler.start");
    return;
  }
  const { profile } = await inspector.post("Profiler.stop");
  inspector.disconnect();
  writeFileSync(file, JSON.stringify(profile));
}

async function stop(): Promise<void> {
  await app.stop();
  echo.close();
  evaluation.close();
  await store.drop();
  await bf.fake.stop();
}

process.on("message", (message: ToServer) => {
  const answer = async (): Promise<FromServer | undefined> => {
    switch (message.type) {
      case "prepare":
        return { type: "prepared", ids: await prepare(app.governor, message.count) };
      case "settle":
        await settle(db);
        return { type: "settled" };
      case "usage":
        return {
          type: "usage",
          cpu: process.cpuUsage(),
          gcMs,
          queries,
          elu: performance.eventLoopUtilization(),
        };
      case "verify":
        return verify(db, logged);
      case "profile":
        await profile(message.file);
        return { type: "profiled" };
      case "stop":
        await stop();
        process.exit(0);
        return undefined;
    }
  };
  answer().then(
    (reply) => {
      if (reply) send(reply);
    },
    (error: unknown) => {
      send({ type: "failed", error: error instanceof Error ? error.message : String(error) });
    },
  );
});

send({
  type: "ready",
  app: appUrl,
  echo: urlOf(echo),
  evaluation: urlOf(evaluation),
  serviceUrl: bf.serviceUrl,
  token: channelToken(bf.serviceUrl),
  dialect: db.dialect,
});
