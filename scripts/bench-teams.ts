/**
 * `npm run bench:teams`: a governance turn against an echo bot on the same stack, in the same run.
 *
 * The governance turn is what Teams sends when the organizer answers the tier card: an
 * `adaptiveCard/action` invoke (verb tier.submit) over HTTP with a signed channel token, from the
 * organizer's aadObjectId — JWT check, the conversation reference kept, the policy evaluated, the
 * meeting's new state and its log entry written in one transaction, the verdict card as the
 * answer. Every measured request answers a meeting of its own, prepared beforehand in the state
 * where it awaits its tier. The echo bot is the same restify server, adapter, JWT check and
 * endpoint with a turn that answers the same invoke with a fixed card (no policy, no store). A
 * third bot on the same stack does the governance turn without its store — reads the tier from
 * the invoke, evaluates the policy, answers the same verdict card — so the table shows how much
 * of the gap is the policy and the card, and how much the store and the governor.
 *
 * Where things run: the three servers in one child process (bench-teams-server.ts), this load
 * generator in the parent. A loader in the servers' process would take event-loop time from the
 * very turns it measures; with the servers alone in theirs, on a 2-core machine the servers'
 * event loop has a core of its own (the loader — node:http, a keep-alive Agent with one socket
 * per connection — used 0.2–0.3 of the other, as each phase shows: the bench measures the
 * servers' event loop, which is busy all the time). They share the child so they run under the
 * same conditions (same process, same JIT, same fake Bot Framework), and only one of them is
 * under load at a time. The child runs the build tsc makes of them (as `npm start` runs the
 * bot), unless `--tsx`.
 *
 * Phases: a warm-up of each, then rounds (`--rounds`) of one short phase of each kind, the order
 * turning by one each round (echo, evaluation, governance; evaluation, governance, echo; …), so
 * that the machine's slower and faster spells fall on every kind alike; figures are over all
 * measured phases of a kind. (With two rounds of 10 s in a fixed order, the two governance
 * phases of one run differed by 13–26 % in four runs, and the echo bot's CPU per turn was 0.53 ms
 * in one run and 0.76 ms in another minutes later: this machine's speed drifts.) Before each phase, off the clock, SQLite's
 * WAL is checkpointed, so no phase pays for writing back another's writes (what a phase leaves in
 * the WAL at its end, under 1,000 pages, is written back before the next). Every answer is checked
 * (status 200, the expected card: the echo card, or the verdict card for that very request);
 * afterwards the store is checked too (every answered meeting declared, one log entry each,
 * nothing refused).
 *
 *   npm run bench:teams [-- --seconds 4 --warmup 2 --rounds 5 --connections 50]
 *                       [-- --pg]            PostgreSQL at DATABASE_URL (also used when that is set)
 *                                            or postgres://postgres@127.0.0.1:5432/test
 *                       [-- --profile DIR]   CPU profiles of the server process, one per measured
 *                                            phase (DIR/governance-1.cpuprofile…)
 *                       [-- --tsx]           the servers from the sources through tsx, not
 *                                            compiled by tsc (tsconfig.bench.json) first
 *
 * On PostgreSQL each phase also prints the round trips to the database per turn (the `pg`
 * client's `query` calls in the server process).
 *
 * The table is printed last. Exit status 1 when any request failed or the store does not add up;
 * goals not met are reported, not an error.
 */
import { fork, spawnSync } from "node:child_process";
import { once } from "node:events";
import { mkdirSync, readFileSync, readdirSync } from "node:fs";
import { Agent, request } from "node:http";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { setTimeout } from "node:timers/promises";
import { parseArgs } from "node:util";
import type { FromServer, ToServer } from "./bench-teams-ipc.js";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "4" },
    warmup: { type: "string", default: "2" },
    rounds: { type: "string", default: "5" },
    connections: { type: "string", default: "50" },
    pg: { type: "boolean", default: false },
    profile: { type: "string" },
    tsx: { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const rounds = Number(values.rounds);
const connections = Number(values.connections);
for (const [name, n] of Object.entries({ seconds, warmup, rounds, connections }))
  if (!(n > 0)) throw new Error(`--${name} must be a positive number`);

// ── the server process ────────────────────────────────────────────────────────────────────────

if (values.profile) mkdirSync(values.profile, { recursive: true });
/**
 * The servers run as `npm start` runs the bot: compiled by tsc, under plain node. Run from the
 * sources through tsx (`--tsx`), every function the turn creates is also wrapped to keep its
 * name, which the governance turn pays for more than the echo bot (it creates more of them).
 */
const repo = fileURLToPath(new URL("..", import.meta.url));
const serverScript = values.tsx
  ? fileURLToPath(new URL("./bench-teams-server.ts", import.meta.url))
  : compiledServer();
function compiledServer(): string {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const built = spawnSync(process.execPath, [tsc, "-p", join(repo, "tsconfig.bench.json")], {
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("tsc -p tsconfig.bench.json failed");
  return join(repo, "node_modules/.cache/kaigi-bench/scripts/bench-teams-server.js");
}
const server = fork(serverScript, values.pg ? ["--pg"] : [], {
  execArgv: values.tsx ? ["--import", "tsx"] : [],
  stdio: ["ignore", "inherit", "inherit", "ipc"],
});
const waiting: { resolve: (m: FromServer) => void; reject: (e: Error) => void }[] = [];
server.on("message", (message: FromServer) => {
  const w = waiting.shift();
  if (!w) return;
  if (message.type === "failed") w.reject(new Error(`bench server: ${message.error}`));
  else w.resolve(message);
});
server.on("exit", (code) => {
  for (const w of waiting.splice(0))
    w.reject(new Error(`bench server exited (${String(code)}) before answering`));
});
const next = () =>
  new Promise<FromServer>((resolve, reject) => {
    waiting.push({ resolve, reject });
  });
async function call<T extends FromServer["type"]>(
  message: ToServer,
  type: T,
): Promise<Extract<FromServer, { type: T }>> {
  const reply = next();
  server.send(message);
  const m = await reply;
  if (m.type !== type) throw new Error(`bench server answered ${m.type} to ${message.type}`);
  return m as Extract<FromServer, { type: T }>;
}
const first = await next();
if (first.type !== "ready") throw new Error(`bench server: ${JSON.stringify(first)}`);
const ready = first;

// ── requests ──────────────────────────────────────────────────────────────────────────────────

const fixture = JSON.parse(
  readFileSync(
    new URL("../test/fixtures/teams/invoke-adaptive-card-action.json", import.meta.url),
    "utf8",
  ),
) as Record<string, unknown>;
let activities = 0;
/** The invoke Teams sends when the organizer presses 「この区分で確定」 on the tier card. */
const tierAnswer = (meetingId: string) =>
  JSON.stringify({
    ...fixture,
    id: `f:bench-${String(++activities)}`,
    timestamp: new Date().toISOString(),
    serviceUrl: ready.serviceUrl,
    value: {
      action: {
        type: "Action.Execute",
        title: "この区分で確定",
        verb: "tier.submit",
        data: { requestId: meetingId, tier: "I" },
      },
      trigger: "manual",
    },
  });

type Kind = "echo" | "evaluation" | "governance";
type Failure = "status" | "body" | "connection";
interface Result {
  ms: number;
  failure?: Failure;
}

const CARD = '"type":"application/vnd.microsoft.card.adaptive"';

function post(agent: Agent, kind: Kind, meetingId: string): Promise<Result> {
  const base = { echo: ready.echo, evaluation: ready.evaluation, governance: ready.app }[kind];
  const payload = tierAnswer(meetingId);
  const started = performance.now();
  return new Promise((done) => {
    const req = request(
      `${base}/api/messages`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(payload),
          authorization: `Bearer ${ready.token}`,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const ms = performance.now() - started;
          // The echo card, or the verdict card for this meeting (its next step: meeting.confirm).
          const expected =
            text.includes(CARD) &&
            (kind === "echo"
              ? text.includes('"text":"echo"')
              : text.includes('"verb":"meeting.confirm"') && text.includes(`"${meetingId}"`));
          done(
            res.statusCode !== 200
              ? { ms, failure: "status" }
              : expected
                ? { ms }
                : { ms, failure: "body" },
          );
        });
      },
    );
    req.on("error", () => {
      done({ ms: performance.now() - started, failure: "connection" });
    });
    req.end(payload);
  });
}

// ── phases ────────────────────────────────────────────────────────────────────────────────────

interface Phase {
  kind: Kind;
  latencies: number[];
  failures: Record<Failure, number>;
  seconds: number;
  /** Server process CPU time (user + system), ms. */
  cpuMs: number;
  /** Of which in the kernel (system calls: the store's writes, the sockets), ms. */
  systemMs: number;
  /** Of the server's time, in garbage collection, ms. */
  gcMs: number;
  /** Share of the server's event loop busy during the phase. */
  elu: number;
  /** This process's CPU time (the load generator: sending, reading and checking), ms. */
  loaderCpuMs: number;
  /** Round trips to PostgreSQL the server made during the phase (0 on SQLite). */
  queries: number;
  /** CPU time of this machine's PostgreSQL processes (0 when none is seen in /proc), ms. */
  pgCpuMs: number;
  /** The machine's idle CPU time, over all cores (/proc/stat), ms. */
  idleMs: number;
}

/**
 * CPU time of the processes named `postgres` on this machine and the machine's idle time, ms
 * (from /proc; zero where there is none): where a PostgreSQL turn's time goes besides the server.
 */
function machineCpu(): { pgMs: number; idleMs: number } {
  const tick = 10; // USER_HZ is 100 on Linux
  let pgMs = 0;
  let idleMs = 0;
  try {
    for (const pid of readdirSync("/proc")) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const close = stat.lastIndexOf(")");
        if (stat.slice(stat.indexOf("(") + 1, close) !== "postgres") continue;
        const fields = stat.slice(close + 2).split(" ");
        pgMs += (Number(fields[11]) + Number(fields[12])) * tick;
      } catch {
        // gone meanwhile
      }
    }
    const cpu = readFileSync("/proc/stat", "utf8").split("\n")[0]?.split(/\s+/) ?? [];
    idleMs = (Number(cpu[4]) + Number(cpu[5])) * tick;
  } catch {
    // not Linux
  }
  return { pgMs, idleMs };
}
const rate = (p: Pick<Phase, "latencies" | "seconds">) => p.latencies.length / p.seconds;
const failed = (p: Pick<Phase, "failures">) =>
  p.failures.status + p.failures.body + p.failures.connection;
const answered = { governance: 0 };
/** Failed requests in any phase, warm-ups included. */
let failures = 0;
/** The best rate of any kind so far, req/s. */
let fastest = 0;

async function phase(kind: Kind, durationS: number, profile?: string): Promise<Phase> {
  // Enough meetings for this phase at the best rate any kind has reached so far (a governance
  // warm-up may outrun 3,000 req/s on a fast machine), and then some; prepared before the clock
  // starts.
  const ids =
    kind === "governance"
      ? (
          await call(
            {
              type: "prepare",
              count: Math.ceil(Math.max(fastest * 1.6, 3_000) * durationS) + 500,
            },
            "prepared",
          )
        ).ids
      : [];
  let taken = 0;
  const latencies: number[] = [];
  const tally = { status: 0, body: 0, connection: 0 };
  // Connections of this phase's own: a socket left idle since an earlier phase may be closed by
  // the server (keep-alive timeout) just as it is reused, which would count as a failure.
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  await call({ type: "settle" }, "settled");
  if (profile) await call({ type: "profile" }, "profiled");
  const before = await call({ type: "usage" }, "usage");
  const loaderBefore = process.cpuUsage();
  const machineBefore = machineCpu();
  const started = performance.now();
  const end = started + durationS * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const id = kind === "governance" ? ids[taken++] : `${kind}-${String(taken++)}`;
        if (id === undefined) throw new Error("ran out of prepared meetings (a faster turn?)");
        const r = await post(agent, kind, id);
        latencies.push(r.ms);
        if (r.failure) {
          tally[r.failure]++;
          failures++;
        } else if (kind === "governance") answered.governance++;
      }
    }),
  );
  const elapsed = (performance.now() - started) / 1000;
  const loader = process.cpuUsage(loaderBefore);
  const machineAfter = machineCpu();
  agent.destroy();
  const after = await call({ type: "usage" }, "usage");
  if (profile) await call({ type: "profile", file: profile }, "profiled");
  const active = after.elu.active - before.elu.active;
  const idle = after.elu.idle - before.elu.idle;
  const p: Phase = {
    kind,
    latencies,
    failures: tally,
    seconds: elapsed,
    cpuMs: (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1000,
    systemMs: (after.cpu.system - before.cpu.system) / 1000,
    gcMs: after.gcMs - before.gcMs,
    elu: active / (active + idle),
    loaderCpuMs: (loader.user + loader.system) / 1000,
    queries: after.queries - before.queries,
    pgCpuMs: machineAfter.pgMs - machineBefore.pgMs,
    idleMs: machineAfter.idleMs - machineBefore.idleMs,
  };
  fastest = Math.max(fastest, rate(p));
  return p;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}
function summary(phases: Phase[]) {
  const latencies = phases.flatMap((p) => p.latencies).sort((a, b) => a - b);
  const requests = latencies.length;
  const secs = phases.reduce((s, p) => s + p.seconds, 0);
  return {
    rps: requests / secs,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    failed: phases.reduce((s, p) => s + failed(p), 0),
    requests,
    cpuPerTurn: phases.reduce((s, p) => s + p.cpuMs, 0) / requests,
    queriesPerTurn: phases.reduce((s, p) => s + p.queries, 0) / requests,
    pgCpuPerTurn: phases.reduce((s, p) => s + p.pgCpuMs, 0) / requests,
  };
}
const ms = (x: number) => `${x.toFixed(1)} ms`;
const int = (x: number) => Math.round(x).toLocaleString("en-US");
const cores = (cpuMs: number, p: Phase) => (cpuMs / 1000 / p.seconds).toFixed(2);
function describe(label: string, p: Phase): string {
  const sorted = [...p.latencies].sort((a, b) => a - b);
  const perTurn = (x: number) => (x / p.latencies.length).toFixed(2);
  return [
    `${label.padEnd(16)} ${int(rate(p)).padStart(6)} req/s`,
    ` p50 ${ms(percentile(sorted, 50))}  p99 ${ms(percentile(sorted, 99))}`,
    ` server CPU ${perTurn(p.cpuMs)} ms/turn (system ${perTurn(p.systemMs)}, garbage collection ${perTurn(p.gcMs)}),`,
    `loop busy ${(p.elu * 100).toFixed(0)} %;`,
    `cores used: server ${cores(p.cpuMs, p)}, load generator ${cores(p.loaderCpuMs, p)}`,
    ...(p.queries
      ? [
          `; PostgreSQL round trips ${perTurn(p.queries)}/turn,`,
          `PostgreSQL CPU ${perTurn(p.pgCpuMs)} ms/turn (${cores(p.pgCpuMs, p)} cores)`,
        ]
      : []),
    `; idle ${cores(p.idleMs, p)} cores`,
    ...(failed(p) ? [` FAILED ${JSON.stringify(p.failures)}`] : []),
  ].join(" ");
}

let status = 0;
try {
  console.log(
    `bench:teams: store ${ready.dialect}, ${String(connections)} connections, warm-up ${String(warmup)} s, then ${String(rounds)} rounds of echo, evaluation only and governance, ${String(seconds)} s each, in turning order`,
  );
  console.log(describe("warm-up echo", await phase("echo", warmup)));
  console.log(describe("warm-up eval.", await phase("evaluation", warmup)));
  console.log(describe("warm-up gov.", await phase("governance", warmup)));
  const measured: Phase[] = [];
  const kinds = ["echo", "evaluation", "governance"] as const;
  for (let round = 1; round <= rounds; round++) {
    const turn = (round - 1) % kinds.length;
    for (const kind of [...kinds.slice(turn), ...kinds.slice(0, turn)]) {
      const p = await phase(
        kind,
        seconds,
        values.profile && join(values.profile, `${kind}-${String(round)}.cpuprofile`),
      );
      measured.push(p);
      console.log(describe(`${kind} #${String(round)}`, p));
    }
  }

  // The store: every answered meeting declared, one log entry each, nothing refused or failed.
  const v = await call({ type: "verify" }, "verified");
  const problems = [
    (v.states["tier-declared"] ?? 0) !== answered.governance &&
      `${String(v.states["tier-declared"] ?? 0)} meetings declared, ${String(answered.governance)} answers`,
    (v.actions["tier.declared"] ?? 0) !== answered.governance &&
      `${String(v.actions["tier.declared"] ?? 0)} tier.declared log entries, ${String(answered.governance)} answers`,
    v.actions["action.rejected"] && `${String(v.actions["action.rejected"])} refused actions`,
    (v.warnings || v.errors) &&
      `${String(v.warnings)} warnings, ${String(v.errors)} errors logged (${v.first.join(", ")})`,
  ].filter((x): x is string => typeof x === "string");
  console.log(
    `store: ${JSON.stringify(v.states)} meetings; log ${JSON.stringify(v.actions)}; outbox rows ${String(v.outbox)}${problems.length ? `\nSTORE CHECK FAILED: ${problems.join("; ")}` : " — adds up"}`,
  );

  const echo = summary(measured.filter((p) => p.kind === "echo"));
  const evaluation = summary(measured.filter((p) => p.kind === "evaluation"));
  const gov = summary(measured.filter((p) => p.kind === "governance"));
  if (problems.length || failures) status = 1;
  const throughput = gov.rps / echo.rps;
  const p99 = gov.p99 / echo.p99;
  const row = (name: string, s: typeof echo) =>
    `| ${name} | ${int(s.rps)} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.cpuPerTurn.toFixed(2)} ms | ${int(s.requests)} | ${String(s.failed)} |`;
  console.log(
    [
      "",
      `node ${process.version}, ${String(availableParallelism())} cores (${cpus()[0]?.model.trim() ?? "?"}), store ${ready.dialect}, ${String(connections)} connections, ${String(rounds)} × ${String(seconds)} s per kind`,
      "| turn | req/s | p50 | p99 | server CPU per turn | requests | failed |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
      row("echo bot (same stack)", echo),
      row("evaluation only, no store (same stack)", evaluation),
      row("governance (tier.submit)", gov),
      ...(gov.queriesPerTurn
        ? [
            `PostgreSQL round trips per governance turn: ${gov.queriesPerTurn.toFixed(2)}; PostgreSQL CPU per governance turn: ${gov.pgCpuPerTurn.toFixed(2)} ms`,
          ]
        : []),
      `evaluation only: ${(evaluation.rps / echo.rps).toFixed(2)}× the echo bot's throughput, p99 ${(evaluation.p99 / echo.p99).toFixed(2)}×`,
      `throughput ${throughput.toFixed(2)}× the echo bot (goal ≥ 0.80×: ${throughput >= 0.8 ? "met" : "NOT met"}); ` +
        `p99 ${p99.toFixed(2)}× (goal ≤ 1.25×: ${p99 <= 1.25 ? "met" : "NOT met"})`,
    ].join("\n"),
  );
} catch (error) {
  status = 1;
  console.error(error);
} finally {
  if (server.connected) {
    const exited = once(server, "exit");
    server.send({ type: "stop" } satisfies ToServer);
    await Promise.race([exited, setTimeout(30_000)]);
  }
  if (server.exitCode === null) server.kill();
}
process.exitCode = status;
