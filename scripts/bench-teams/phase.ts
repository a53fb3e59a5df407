/**
 * The load generator: one phase of one kind, `connections` clients each sending its next request
 * as soon as the last is answered, every latency kept, and what the phase cost read around it —
 * the server process's CPU, garbage collection and event loop, this process's CPU, the machine's.
 */
import { Agent } from "node:http";
import { machineCpu } from "./machine-cpu.js";
import { post, type Failure, type Kind } from "./requests.js";
import type { Call, Ready } from "./server-process.js";

export interface Phase {
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

export const rate = (p: Pick<Phase, "latencies" | "seconds">) => p.latencies.length / p.seconds;
export const failed = (p: Pick<Phase, "failures">) =>
  p.failures.status + p.failures.body + p.failures.connection;

/** Phases against the server process, one after another, and what they add up to. */
export function loadGenerator(call: Call, ready: Ready, connections: number) {
  /** Over every phase, warm-ups included: governance requests answered, requests failed. */
  const counts = { answered: 0, failures: 0 };
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
          const r = await post(ready, agent, kind, id);
          latencies.push(r.ms);
          if (r.failure) {
            tally[r.failure]++;
            counts.failures++;
          } else if (kind === "governance") counts.answered++;
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

  return { phase, counts };
}
