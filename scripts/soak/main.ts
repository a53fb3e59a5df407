/**
 * `npm run soak` — two kaigi-guard instances on one PostgreSQL schema behind a small round-robin
 * proxy, a mixed Teams + Webex workload through the proxy, one instance killed (SIGKILL) and
 * restarted in the middle, then the checks of issue #7: no committed log entry missing, every
 * reminder sent exactly once, every chain verifies, no 5xx outside the kill window. Loopback only,
 * bounded (`--seconds` of load, then at most `--drain` seconds for reminders to finish), figures
 * printed last; exit 1 if a check fails, 2 if PostgreSQL is unreachable.
 *
 * What is fake is only what no machine here can reach (the Bot Framework, Graph, the Webex API):
 * the fakes of test/fakes, speaking the documented wire protocols. The instances' clock runs
 * `--speed` times faster than real time (leases kept as long in real time as in production) so
 * that a meeting ends, its clean-up opens and its reminders come (first 1 minute after the
 * clean-up opens, then hourly) within the run. After the load, reminders keep coming for `--drain`
 * seconds; then both instances are stopped (SIGTERM) and the platforms' records are compared with
 * the log: every reminder logged was delivered exactly once, or is still queued (not yet due to
 * go out when the instances stopped), and nothing was delivered that the log does not have.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { Database } from "../../src/store/db.js";
import { botFrameworkFake } from "../../test/fakes/botframework.js";
import { graphFake } from "../../test/fakes/graph.js";
import { fixture } from "../../test/fakes/http-fake.js";
import { webexApiFake } from "../../test/fakes/webex-api.js";
import { findings } from "./checks.js";
import { freePort, startInstance, stopInstance, type Instance } from "./instance-process.js";
import { roundRobinProxy } from "./proxy.js";
import { report } from "./report.js";
import { say } from "./say.js";
import { workload } from "./workload.js";

const { values: args } = parseArgs({
  options: {
    seconds: { type: "string", default: "180" },
    drain: { type: "string", default: "45" },
    speed: { type: "string", default: "120" },
    "teams-users": { type: "string", default: "4" },
    "webex-users": { type: "string", default: "2" },
    "max-meetings": { type: "string", default: "300" },
    keep: { type: "boolean", default: false },
  },
});
const SECONDS = Number(args.seconds);
const DRAIN_S = Number(args.drain);
const SPEED = Number(args.speed);
const MAX_MEETINGS = Number(args["max-meetings"]);
const PG_URL = process.env.KAIGI_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const SECRET = "soak-webhook-secret";
const T0 = Date.now();
const clockNow = () => new Date(T0 + (Date.now() - T0) * SPEED);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- PostgreSQL, policy, fakes
const admin = new pg.Client({ connectionString: PG_URL });
try {
  await admin.connect();
} catch {
  process.stdout.write(`soak: PostgreSQL at ${PG_URL} is unreachable; the soak needs it.\n`);
  process.exit(2);
}
const schema = `soak_${randomUUID().replace(/-/g, "").slice(0, 12)}`;
await admin.query(`create schema ${schema}`);
const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-soak-"));
const policyFile = join(dir, "soak.yaml");
writeFileSync(
  policyFile,
  "id: soak\nextends: kawasaki\nreminders:\n  firstAfterMinutes: 1\n  everyMinutes: 60\n  escalateAfter: 2\n",
);

const bf = await botFrameworkFake();
bf.fake.on((c) =>
  c.method === "POST" &&
  /^\/login\/(?!botframework\.com\/)[^/]+\/oauth2\/v2\.0\/token$/.test(c.path)
    ? { status: 200, body: fixture("graph/token-response.json") }
    : undefined,
);
const graph = graphFake();
const graphBase = await graph.start();
const webex = webexApiFake(SECRET);
const webexBase = await webex.fake.start();

// ---------------------------------------------------------------- instances and the proxy
const instances: Instance[] = [
  { name: "A", port: await freePort(), up: false },
  { name: "B", port: await freePort(), up: false },
];
/** What every instance is started with (instance.ts reads it): one clock, one schema, the fakes. */
const instanceEnv = {
  SOAK_T0: String(T0),
  SOAK_SPEED: String(SPEED),
  SOAK_PG_URL: PG_URL,
  SOAK_PG_SCHEMA: schema,
  SOAK_POLICY: policyFile,
  SOAK_BF_BASE: bf.base,
  SOAK_GRAPH_BASE: graphBase,
  SOAK_WEBEX_BASE: webexBase,
  SOAK_WEBEX_SECRET: SECRET,
};
const start = (instance: Instance) => startInstance(instance, instanceEnv);
const proxy = await roundRobinProxy(instances);

// ---------------------------------------------------------------- the workload
const load = workload({
  bf,
  webex,
  send: proxy.send,
  clockNow,
  webexUsers: Number(args["webex-users"]),
});

// ---------------------------------------------------------------- the run
say(`schema ${schema}; starting two instances`);
await Promise.all(instances.map(start));
const loadEnds = Date.now() + SECONDS * 1000;
let killWindow: { from: number; to: number } | undefined;
const kill = (async () => {
  await sleep(SECONDS * 400);
  const victim = instances[1] as Instance;
  const from = Date.now();
  victim.child?.kill("SIGKILL");
  victim.up = false;
  say(`killed instance ${victim.name}`);
  await sleep(3_000);
  await start(victim);
  killWindow = { from, to: Date.now() + 1_000 };
  say(`instance ${victim.name} back after ${String(Date.now() - from)} ms`);
})();
const users = [
  ...Array.from({ length: Number(args["teams-users"]) }, () => load.teamsMeeting),
  ...load.webexPeople.map((p) => () => load.webexMeeting(p)),
];
// Each organizer starts a meeting at a steady pace, so the meetings spread over the load.
const everyMs = (SECONDS * 1000 * users.length) / MAX_MEETINGS;
await Promise.all(
  users.map(async (one) => {
    while (Date.now() < loadEnds && load.started() < MAX_MEETINGS) {
      const began = Date.now();
      await one();
      await sleep(Math.max(0, everyMs - (Date.now() - began)));
    }
  }),
);
await kill;
say(
  `load done: ${String(load.started())} meetings started, ${String(load.confirmed.size)} confirmed; draining`,
);

// Reminders keep coming while the instances run; then both stop gracefully.
await sleep(DRAIN_S * 1000);
await Promise.all(instances.map(stopInstance));
const db = await Database.open({ kind: "postgres", url: PG_URL, schema });

// ---------------------------------------------------------------- the checks
const found = await findings(db, {
  confirmed: load.confirmed,
  bf,
  webex,
  answered: proxy.answered,
  killWindow,
});

await db.close();
if (args.keep) say(`schema ${schema} kept`);
else await admin.query(`drop schema ${schema} cascade`);
await admin.end();
proxy.close();
await Promise.all([bf.fake.stop(), graph.stop(), webex.fake.stop()]);
rmSync(dir, { recursive: true, force: true });

// ---------------------------------------------------------------- figures, last
const ok = report(found, {
  seconds: SECONDS,
  drainS: DRAIN_S,
  speed: SPEED,
  teamsUsers: args["teams-users"],
  webexUsers: args["webex-users"],
  answered: proxy.answered,
  made: load.started(),
  confirmed: load.confirmed.size,
  killWindow,
});
process.exit(ok ? 0 : 1);
