/**
 * Start-up time and memory of the built server (dist/), with the Webex channel off and on.
 * Each run spawns `node dist/src/main.js` with a fresh SQLite file, times it from spawn to the
 * "started" log line, then reads its resident memory (VmRSS) after a short settle. With Webex on,
 * the bot framework and SDK load and register their webhooks against a fake Webex API on
 * loopback (the same fake the end-to-end tests use).
 *
 *   npm run build && npx tsx scripts/measure-startup.ts [--runs 5]
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BOT_TOKEN, MEETINGS_TOKEN, webexApiFake } from "../test/fakes/webex-api.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Number(values.runs);

const rssKiB = (pid: number) =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(pid)}/status`, "utf8"))?.[1] ?? 0);

async function once(env: NodeJS.ProcessEnv): Promise<{ ms: number; rssMiB: number }> {
  const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-startup-"));
  const started = performance.now();
  const child = spawn(process.execPath, ["dist/src/main.js"], {
    env: { ...env, PORT: "0", KAIGI_SQLITE_PATH: join(dir, "db.sqlite") },
    stdio: ["ignore", "ignore", "pipe"],
  });
  try {
    const ms = await new Promise<number>((resolve, reject) => {
      let seen = "";
      const timer = setTimeout(() => {
        reject(new Error(`no "started" line within 60 s:\n${seen}`));
      }, 60_000);
      child.stderr.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        if (/"event":"started"/.test(seen)) {
          clearTimeout(timer);
          resolve(performance.now() - started);
        }
      });
      child.on("exit", (code) => {
        clearTimeout(timer);
        reject(new Error(`exited with ${String(code)}:\n${seen}`));
      });
    });
    await new Promise((r) => setTimeout(r, 1_000));
    return { ms, rssMiB: rssKiB(child.pid ?? 0) / 1024 };
  } finally {
    child.kill("SIGTERM");
    await new Promise((r) => child.once("exit", r));
    rmSync(dir, { recursive: true, force: true });
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

async function series(name: string, env: NodeJS.ProcessEnv) {
  const results = [];
  for (let i = 0; i < runs; i++) results.push(await once(env));
  return {
    name,
    startMs: median(results.map((r) => r.ms)),
    rssMiB: median(results.map((r) => r.rssMiB)),
  };
}

const base: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOST: "127.0.0.1" };
const secret = "kaigi-guard-webhook-secret-2026";
const api = webexApiFake(secret);
const apiBase = await api.fake.start();
const off = await series("Webex off", base);
const on = await series("Webex on", {
  ...base,
  WEBEX_BOT_TOKEN: BOT_TOKEN,
  WEBEX_WEBHOOK_SECRET: secret,
  WEBEX_PUBLIC_URL: "https://bot.example.jp",
  WEBEX_API_URL: `${apiBase}/v1`,
  WEBEX_MEETINGS_TOKEN: MEETINGS_TOKEN,
  HYDRA_SERVICE_URL: `${apiBase}/v1/`,
  U2C_SERVICE_URL: `${apiBase}/u2c/api/v1`,
});
await api.fake.stop();

console.log(
  `node ${process.version}, ${String(cpus().length)} cores, ${String(runs)} runs each (median)`,
);
console.log("| server | start-up to listening | resident memory |");
console.log("| --- | ---: | ---: |");
for (const r of [off, on])
  console.log(`| ${r.name} | ${r.startMs.toFixed(0)} ms | ${r.rssMiB.toFixed(0)} MiB |`);
