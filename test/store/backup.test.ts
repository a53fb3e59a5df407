import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, rmSync } from "node:fs";
import { sql } from "kysely";
import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { Database } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { tempFiles, testClock } from "../_util.js";
import { PG_URL, forEachDialect } from "./_util.js";

forEachDialect("two instances starting at once", (store) => {
  it("both run the migrations safely and see one schema", async () => {
    const config = store.fresh();
    const [a, b] = await Promise.all([store.open(config), store.open(config)]);
    await a.transaction((trx) =>
      appendLog(trx, testClock(), [
        { tenantId: "t", meetingId: null, actor: "x", action: "a", payload: {} },
      ]),
    );
    expect(await verifyChain(b, "t")).toMatchObject({ ok: true, entries: 1 });
  });
});

it("kaigi-guard backup copies the SQLite database online; the copy restores and verifies (R-OPS 1, LGC)", async () => {
  const dir = tempFiles({});
  const live = join(dir, "live.sqlite");
  const db = await Database.open({ kind: "sqlite", path: live });
  const clock = testClock();
  for (let i = 0; i < 50; i++) {
    await db.transaction((trx) =>
      appendLog(trx, clock, [
        {
          tenantId: "city-a",
          meetingId: "m1",
          actor: "x",
          action: "reminder.sent",
          payload: { i },
        },
      ]),
    );
  }
  let out = "";
  const code = await runCli(["backup", join(dir, "copy.sqlite")], {
    stdout: (s) => (out += s),
    stderr: (s) => (out += s),
    env: { KAIGI_SQLITE_PATH: live },
    cwd: dir,
  });
  expect(code).toBe(0);
  // Writes go on after the backup: the copy is the state at backup time.
  await db.transaction((trx) =>
    appendLog(trx, clock, [
      { tenantId: "city-a", meetingId: "m1", actor: "x", action: "late", payload: {} },
    ]),
  );
  await db.close();
  // Restore (docs/backup.md): with the bot stopped, the copy replaces the live file.
  copyFileSync(join(dir, "copy.sqlite"), live);
  rmSync(`${live}-wal`, { force: true });
  rmSync(`${live}-shm`, { force: true });
  const restored = await Database.open({ kind: "sqlite", path: live });
  expect(await verifyChain(restored, "city-a")).toMatchObject({ ok: true, entries: 50 });
  await restored.close();
});

const pgDump = spawnSync("pg_dump", ["--version"]).status === 0;
if (!pgDump)
  console.warn("\n*** pg_dump is not installed: the PostgreSQL restore test is SKIPPED ***\n");

forEachDialect(
  "PostgreSQL backup with pg_dump, restore with pg_restore (docs/backup.md)",
  (store) => {
    it.runIf(pgDump)("the restored schema verifies and carries on", async () => {
      const config = store.fresh();
      if (config.kind !== "postgres" || !config.schema) throw new Error("postgres config expected");
      const db = await Database.open(config);
      const clock = testClock();
      const entry = { tenantId: "city-a", meetingId: "m1", actor: "x", action: "reminder.sent" };
      await db.transaction((trx) =>
        appendLog(
          trx,
          clock,
          Array.from({ length: 30 }, (_, i) => ({ ...entry, payload: { i } })),
        ),
      );
      const file = join(tempFiles({}), "kaigi-guard.dump");
      execFileSync("pg_dump", [
        "--format=custom",
        `--schema=${config.schema}`,
        `--file=${file}`,
        PG_URL,
      ]);
      await db.close();
      const admin = await Database.open({ kind: "postgres", url: PG_URL, poolSize: 1 });
      await sql.raw(`drop schema "${config.schema}" cascade`).execute(admin.kysely);
      await admin.close();
      execFileSync("pg_restore", ["--exit-on-error", `--dbname=${PG_URL}`, file]);
      const restored = await Database.open(config);
      expect(await verifyChain(restored, "city-a")).toMatchObject({ ok: true, entries: 30 });
      await restored.transaction((trx) =>
        appendLog(trx, clock, [{ ...entry, payload: { i: 30 } }]),
      );
      expect(await verifyChain(restored, "city-a")).toMatchObject({ ok: true, entries: 31 });
      await restored.close();
    });
  },
  ["postgres"],
);

it("backup refuses PostgreSQL and points to pg_dump", async () => {
  let err = "";
  const code = await runCli(["backup", "x.sql"], {
    stdout: () => undefined,
    stderr: (s) => (err += s),
    env: { DATABASE_URL: "postgres://127.0.0.1/test" },
    cwd: ".",
  });
  expect(code).toBe(2);
  expect(err).toContain("pg_dump");
});
