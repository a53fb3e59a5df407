/**
 * Store benchmark (not a test): log appends/s, `log verify` time, timer claim+fire and outbox
 * throughput, on SQLite (file, WAL, synchronous=NORMAL: the shipped setting) and on PostgreSQL
 * (server defaults) when reachable.
 *   npm run bench:store
 *   BENCH_VERIFY_ENTRIES=200000 npm run bench:store   (default 1,000,000)
 *   KAIGI_TEST_PG_URL=postgres://…                    (default postgres://postgres@127.0.0.1:5432/test)
 */
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "kysely";
import pg from "pg";
import { FixedClock } from "../src/clock.js";
import { Database, type StoreConfig } from "../src/store/db.js";
import { appendLog, type NewLogEntry } from "../src/store/log/append.js";
import { verifyChain } from "../src/store/log/verify.js";
import { OutboxDispatcher } from "../src/store/outbox/dispatcher.js";
import { enqueue } from "../src/store/outbox/outbox.js";
import { TimerWorker, scheduleTimer } from "../src/store/timers/timers.js";

const PG_URL = process.env.KAIGI_TEST_PG_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const VERIFY_ENTRIES = Number(process.env.BENCH_VERIFY_ENTRIES ?? 1_000_000);
const clock = new FixedClock("2026-12-01T00:00:00.000Z");

const entry = (i: number, tenantId = "bench"): NewLogEntry => ({
  tenantId,
  meetingId: `m${i % 500}`,
  actor: "aad:8e2f4a6c-1d3b-4f5a-9c7e-2b4d6f8a0c1e",
  action: "reminder.sent",
  payload: { n: i, open: ["cloud-data", "chat-data"], cite: "KWS 4(4)" },
});

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const perSecond = (count: number, ms: number) => `${fmt((count / ms) * 1000)}/s`;

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/** `count` entries in transactions of `batch` entries each, by `writers` concurrent writers. */
async function appends(db: Database, count: number, batch: number, writers = 1, tenant = "bench") {
  let next = 0;
  const writer = async () => {
    while (next < count) {
      const size = Math.min(batch, count - next);
      const first = next;
      next += size;
      // A tenant's log: on PostgreSQL its transactions group under that tenant's lock.
      await db.transaction(
        (trx) =>
          appendLog(
            trx,
            clock,
            Array.from({ length: size }, (_, k) => entry(first + k, tenant)),
          ),
        { tenantId: tenant },
      );
    }
  };
  return timed(() => Promise.all(Array.from({ length: writers }, writer)));
}

async function bench(db: Database, name: string, out: (line: string) => void): Promise<void> {
  const single = name === "sqlite" ? 5_000 : 2_000;
  let t = await appends(db, single, 1);
  out(`log appends, 1 entry per transaction (one event):       ${perSecond(single, t)}`);
  t = await appends(db, single, 1, 16, "bench-concurrent");
  out(`log appends, 1 per transaction, 16 concurrent writers:   ${perSecond(single, t)}`);
  for (const batch of [100, 1000]) {
    t = await appends(db, 100_000, batch, 1, `bench-${batch}`);
    out(
      `log appends, group commit of ${String(batch).padEnd(4)} per transaction:   ${perSecond(100_000, t)}`,
    );
  }

  const fill = Math.max(0, VERIFY_ENTRIES - single);
  t = await appends(db, fill, 1000);
  out(`(filled the chain to ${fmt(single + fill)} entries at ${perSecond(fill, t)})`);
  let ok = false;
  t = await timed(async () => (ok = (await verifyChain(db, "bench")).ok));
  out(
    `log verify of ${fmt(single + fill)} entries:                 ${(t / 1000).toFixed(2)} s (ok: ${String(ok)})`,
  );

  const timers = 5_000;
  await db.transaction(async (trx) => {
    for (let n = 0; n < timers; n++)
      await scheduleTimer(trx, {
        tenantId: "bench",
        key: `t${n}`,
        meetingId: null,
        kind: "bench",
        payload: { n },
        runAt: new Date(0),
      });
  });
  const workers = name === "sqlite" ? 1 : 2;
  let fired = 0;
  t = await timed(() =>
    Promise.all(
      Array.from({ length: workers }, async (_, w) => {
        const worker = new TimerWorker(db, `bench-${w}`, clock, async (trx, timer) => {
          await appendLog(trx, clock, [
            { ...entry(0, "bench-timers"), action: "timer.fired", payload: { key: timer.key } },
          ]);
        });
        for (let got = 1; got > 0; fired += got) got = await worker.runOnce(100);
      }),
    ),
  );
  out(
    `timers claimed and fired, each with a log entry, ${workers} worker(s): ${perSecond(fired, t)} (${fmt(fired)} timers)`,
  );

  const items = 5_000;
  await db.transaction(async (trx) => {
    for (let n = 0; n < items; n++)
      await enqueue(trx, clock, {
        tenantId: "bench",
        idempotencyKey: `bench#${n}`,
        kind: "message",
        payload: { n },
      });
  });
  const dispatcher = new OutboxDispatcher(db, () => Promise.resolve({ ok: true }), clock);
  let sent = 0;
  t = await timed(async () => {
    for (let got = 1; got > 0; sent += got) got = await dispatcher.runOnce(100);
  });
  out(
    `outbox rows claimed, delivered (no-op) and recorded:     ${perSecond(sent, t)} (${fmt(sent)} rows)`,
  );
}

async function run(name: string, config: StoreConfig, cleanup: () => Promise<void>) {
  const lines: string[] = [];
  let db: Database | undefined;
  try {
    db = await Database.open(config);
    const durability =
      db.dialect === "sqlite"
        ? "WAL, synchronous=NORMAL"
        : `synchronous_commit=${(await sql<{ s: string }>`select current_setting('synchronous_commit') as s`.execute(db.kysely)).rows[0]?.s ?? "?"}`;
    lines.push(`${name} (${durability}):`);
    await bench(db, name, (line) => {
      lines.push(`  ${line}`);
      console.error(`  ${name}: ${line}`);
    });
  } finally {
    await db?.close();
    await cleanup();
  }
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-bench-"));
const report = [
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? "cpu"}`,
  ...(await run("sqlite", { kind: "sqlite", path: join(dir, "bench.sqlite") }, () => {
    rmSync(dir, { recursive: true, force: true });
    return Promise.resolve();
  })),
];

const probe = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 });
const pgUp = await probe.connect().then(
  () => true,
  () => false,
);
await probe.end().catch(() => undefined);
if (pgUp) {
  const schema = `kg_bench_${String(process.pid)}`;
  report.push(
    ...(await run("postgres", { kind: "postgres", url: PG_URL, schema, poolSize: 20 }, async () => {
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      await c.query(`drop schema if exists "${schema}" cascade`);
      await c.end();
    })),
  );
} else {
  report.push(`postgres: SKIPPED — ${PG_URL} is unreachable`);
}
console.log(["", "kaigi-guard store benchmark", ...report].join("\n"));
