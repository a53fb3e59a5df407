/**
 * What bench-teams.ts prints: a line per phase, the store's check, and the table of the measured
 * phases of each kind with the goals (the governance turn against the echo bot).
 */
import { availableParallelism, cpus } from "node:os";
import type { FromServer } from "../bench-teams-ipc.js";
import { failed, rate, type Phase } from "./phase.js";

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

/** One phase's line: its rate, latencies, what the turns cost and where the cores went. */
export function describe(label: string, p: Phase): string {
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

/**
 * The store's line, and whether it adds up: every answered meeting declared, one log entry each,
 * nothing refused or failed.
 */
export function storeCheck(
  v: Extract<FromServer, { type: "verified" }>,
  answered: number,
): { line: string; ok: boolean } {
  const problems = [
    (v.states["tier-declared"] ?? 0) !== answered &&
      `${String(v.states["tier-declared"] ?? 0)} meetings declared, ${String(answered)} answers`,
    (v.actions["tier.declared"] ?? 0) !== answered &&
      `${String(v.actions["tier.declared"] ?? 0)} tier.declared log entries, ${String(answered)} answers`,
    v.actions["action.rejected"] && `${String(v.actions["action.rejected"])} refused actions`,
    (v.warnings || v.errors) &&
      `${String(v.warnings)} warnings, ${String(v.errors)} errors logged (${v.first.join(", ")})`,
  ].filter((x): x is string => typeof x === "string");
  return {
    line: `store: ${JSON.stringify(v.states)} meetings; log ${JSON.stringify(v.actions)}; outbox rows ${String(v.outbox)}${problems.length ? `\nSTORE CHECK FAILED: ${problems.join("; ")}` : " — adds up"}`,
    ok: problems.length === 0,
  };
}

/** The table, printed last: the measured phases of each kind together, and the goals. */
export function table(
  measured: Phase[],
  run: { dialect: string; connections: number; rounds: number; seconds: number },
): string {
  const { connections, rounds, seconds } = run;
  const echo = summary(measured.filter((p) => p.kind === "echo"));
  const evaluation = summary(measured.filter((p) => p.kind === "evaluation"));
  const gov = summary(measured.filter((p) => p.kind === "governance"));
  const throughput = gov.rps / echo.rps;
  const p99 = gov.p99 / echo.p99;
  const row = (name: string, s: typeof echo) =>
    `| ${name} | ${int(s.rps)} | ${ms(s.p50)} | ${ms(s.p99)} | ${s.cpuPerTurn.toFixed(2)} ms | ${int(s.requests)} | ${String(s.failed)} |`;
  return [
    "",
    `node ${process.version}, ${String(availableParallelism())} cores (${cpus()[0]?.model.trim() ?? "?"}), store ${run.dialect}, ${String(connections)} connections, ${String(rounds)} × ${String(seconds)} s per kind`,
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
  ].join("\n");
}
