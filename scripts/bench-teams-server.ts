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
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PerformanceObserver, performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { sql } from "kysely";
import pg from "pg";
import { createApp } from "../src/app.js";
import type { Activity, TurnContext } from "botbuilder";
import { verdictCard } from "../src/cards/organizer.js";
import { cardInvokeResponse, executeInvokeResponse } from "../src/channels/teams/bot.js";
import { tierInputSchema } from "../src/channels/inputs.js";
import { evaluateRemembered } from "../src/policy/evaluate.js";
import { localeOf } from "../src/text.js";
import { createTeamsAdapter } from "../src/channels/teams/adapter.js";
import { teamsRoute } from "../src/channels/teams/endpoint.js";
import { systemClock } from "../src/clock.js";
import { createAppServer } from "../src/http/server.js";
import type { Logger } from "../src/logger.js";
import { loadPolicy } from "../src/policy/load.js";
import { Database } from "../src/store/db.js";
import { botFrameworkFake, channelToken, teamsSettings } from "../test/fakes/botframework.js";
import {
  BENCH_ORGANIZER_OID,
  BENCH_TENANT,
  type FromServer,
  type ToServer,
} from "./bench-teams-ipc.js";

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

// PostgreSQL when asked (--pg, or DATABASE_URL set), in a schema of its own dropped at the end.
const pgUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const usePg = values.pg || process.env.DATABASE_URL !== undefined;
const schema = `kaigi_bench_${Date.now().toString(36)}`;
const dir = usePg ? undefined : mkdtempSync(join(tmpdir(), "kaigi-bench-"));
const db = await Database.open(
  dir === undefined
    ? { kind: "postgres", url: pgUrl, schema }
    : { kind: "sqlite", path: join(dir, "bench.sqlite") },
).catch((error: unknown) => {
  const where = usePg ? pgUrl.replace(/\/\/[^@/]*@/, "//…@") : "a temporary directory";
  throw new Error(`cannot open the store at ${where}`, { cause: error });
});
const policy = loadPolicy("kawasaki");
const app = createApp({ db, policy, logger, clock: systemClock, teams: settings });
const appUrl = await app.listen(0, "127.0.0.1");

/** A bot on the same stack as the app — restify, the Teams adapter, JWT check — with its own turn. */
async function sameStack(answer: (ctx: TurnContext) => Partial<Activity>) {
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
const urlOf = (server: Awaited<ReturnType<typeof sameStack>>) =>
  `http://127.0.0.1:${String((server.address() as { port: number }).port)}`;

// The echo bot: no policy, no store, a fixed card.
const echoCard = {
  type: "AdaptiveCard",
  version: "1.4",
  body: [{ type: "TextBlock", text: "echo" }],
};
const echo = await sameStack(() => cardInvokeResponse(echoCard));

/**
 * The governance turn without its store: the tier answer read from the invoke, the verdict for
 * the plan every prepared meeting has (from evaluateRemembered, as the governor gets it), the same
 * verdict card — what a governance turn costs before it reads or writes anything.
 */
const plan = {
  service: "webex",
  participants: 5,
  external: false,
  externalHost: false,
  personalInfo: false,
  recording: false,
  transcription: false,
  departmentDevice: false,
} as const;
const evaluation = await sameStack((ctx) => {
  const data = tierInputSchema.parse(
    (ctx.activity.value as { action: { data: unknown } }).action.data,
  );
  const verdict = evaluateRemembered(
    { ...plan, tier: data.tier },
    app.policies.policyFor(BENCH_TENANT),
  );
  return executeInvokeResponse(verdictCard(verdict, localeOf(ctx.activity.locale), data.requestId));
});

const organizer = `aad:${BENCH_ORGANIZER_OID}`;
const run = Date.now().toString(36);
let prepared = 0;

/**
 * Meetings drafted as the schedule card's answer leaves them (state `draft`, plan set, organizer
 * = the fixture's sender), each to be answered once by one measured tier.submit. Through the
 * governor, a few at a time (PostgreSQL gains from it; SQLite serializes them anyway).
 */
async function prepare(count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, () => `bench-${run}-${String(prepared++)}`);
  const startsAt = new Date(Date.now() + 86_400_000).toISOString();
  const endsAt = new Date(Date.now() + 90_000_000).toISOString();
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let id = ids[next++]; id !== undefined; id = ids[next++]) {
        const outcome = await app.governor.handle(
          { eventId: `draft:${id}`, tenantId: BENCH_TENANT, meetingId: id, actor: organizer },
          {
            type: "draft",
            title: "定例会議",
            startsAt,
            endsAt,
            plan,
          },
        );
        if (outcome.status !== "done") throw new Error(`draft ${id}: ${outcome.status}`);
      }
    }),
  );
  return ids;
}

/**
 * Before each measured phase, SQLite's WAL is written back to the database file off the clock, so
 * that a phase pays for its own writes only. SQLite does it every 1,000 pages, within whichever
 * commit crosses that line: the meetings prepared for a governance phase left its first commits to
 * write back what preparing wrote. (Collecting garbage here as well was tried in two runs: 0.92×,
 * with an echo phase slowed after the collection, and 0.79×; the next run without it, 0.87×.)
 */
async function settle(): Promise<void> {
  if (db.dialect === "sqlite") await sql`pragma wal_checkpoint(TRUNCATE)`.execute(db.kysely);
}

async function verify(): Promise<Extract<FromServer, { type: "verified" }>> {
  const states = await db.kysely
    .selectFrom("meetings")
    .select(["state", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("tenant_id", "=", BENCH_TENANT)
    .groupBy("state")
    .execute();
  const actions = await db.kysely
    .selectFrom("log_entries")
    .select(["action", (eb) => eb.fn.countAll<number | string>().as("n")])
    .where("tenant_id", "=", BENCH_TENANT)
    .groupBy("action")
    .execute();
  const outbox = await db.kysely
    .selectFrom("outbox")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .where("tenant_id", "=", BENCH_TENANT)
    .executeTakeFirstOrThrow();
  return {
    type: "verified",
    states: Object.fromEntries(states.map((r) => [r.state, Number(r.n)])),
    actions: Object.fromEntries(actions.map((r) => [r.action, Number(r.n)])),
    outbox: Number(outbox.n),
    ...logged,
  };
}

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
  if (db.dialect === "postgres")
    await sql`drop schema ${sql.id(schema)} cascade`.execute(db.kysely);
  await db.close();
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  await bf.fake.stop();
}

process.on("message", (message: ToServer) => {
  const answer = async (): Promise<FromServer | undefined> => {
    switch (message.type) {
      case "prepare":
        return { type: "prepared", ids: await prepare(message.count) };
      case "settle":
        await settle();
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
        return verify();
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
