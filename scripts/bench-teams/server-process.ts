/**
 * The server process (scripts/bench-teams-server.ts) as the load generator sees it: forked, spoken
 * to over the IPC channel one message at a time, stopped at the end.
 */
import { fork, spawnSync, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createRequire } from "node:module";
import { join } from "node:path";
import { setTimeout } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import type { FromServer, ToServer } from "../bench-teams-ipc.js";

/** What the server process says once it listens: its servers, the fake channel, the store. */
export type Ready = Extract<FromServer, { type: "ready" }>;

/** Sends the server process a message and resolves with its answer, which must be of `type`. */
export type Call = <T extends FromServer["type"]>(
  message: ToServer,
  type: T,
) => Promise<Extract<FromServer, { type: T }>>;

/**
 * The servers run as `npm start` runs the bot: compiled by tsc, under plain node. Run from the
 * sources through tsx (`--tsx`), every function the turn creates is also wrapped to keep its
 * name, which the governance turn pays for more than the echo bot (it creates more of them).
 */
const repo = fileURLToPath(new URL("../..", import.meta.url));
function compiledServer(): string {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  const built = spawnSync(process.execPath, [tsc, "-p", join(repo, "tsconfig.bench.json")], {
    stdio: "inherit",
  });
  if (built.status !== 0) throw new Error("tsc -p tsconfig.bench.json failed");
  return join(repo, "node_modules/.cache/kaigi-bench/scripts/bench-teams-server.js");
}

/** Forks the server process and resolves once it is ready (rejects if it fails or exits first). */
export async function startServer(options: {
  pg: boolean;
  tsx: boolean;
}): Promise<{ server: ChildProcess; call: Call; ready: Ready }> {
  const serverScript = options.tsx
    ? fileURLToPath(new URL("../bench-teams-server.ts", import.meta.url))
    : compiledServer();
  const server = fork(serverScript, options.pg ? ["--pg"] : [], {
    execArgv: options.tsx ? ["--import", "tsx"] : [],
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
  return { server, call, ready: first };
}

/** Asks the server process to stop (it closes its servers and drops its store); killed after 30 s. */
export async function stopServer(server: ChildProcess): Promise<void> {
  if (server.connected) {
    const exited = once(server, "exit");
    server.send({ type: "stop" } satisfies ToServer);
    await Promise.race([exited, setTimeout(30_000)]);
  }
  if (server.exitCode === null) server.kill();
}
