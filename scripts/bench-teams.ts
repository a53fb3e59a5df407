/**
 * `npm run bench:teams`: a governance turn (the tier card's Action.Execute answer: JWT check,
 * policy evaluation, state + log entry + outbox row in one transaction) against an echo bot on
 * the same stack, in the same run, 50 keep-alive connections. The servers run in a child process
 * (scripts/bench-teams-server.ts) so this load generator does not share their event loop; phases
 * alternate echo / governance twice so drift hits both. Prints its figures last.
 *
 *   npm run bench:teams [-- --seconds 10 --connections 50 --pg]
 */
import { spawn } from "node:child_process";
import { Agent, request } from "node:http";
import { cpus } from "node:os";
import { parseArgs } from "node:util";
import { createInterface } from "node:readline";
import { readFileSync } from "node:fs";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "2" },
    connections: { type: "string", default: "50" },
    pg: { type: "boolean", default: false },
  },
});
const seconds = Number(values.seconds);
const warmup = Number(values.warmup);
const connections = Number(values.connections);

interface Ready {
  app: string;
  echo: string;
  serviceUrl: string;
  token: string;
  dialect: string;
  ids: string[];
}

const server = spawn(
  process.execPath,
  [
    ...(process.env.BENCH_CPU_PROF
      ? ["--cpu-prof", `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`]
      : []),
    "--import",
    "tsx",
    "scripts/bench-teams-server.ts",
    ...(values.pg ? ["--pg"] : []),
  ],
  { stdio: ["ignore", "pipe", "inherit"] },
);
const ready = await new Promise<Ready>((resolve, reject) => {
  createInterface({ input: server.stdout }).once("line", (line) => {
    resolve(JSON.parse(line) as Ready);
  });
  server.once("exit", (code) => {
    reject(new Error(`bench server exited (${String(code)})`));
  });
});

const invoke = JSON.parse(
  readFileSync(
    new URL("../test/fixtures/teams/invoke-adaptive-card-action.json", import.meta.url),
    "utf8",
  ),
) as Record<string, unknown>;
let next = 0;
let activity = 0;
const body = (meetingId: string) =>
  JSON.stringify({
    ...invoke,
    id: `bench:${String(++activity)}`,
    serviceUrl: ready.serviceUrl,
    value: {
      action: {
        type: "Action.Execute",
        title: "I",
        verb: "tier.submit",
        data: { requestId: meetingId, tier: "I" },
      },
      trigger: "manual",
    },
  });

const agent = new Agent({ keepAlive: true, maxSockets: connections });
function post(base: string, payload: string): Promise<{ status: number; ms: number; ok: boolean }> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = request(
      `${base}/api/messages`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json",
          "content-length": Buffer.byteLength(payload),
          authorization: `Bearer ${ready.token}`,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (text += c));
        res.on("end", () => {
          const ok =
            res.statusCode === 200 && text.includes("application/vnd.microsoft.card.adaptive");
          resolve({ status: res.statusCode ?? 0, ms: performance.now() - started, ok });
        });
      },
    );
    req.on("error", () => {
      resolve({ status: 0, ms: performance.now() - started, ok: false });
    });
    req.end(payload);
  });
}

interface Phase {
  requests: number;
  errors: number;
  latencies: number[];
  seconds: number;
}

async function phase(kind: "echo" | "governance", durationS: number): Promise<Phase> {
  const base = kind === "echo" ? ready.echo : ready.app;
  const latencies: number[] = [];
  let errors = 0;
  const end = performance.now() + durationS * 1000;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        // Each governance request answers a meeting of its own; the echo bot needs none.
        const id = kind === "governance" ? ready.ids[next++] : "echo";
        if (id === undefined) throw new Error("ran out of prepared meetings: raise --meetings");
        const r = await post(base, body(id));
        latencies.push(r.ms);
        if (!r.ok) errors++;
      }
    }),
  );
  return {
    requests: latencies.length,
    errors,
    latencies,
    seconds: (performance.now() - started) / 1000,
  };
}

const pct = (xs: number[], p: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;
};
const merge = (a: Phase, b: Phase): Phase => ({
  requests: a.requests + b.requests,
  errors: a.errors + b.errors,
  latencies: [...a.latencies, ...b.latencies],
  seconds: a.seconds + b.seconds,
});

try {
  await phase("echo", warmup);
  await phase("governance", warmup);
  const e1 = await phase("echo", seconds);
  const g1 = await phase("governance", seconds);
  const e2 = await phase("echo", seconds);
  const g2 = await phase("governance", seconds);
  const echo = merge(e1, e2);
  const gov = merge(g1, g2);
  const rps = (p: Phase) => p.requests / p.seconds;
  const row = (name: string, p: Phase) =>
    `| ${name} | ${rps(p).toFixed(0)} | ${pct(p.latencies, 50).toFixed(1)} ms | ${pct(p.latencies, 99).toFixed(1)} ms | ${String(p.errors)} |`;
  const throughput = rps(gov) / rps(echo);
  const p99 = pct(gov.latencies, 99) / pct(echo.latencies, 99);
  console.log(
    `\nbench:teams — node ${process.version}, ${String(cpus().length)} cores, store ${ready.dialect}, ${String(connections)} connections, 2 × ${String(seconds)} s per kind after ${String(warmup)} s warm-up`,
  );
  console.log("| turn | req/s | p50 | p99 | errors |");
  console.log("| --- | ---: | ---: | ---: | ---: |");
  console.log(row("echo bot (same stack)", echo));
  console.log(row("governance (tier answer)", gov));
  console.log(
    `throughput ratio ${throughput.toFixed(2)} (goal ≥ 0.80: ${throughput >= 0.8 ? "met" : "NOT met"}); p99 ratio ${p99.toFixed(2)} (goal ≤ 1.25: ${p99 <= 1.25 ? "met" : "NOT met"})`,
  );
} finally {
  server.kill("SIGTERM");
  agent.destroy();
}
