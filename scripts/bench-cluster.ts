/**
 * Several instances on one PostgreSQL (issue 23): 1, 2 and 3 instances (each its own pool,
 * governor, timer worker and outbox dispatcher, in this process), 1 and 50 tenants, a mixed load —
 * governance turns (a draft, then its tier answer), timers firing with a log entry, outbox rows
 * delivered (no-op). Prints aggregate turns/s and p99, the backends seen waiting on a lock (pg_locks
 * sampled every 20 ms, mean per sample): on a tenant's advisory lock — only ever a group of that
 * same tenant, another instance's group of it running — or on any other lock (a row another
 * transaction holds: with a group per tenant, only ever that tenant's), and the deadlocks
 * PostgreSQL counted meanwhile. On two cores the aggregate cannot grow much with instances; what it
 * shows is whether one tenant's work waits on another's.
 *
 *   npm run bench:cluster [-- --seconds 4 --connections 32]
 *   KAIGI_TEST_PG_URL=postgres://…   (default postgres://postgres@127.0.0.1:5432/test)
 */
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { systemClock } from "../src/clock.js";
import { Governor } from "../src/governor/governor.js";
import { loadPolicy } from "../src/policy/load.js";
import { Database } from "../src/store/db.js";
import { governorStore } from "../src/store/governor-store.js";
import { appendLog } from "../src/store/log/append.js";
import { verifyChain } from "../src/store/log/verify.js";
import { OutboxDispatcher } from "../src/store/outbox/dispatcher.js";
import { enqueue } from "../src/store/outbox/outbox.js";
import { TimerWorker, scheduleTimer } from "../src/store/timers/timers.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "4" },
    connections: { type: "string", default: "32" },
  },
});
const SECONDS = Number(values.seconds);
const CONNECTIONS = Number(values.connections);
const PG_URL = process.env.KAIGI_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const clock = systemClock;
const policy = loadPolicy("kawasaki").policy;
const plan = {
  service: "teams",
  participants: 3,
  external: false,
  externalHost: false,
  personalInfo: false,
  recording: false,
  transcription: false,
  departmentDevice: false,
};

interface Result {
  instances: number;
  tenants: number;
  turns: number;
  p99: number;
  timers: number;
  outbox: number;
  advisoryWaits: number;
  otherWaits: number;
  samples: number;
  deadlocks: number;
  chainsOk: boolean;
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function deadlocks(client: pg.Client): Promise<number> {
  const { rows } = await client.query<{ n: string }>(
    "select deadlocks::text as n from pg_stat_database where datname = current_database()",
  );
  return Number(rows[0]?.n ?? 0);
}

async function run(instances: number, tenants: number, schema: string): Promise<Result> {
  const config = { kind: "postgres" as const, url: PG_URL, schema, poolSize: 10 };
  const dbs = [await Database.open(config)];
  for (let i = 1; i < instances; i++) dbs.push(await Database.open(config));
  const monitor = new pg.Client({ connectionString: PG_URL });
  await monitor.connect();
  const tenantOf = (n: number) => `tenant-${String(n % tenants)}`;
  // Timers due now and outbox rows, spread over the tenants, for the workers to take meanwhile.
  await dbs[0]?.transaction(async (trx) => {
    for (let n = 0; n < 2_000; n++) {
      await scheduleTimer(trx, {
        tenantId: tenantOf(n),
        key: `t${String(n)}`,
        meetingId: null,
        kind: "bench",
        payload: { n },
        runAt: new Date(0),
      });
      await enqueue(trx, clock, {
        tenantId: tenantOf(n),
        idempotencyKey: `o#${String(n)}`,
        kind: "message",
        payload: { n },
      });
    }
  });
  const deadlocksBefore = await deadlocks(monitor);
  const end = Date.now() + SECONDS * 1000;
  const latencies: number[] = [];
  let next = 0;
  const governors = dbs.map((db) => new Governor(governorStore(db, clock), () => policy, clock));
  const client = async (c: number) => {
    const governor = governors[c % governors.length];
    if (!governor) return;
    while (Date.now() < end) {
      const n = next++;
      const env = { tenantId: tenantOf(n), meetingId: `m${String(n)}`, actor: "aad:o" };
      let started = performance.now();
      await governor.handle(
        { ...env, eventId: `d${String(n)}` },
        {
          type: "draft",
          title: "bench",
          startsAt: "2026-12-20T01:00:00.000Z",
          endsAt: "2026-12-20T02:00:00.000Z",
          plan,
        },
      );
      latencies.push(performance.now() - started);
      started = performance.now();
      await governor.handle(
        { ...env, eventId: `t${String(n)}` },
        { type: "tier-answered", tier: "II" },
      );
      latencies.push(performance.now() - started);
    }
  };
  let timers = 0;
  let outbox = 0;
  const workers = dbs.map(async (db, i) => {
    const timer = new TimerWorker(db, `w${String(i)}`, clock, async (trx, t) => {
      await appendLog(trx, clock, [
        {
          tenantId: t.tenantId,
          meetingId: null,
          actor: "system:timer",
          action: "timer.fired",
          payload: { key: t.key },
        },
      ]);
    });
    const dispatcher = new OutboxDispatcher(db, () => Promise.resolve({ ok: true }), clock);
    while (Date.now() < end) {
      const fired = await timer.runOnce(50);
      const sent = await dispatcher.runOnce(50);
      timers += fired;
      outbox += sent;
      if (fired + sent === 0) await new Promise((r) => setTimeout(r, 20));
    }
  });
  let advisoryWaits = 0;
  let otherWaits = 0;
  let samples = 0;
  const sampler = (async () => {
    while (Date.now() < end) {
      const { rows } = await monitor.query<{ kind: string }>(
        `select l.locktype as kind from pg_locks l join pg_stat_activity a on a.pid = l.pid
          where not l.granted and a.datname = current_database()`,
      );
      samples++;
      for (const r of rows) {
        if (r.kind === "advisory") advisoryWaits++;
        else otherWaits++;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  })();
  await Promise.all([
    ...Array.from({ length: CONNECTIONS }, (_, c) => client(c)),
    ...workers,
    sampler,
  ]);
  const deadlocksAfter = await deadlocks(monitor);
  let chainsOk = true;
  for (let t = 0; t < tenants; t++)
    chainsOk &&= (await verifyChain(dbs[0] as Database, `tenant-${String(t)}`)).ok;
  await monitor.end();
  for (const db of dbs) await db.close();
  latencies.sort((a, b) => a - b);
  return {
    instances,
    tenants,
    turns: latencies.length / SECONDS,
    p99: quantile(latencies, 0.99),
    timers: timers / SECONDS,
    outbox: outbox / SECONDS,
    advisoryWaits,
    otherWaits,
    samples,
    deadlocks: deadlocksAfter - deadlocksBefore,
    chainsOk,
  };
}

const results: Result[] = [];
const admin = new pg.Client({ connectionString: PG_URL });
await admin.connect();
for (const tenants of [1, 50]) {
  for (const instances of [1, 2, 3]) {
    const schema = `kg_cluster_${String(process.pid)}_${String(instances)}_${String(tenants)}`;
    try {
      results.push(await run(instances, tenants, schema));
      console.error(`done: ${String(instances)} instance(s), ${String(tenants)} tenant(s)`);
    } finally {
      await admin.query(`drop schema if exists "${schema}" cascade`);
    }
  }
}
await admin.end();

const f = (n: number) => Math.round(n).toLocaleString("en-US");
console.log(
  `node ${process.version}, ${String(cpus().length)} cores (${cpus()[0]?.model ?? "cpu"}), PostgreSQL, ${String(CONNECTIONS)} clients spread over the instances, ${String(SECONDS)} s per row`,
);
console.log(
  "| instances | tenants | turns/s | turn p99 | timers/s | outbox/s | backends waiting on their tenant's lock | backends waiting on any other lock | deadlocks | chains |",
);
console.log("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
for (const r of results)
  console.log(
    `| ${String(r.instances)} | ${String(r.tenants)} | ${f(r.turns)} | ${r.p99.toFixed(1)} ms | ${f(r.timers)} | ${f(r.outbox)} | ${(r.advisoryWaits / Math.max(1, r.samples)).toFixed(2)} | ${(r.otherWaits / Math.max(1, r.samples)).toFixed(2)} | ${String(r.deadlocks)} | ${r.chainsOk ? "ok" : "BROKEN"} |`,
  );
