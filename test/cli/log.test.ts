import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { beforeEach, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { Database } from "../../src/store/db.js";
import { type StoreConfig } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { tempFiles, testClock } from "../_util.js";
import { PG_URL, forEachDialect } from "../store/_util.js";

function envFor(config: StoreConfig): NodeJS.ProcessEnv {
  return config.kind === "sqlite"
    ? { KAIGI_SQLITE_PATH: config.path }
    : {
        DATABASE_URL: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${config.schema ?? "public"}`)}`,
      };
}

async function cli(args: string[], env: NodeJS.ProcessEnv) {
  let stdout = "";
  let stderr = "";
  const code = await runCli(args, {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    env,
    cwd: process.cwd(),
  });
  return { code, stdout, stderr };
}

forEachDialect("kaigi-guard log (R-LOG 2, R-TEN 3)", (store) => {
  let db: Database;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    const config = store.fresh();
    db = await store.open(config);
    env = envFor(config);
    const clock = testClock();
    for (let i = 1; i <= 8; i++) {
      await db.transaction((trx) =>
        appendLog(trx, db.dialect, clock, [
          {
            tenantId: "city-a",
            meetingId: "m1",
            actor: "aad:x",
            action: "reminder.sent",
            payload: { n: i, note: 'a "quoted", value' },
          },
          {
            tenantId: "city-b",
            meetingId: "m9",
            actor: "aad:y",
            action: "tier.declared",
            payload: { tier: "II" },
          },
        ]),
      );
      clock.advance(60_000);
    }
  });

  it("verify exits 0 and says so for every tenant", async () => {
    const { code, stdout } = await cli(["log", "verify"], env);
    expect(code).toBe(0);
    expect(stdout).toBe("ok city-a: 8 entries, head 8\nok city-b: 8 entries, head 8\n");
  });

  it.each([
    [
      "changed",
      sql`update log_entries set action = 'cleanup.confirmed' where tenant_id = 'city-a' and seq = 4`,
      4,
    ],
    ["deleted", sql`delete from log_entries where tenant_id = 'city-a' and seq = 5`, 5],
    [
      "reordered",
      sql`update log_entries set at = '2026-01-01T00:00:00.000Z' where tenant_id = 'city-a' and seq = 2`,
      2,
    ],
  ])(
    "an entry %s in the database → exit 1 naming the tenant and the first bad sequence",
    async (_what, tamper, seq) => {
      await tamper.execute(db.kysely);
      const { code, stdout } = await cli(["log", "verify"], env);
      expect(code).toBe(1);
      expect(stdout).toContain(`BROKEN city-a: first bad sequence ${seq}`);
      expect(stdout).toContain("ok city-b");
    },
  );

  it("export writes CSV with hashes, filtered by time", async () => {
    const { code, stdout } = await cli(
      [
        "log",
        "export",
        "--tenant",
        "city-a",
        "--format",
        "csv",
        "--from",
        "2026-12-01T01:02:00Z",
        "--to",
        "2026-12-01T01:04:00Z",
      ],
      env,
    );
    expect(code).toBe(0);
    const lines = stdout.trim().split("\r\n");
    expect(lines[0]).toBe(
      "tenant_id,seq,at,meeting_id,actor,action,payload,sensitive_hash,prev_hash,hash",
    );
    expect(lines.slice(1).map((l) => l.split(",")[1])).toEqual(["3", "4"]);
    expect(lines[1]).toContain('"{""n"":3,""note"":""a \\""quoted\\"", value""}"');
  });

  it("export writes JSON with hashes; another tenant's entries never appear", async () => {
    const { stdout } = await cli(["log", "export", "--tenant", "city-b", "--format", "json"], env);
    const entries = JSON.parse(stdout) as { tenant_id: string; hash: string; payload: unknown }[];
    expect(entries).toHaveLength(8);
    expect(new Set(entries.map((e) => e.tenant_id))).toEqual(new Set(["city-b"]));
    expect(entries[0]?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(entries[0]?.payload).toEqual({ tier: "II" });
  });

  it("bad export arguments are named", async () => {
    expect(
      (await cli(["log", "export", "--tenant", "city-a", "--format", "xml"], env)).stderr,
    ).toContain("--format");
    expect((await cli(["log", "export", "--format", "csv"], env)).stderr).toContain("--tenant");
    expect(
      (await cli(["log", "export", "--tenant", "a", "--format", "csv", "--from", "yesterday"], env))
        .code,
    ).toBe(2);
  });

  it("a signed checkpoint proves the log only grew, and catches a rewrite", async () => {
    const { privateKey } = generateKeyPairSync("ed25519");
    const key = privateKey.export({ format: "der", type: "pkcs8" }).toString("base64");
    const made = await cli(["log", "checkpoint", "--tenant", "city-a"], {
      ...env,
      KAIGI_CHECKPOINT_KEY: key,
    });
    expect(made.code).toBe(0);
    const file = join(tempFiles({ "checkpoint.json": made.stdout }), "checkpoint.json");
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject([{ tenantId: "city-a", seq: 8 }]);
    await db.transaction((trx) =>
      appendLog(trx, db.dialect, testClock(), [
        {
          tenantId: "city-a",
          meetingId: null,
          actor: "admin",
          action: "admin.viewed",
          payload: {},
        },
      ]),
    );
    expect((await cli(["log", "verify", "--checkpoint", file], env)).stdout).toContain(
      "ok checkpoint city-a #8",
    );
    // Rewrite the whole chain consistently from entry 8 on: the chain alone cannot tell, the checkpoint can.
    await sql`update log_entries set hash = ${"f".repeat(64)} where tenant_id = 'city-a' and seq = 8`.execute(
      db.kysely,
    );
    const after = await cli(["log", "verify", "--tenant", "city-a", "--checkpoint", file], env);
    expect(after.code).toBe(1);
    expect(after.stdout).toContain("BROKEN checkpoint city-a #8: hash-differs");
  });

  it("checkpoint without a key names the variable", async () => {
    const { code, stderr } = await cli(["log", "checkpoint"], env);
    expect(code).toBe(1);
    expect(stderr).toContain("KAIGI_CHECKPOINT_KEY");
  });
});
