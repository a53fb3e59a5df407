import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Database } from "../../src/store/db.js";

/**
 * `npm start` as a person trying the bot runs it: npm builds, then starts the built server in
 * local mode (no Teams credentials). It runs on whichever Node runs the tests (.ci/run runs this
 * file on every supported line) with NODE_OPTIONS=--throw-deprecation and a preload that makes
 * every `process.binding` call a deprecation, so a dependency that reaches for it (restify 11's
 * spdy did) or for any runtime-deprecated API kills the start instead of printing a warning. Every line on stderr must be the bot's own JSON log: no `(node:…)` warning, no npm
 * warning.
 */

const nodeBin = dirname(process.execPath);
let child: ChildProcessWithoutNullStreams;
let dir = "";
let url = "";
const stderrLines: string[] = [];
let exited: Promise<number | null>;

function startedUrl(line: string): string | undefined {
  try {
    const entry = JSON.parse(line) as { event?: unknown; url?: unknown };
    return entry.event === "started" && typeof entry.url === "string" ? entry.url : undefined;
  } catch {
    return undefined;
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-smoke-"));
  const env: NodeJS.ProcessEnv = {
    PATH: `${nodeBin}${delimiter}${process.env.PATH ?? ""}`,
    HOME: process.env.HOME,
    NODE_OPTIONS: `--throw-deprecation --import ${join(import.meta.dirname, "no-process-binding.js")}`,
    HOST: "127.0.0.1",
    PORT: "0",
    KAIGI_SQLITE_PATH: join(dir, "store.sqlite"),
  };
  child = spawn("npm", ["start"], { env, detached: true, stdio: ["pipe", "pipe", "pipe"] });
  // "close", not "exit": the process may exit before its last stderr lines have been read.
  exited = new Promise((resolve) =>
    child.once("close", (code) => {
      resolve(code);
    }),
  );
  child.stdout.resume();
  let pending = "";
  url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no "started" line within 90 s:\n${stderrLines.join("\n")}`));
    }, 90_000);
    child.stderr.on("data", (chunk: Buffer) => {
      pending += chunk.toString();
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        stderrLines.push(line);
        const started = startedUrl(line);
        if (started) {
          clearTimeout(timer);
          resolve(started);
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${String(code)}:\n${stderrLines.join("\n")}`));
    });
  });
}, 120_000);

afterAll(() => {
  if (child.exitCode === null && child.signalCode === null && child.pid)
    process.kill(-child.pid, "SIGKILL");
  rmSync(dir, { recursive: true, force: true });
});

describe(`npm start on Node ${process.version}`, () => {
  it("answers /healthz", async () => {
    const res = await fetch(`${url}/healthz`);
    expect(res.status).toBe(200);
  });

  it("serves the playground page", async () => {
    const res = await fetch(`${url}/`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("会議ガード");
  });

  it("runs one Teams turn: the organizer says 予約 and gets the booking card", async () => {
    const sent = await fetch(`${url}/playground/send`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ persona: "organizer", text: "予約" }),
    });
    expect(sent.status).toBe(200);
    let cards: unknown[] = [];
    for (let i = 0; i < 50 && cards.length === 0; i++) {
      const res = await fetch(`${url}/playground/replies?persona=organizer&after=0`);
      const { replies } = (await res.json()) as {
        replies: { activity: { attachments?: { contentType: string }[] } }[];
      };
      cards = replies.flatMap((r) =>
        (r.activity.attachments ?? []).filter(
          (a) => a.contentType === "application/vnd.microsoft.card.adaptive",
        ),
      );
      if (cards.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(cards.length).toBeGreaterThan(0);
  });

  it("printed nothing on stderr but its own JSON log (no deprecation or npm warning)", () => {
    const foreign = stderrLines.filter((line) => {
      try {
        return typeof (JSON.parse(line) as { event?: unknown }).event !== "string";
      } catch {
        return true;
      }
    });
    expect(foreign).toEqual([]);
  });

  it("stops cleanly on SIGTERM", async () => {
    if (child.pid) process.kill(-child.pid, "SIGTERM");
    const code = await exited;
    expect(stderrLines.some((line) => line.includes('"event":"stopping"'))).toBe(true);
    expect(code === 0 || code === null).toBe(true);
  }, 30_000);
});

/** The built server (dist/, as the smoke's `npm start` just built it) started in `cwd`. */
async function startBuilt(cwd: string, env: NodeJS.ProcessEnv) {
  const server = spawn(process.execPath, [join(repo, "dist/src/main.js")], {
    cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: "127.0.0.1", PORT: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  server.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
  const started = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`no "started" line:\n${stderr}`));
    }, 30_000);
    server.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      const found = stderr.split("\n").map(startedUrl).find(Boolean);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    });
    server.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)}:\n${stderr}`));
    });
  });
  // The human lines on stdout follow the "started" log line.
  await new Promise((r) => setTimeout(r, 300));
  const stop = async () => {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  };
  return { url: started, stdout: () => stdout, stderr: () => stderr, stop };
}

const repo = join(import.meta.dirname, "../..");

describe("the template .env, and the local admin (built server)", () => {
  it("starts with .env.example as it is: prints the playground URL and the admin sign-in once", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "kaigi-guard-dotenv-"));
    try {
      copyFileSync(join(repo, ".env.example"), join(cwd, ".env"));
      const first = await startBuilt(cwd, {});
      expect(first.stderr()).toContain('"event":"config.env_file"');
      expect(first.stdout()).toContain(`プレイグラウンド / playground: ${first.url}/`);
      expect(first.stdout()).toMatch(
        /e-mail: admin@playground\.local {3}パスワード \/ password: \S{16}/,
      );
      expect(first.stderr()).not.toMatch(/password/i);
      expect((await fetch(`${first.url}/admin`, { redirect: "manual" })).status).toBe(303);
      await first.stop();
      const again = await startBuilt(cwd, {});
      expect(again.stdout()).toContain("プレイグラウンド / playground:");
      expect(again.stdout()).not.toMatch(/password/);
      await again.stop();
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  it("a .env that cannot be read is named, not a stack trace (server and CLI)", () => {
    const cwd = mkdtempSync(join(tmpdir(), "kaigi-guard-badenv-"));
    try {
      mkdirSync(join(cwd, ".env"));
      for (const entry of ["dist/src/main.js", "dist/src/cli.js"]) {
        const run = spawnSync(process.execPath, [join(repo, entry), "log", "verify"], {
          cwd,
          env: { PATH: process.env.PATH, HOST: "127.0.0.1", PORT: "0" },
          encoding: "utf8",
        });
        expect(run.status, entry).toBe(1);
        expect(run.stderr, entry).toMatch(/\.env/);
        expect(run.stderr, entry).not.toMatch(/\n\s+at /);
      }
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it("production mode creates no local admin and prints no password", async () => {
    const cwd = mkdtempSync(join(tmpdir(), "kaigi-guard-prod-"));
    try {
      const server = await startBuilt(cwd, {
        MicrosoftAppId: "6a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
        MicrosoftAppPassword: "not-a-real-secret",
        KAIGI_SQLITE_PATH: join(cwd, "store.sqlite"),
      });
      expect(server.stderr()).toContain('"teams":"production"');
      expect(server.stdout()).not.toMatch(/password|admin console/i);
      expect((await fetch(`${server.url}/playground/admin`, { method: "POST" })).status).toBe(404);
      await server.stop();
      const db = await Database.open({ kind: "sqlite", path: join(cwd, "store.sqlite") });
      const admins = await db.kysely.selectFrom("admin_accounts").select("email").execute();
      await db.close();
      expect(admins).toEqual([]);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);
});
