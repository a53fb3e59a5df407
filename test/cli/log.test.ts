import { createPrivateKey, generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { beforeEach, expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import type { Database } from "../../src/store/db.js";
import { type StoreConfig } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { publicKeyOf } from "../../src/store/log/checkpoint.js";
import { tempFiles, testClock } from "../_util.js";
import { FixedClock } from "../../src/clock.js";
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
        appendLog(trx, clock, [
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

  const swap = (a: number, b: number) => [
    sql`update log_entries set seq = -1 where tenant_id = 'city-a' and seq = ${a}`,
    sql`update log_entries set seq = ${a} where tenant_id = 'city-a' and seq = ${b}`,
    sql`update log_entries set seq = ${b} where tenant_id = 'city-a' and seq = -1`,
  ];
  it.each([
    [
      "changed",
      [
        sql`update log_entries set action = 'cleanup.confirmed' where tenant_id = 'city-a' and seq = 4`,
      ],
      4,
      "altered",
    ],
    [
      "deleted",
      [sql`delete from log_entries where tenant_id = 'city-a' and seq = 5`],
      5,
      "missing",
    ],
    ["reordered", swap(2, 3), 2, "out-of-order"],
    [
      "inserted",
      [
        sql`update log_entries set seq = seq + 100 where tenant_id = 'city-a' and seq >= 6`,
        sql`update log_entries set seq = seq - 99 where tenant_id = 'city-a' and seq >= 106`,
        sql`insert into log_entries (tenant_id, seq, meeting_id, actor, action, payload, sensitive_hash, at, prev_hash, hash)
          select tenant_id, 6, meeting_id, actor, 'cleanup.confirmed', payload, sensitive_hash, at, prev_hash, hash
          from log_entries where tenant_id = 'city-a' and seq = 5`,
      ],
      6,
      "out-of-order",
    ],
  ])(
    "an entry %s in the database → exit 1 naming the tenant and the first bad sequence",
    async (_what, tamper, seq, reason) => {
      for (const statement of tamper) await statement.execute(db.kysely);
      const { code, stdout, stderr } = await cli(["log", "verify"], env);
      expect(code).toBe(1);
      expect(stdout).toContain(`BROKEN city-a: first bad sequence ${seq} (${reason})`);
      expect(stdout).toContain("ok city-b");
      expect(stderr).toBe(
        `error LOG_CHAIN_BROKEN: tenant city-a: first bad sequence ${seq} (${reason})\n`,
      );
    },
  );

  it("a database that cannot be reached → error STORE_UNAVAILABLE, no stack trace", async () => {
    const { code, stdout, stderr } = await cli(["log", "verify"], {
      DATABASE_URL: "postgres://postgres@127.0.0.1:1/test",
    });
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr).toMatch(/^error STORE_UNAVAILABLE: the database cannot be reached .*\n$/);
    expect(stderr).not.toMatch(/\bat .*:\d+:\d+/);
  });

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

  it("export --with-personal-data adds the kept personal data and its salt", async () => {
    await db.transaction((trx) =>
      appendLog(trx, testClock(), [
        {
          tenantId: "city-c",
          meetingId: "m1",
          actor: "aad:p",
          action: "consent.answered",
          payload: { answer: "agree" },
          sensitive: { name: "山田 花子" },
        },
      ]),
    );
    const plain = await cli(["log", "export", "--tenant", "city-c", "--format", "csv"], env);
    expect(plain.stdout).not.toContain("山田");
    const full = await cli(
      ["log", "export", "--tenant", "city-c", "--format", "csv", "--with-personal-data"],
      env,
    );
    expect(full.stdout.split("\r\n")[0]).toMatch(/,personal_salt,personal_data$/);
    expect(full.stdout).toContain('"{""name"":""山田 花子""}"');
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
      appendLog(trx, testClock(), [
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

  it("a checkpoint signed by another key is refused when the trusted key is given", async () => {
    const key = (k: ReturnType<typeof generateKeyPairSync>["privateKey"]) =>
      k.export({ format: "der", type: "pkcs8" }).toString("base64");
    const ours = generateKeyPairSync("ed25519").privateKey;
    const forged = await cli(["log", "checkpoint", "--tenant", "city-a"], {
      ...env,
      KAIGI_CHECKPOINT_KEY: key(generateKeyPairSync("ed25519").privateKey),
    });
    const file = join(tempFiles({ "forged.json": forged.stdout }), "forged.json");
    const trusted = publicKeyOf(
      createPrivateKey({ key: Buffer.from(key(ours), "base64"), format: "der", type: "pkcs8" }),
    );
    const byFlag = await cli(["log", "verify", "--checkpoint", file, "--public-key", trusted], env);
    expect(byFlag.code).toBe(1);
    expect(byFlag.stdout).toContain("BROKEN checkpoint city-a #8: unknown-key");
    const byEnv = await cli(["log", "verify", "--checkpoint", file], {
      ...env,
      KAIGI_CHECKPOINT_KEY: key(ours),
    });
    expect(byEnv.stdout).toContain("unknown-key");
  });

  it("a checkpoint file that holds no checkpoints is a bad argument", async () => {
    const file = join(tempFiles({ "x.json": '[{"tenantId":"city-a"}]' }), "x.json");
    const { code, stderr } = await cli(["log", "verify", "--checkpoint", file], env);
    expect(code).toBe(2);
    expect(stderr).toContain("error BAD_ARGUMENT: --checkpoint");
  });

  it("a checkpoint key that is not an Ed25519 key names the variable", async () => {
    const rsa = generateKeyPairSync("rsa", { modulusLength: 1024 })
      .privateKey.export({ format: "der", type: "pkcs8" })
      .toString("base64");
    for (const value of [rsa, "not base64 at all"]) {
      const { code, stderr } = await cli(["log", "checkpoint"], {
        ...env,
        KAIGI_CHECKPOINT_KEY: value,
      });
      expect(code).toBe(1);
      expect(stderr).toBe(
        "error CONFIG_INVALID: KAIGI_CHECKPOINT_KEY: not a base64 PKCS#8 DER Ed25519 private key\n",
      );
    }
  });

  it("checkpoint without a key names the variable", async () => {
    const { code, stderr } = await cli(["log", "checkpoint"], env);
    expect(code).toBe(1);
    expect(stderr).toContain("KAIGI_CHECKPOINT_KEY");
  });

  it("retention run erases personal data older than --days and the chain still verifies; no period is a bad argument", async () => {
    const old = new FixedClock("2025-01-01T00:00:00.000Z");
    await db.transaction((trx) =>
      appendLog(trx, old, [
        {
          tenantId: "city-a",
          meetingId: "m1",
          actor: "aad:x",
          action: "participant.joined",
          payload: {},
          sensitive: { name: "山田 花子" },
        },
      ]),
    );
    const none = await cli(["retention", "run", "--tenant", "city-a"], {
      ...env,
      KAIGI_POLICY: "kawasaki",
    });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("error BAD_ARGUMENT: --days");
    const bad = await cli(["retention", "run", "--tenant", "city-a", "--days", "0"], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--days: '0' is not a whole number of at least 1");
    const { code, stdout } = await cli(
      ["retention", "run", "--tenant", "city-a", "--days", "30"],
      env,
    );
    expect(code).toBe(0);
    expect(stdout).toContain("1 log entries");
    const kept = await db.kysely
      .selectFrom("log_sensitive")
      .select("seq")
      .where("tenant_id", "=", "city-a")
      .execute();
    expect(kept).toEqual([]);
    expect((await cli(["log", "verify", "--tenant", "city-a"], env)).code).toBe(0);
  });
});
