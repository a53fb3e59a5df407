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
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { loadGenerator, type Phase } from "./bench-teams/phase.js";
import { describe, storeCheck, table } from "./bench-teams/report.js";
import { startServer, stopServer } from "./bench-teams/server-process.js";

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

if (values.profile) mkdirSync(values.profile, { recursive: true });
const { server, call, ready } = await startServer({ pg: values.pg, tsx: values.tsx });
const { phase, counts } = loadGenerator(call, ready, connections);

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
  const store = storeCheck(await call({ type: "verify" }, "verified"), counts.answered);
  console.log(store.line);

  if (!store.ok || counts.failures) status = 1;
  console.log(table(measured, { dialect: ready.dialect, connections, rounds, seconds }));
} catch (error) {
  status = 1;
  console.error(error);
} finally {
  await stopServer(server);
}
process.exitCode = status;
