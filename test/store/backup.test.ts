import { join } from "node:path";
import { expect, it } from "vitest";
import { runCli } from "../../src/cli/main.js";
import { Database } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { tempFiles, testClock } from "../_util.js";
import { forEachDialect } from "./_util.js";

forEachDialect("two instances starting at once", (store) => {
  it("both run the migrations safely and see one schema", async () => {
    const config = store.fresh();
    const [a, b] = await Promise.all([store.open(config), store.open(config)]);
    await a.transaction((trx) =>
      appendLog(trx, a.dialect, testClock(), [
        { tenantId: "t", meetingId: null, actor: "x", action: "a", payload: {} },
      ]),
    );
    expect(await verifyChain(b.kysely, "t")).toMatchObject({ ok: true, entries: 1 });
  });
});

it("kaigi-guard backup copies the SQLite database online; the copy restores and verifies (R-OPS 1, LGC)", async () => {
  const dir = tempFiles({});
  const live = join(dir, "live.sqlite");
  const db = await Database.open({ kind: "sqlite", path: live });
  const clock = testClock();
  for (let i = 0; i < 50; i++) {
    await db.transaction((trx) =>
      appendLog(trx, db.dialect, clock, [
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
    appendLog(trx, db.dialect, clock, [
      { tenantId: "city-a", meetingId: "m1", actor: "x", action: "late", payload: {} },
    ]),
  );
  await db.close();
  const restored = await Database.open({ kind: "sqlite", path: join(dir, "copy.sqlite") });
  expect(await verifyChain(restored.kysely, "city-a")).toMatchObject({ ok: true, entries: 50 });
  await restored.close();
});

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
