import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { ensureLocalAdmin, localAdminRoutes } from "../src/local/admin.js";
import { startLocalMode } from "../src/local/index.js";
import { memoryLogger } from "../src/logger.js";
import { loadPolicy } from "../src/policy/load.js";
import { Database } from "../src/store/db.js";

/** The real app in local mode (as `npm start` without Teams credentials) on a fresh SQLite file. */
export async function startLocalApp(options: { idleMs?: number } = {}) {
  const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-local-"));
  const db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
  const local = await startLocalMode("127.0.0.1", loadPolicy("kawasaki"));
  const adminPassword = await ensureLocalAdmin(db, systemClock);
  const logger = memoryLogger();
  const app: App = createApp({
    db,
    policy: local.policy,
    logger,
    clock: systemClock,
    teams: local.teams,
    routes: [...local.routes, ...localAdminRoutes(db, systemClock)],
    unsigned: local.unsigned,
    ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
  });
  const url = await app.listen(0, "127.0.0.1");
  local.listening(url);
  return {
    app,
    db,
    local,
    logger,
    url,
    adminPassword,
    stop: async () => {
      await app.stop();
      await local.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
