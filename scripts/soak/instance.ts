/**
 * One kaigi-guard instance of the soak run (scripts/soak/main.ts starts two): the real app —
 * createApp with its outbox and timer workers — on the shared PostgreSQL schema, Teams pointed at
 * the fake Bot Framework and Graph, Webex at the fake Webex API. The clock runs SOAK_SPEED times
 * faster than real time from SOAK_T0 (the same for every instance), so reminders due "an hour
 * later" come within the run. Prints `ready <url>` when listening; SIGTERM stops it gracefully.
 */
import { jsonLogger } from "../../src/logger.js";
import type { Clock } from "../../src/clock.js";

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`soak instance: ${name} is not set`);
  return value;
};

const t0 = Number(env("SOAK_T0"));
const speed = Number(env("SOAK_SPEED"));
const clock: Clock = { now: () => new Date(t0 + (Date.now() - t0) * speed) };
// The Webex SDK reads its service URLs when first loaded: the app is imported after this.
process.env.U2C_SERVICE_URL = `${env("SOAK_WEBEX_BASE")}/u2c/api/v1`;

const { createApp } = await import("../../src/app.js");
const { loadPolicy } = await import("../../src/policy/load.js");
const { Database } = await import("../../src/store/db.js");
const { teamsSettings } = await import("../../test/fakes/botframework.js");
const { webexSettings } = await import("../../test/fakes/webex-api.js");

const bf = env("SOAK_BF_BASE");
const db = await Database.open({
  kind: "postgres",
  url: env("SOAK_PG_URL"),
  schema: env("SOAK_PG_SCHEMA"),
});
const logger = jsonLogger(undefined, "warn");
const app = createApp({
  db,
  policy: loadPolicy(env("SOAK_POLICY")),
  logger,
  clock,
  workerId: env("SOAK_WORKER"),
  idleMs: 250,
  // Leases are in the clock's time: keep them as long in real time as in production.
  leases: { outboxMs: 60_000 * speed, timerMs: 30_000 * speed },
  teams: teamsSettings(
    {
      metadataUrl: `${bf}/openid/.well-known/openidconfiguration`,
      loginAuthority: `${bf}/login`,
    },
    { graphBaseUrl: `${env("SOAK_GRAPH_BASE")}/v1.0` },
  ),
  webex: webexSettings(env("SOAK_WEBEX_BASE"), env("SOAK_WEBEX_SECRET")),
});
const url = await app.listen(Number(env("SOAK_PORT")), "127.0.0.1");
process.stdout.write(`ready ${url}\n`);
process.once("SIGTERM", () => {
  void app
    .stop()
    .then(() => db.close())
    .then(() => process.exit(0));
});
