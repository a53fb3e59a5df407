import { systemClock } from "../src/clock.js";
import { ensureLocalAdmin, localAdminRoutes } from "../src/local/admin.js";
import { startLocalMode } from "../src/local/index.js";
import { memoryLogger } from "../src/logger.js";
import { loadPolicy } from "../src/policy/load.js";
import { listeningApp } from "./_app.js";

/**
 * The real app in local mode, wired as main.ts wires it for `npm start` without Teams
 * credentials (workers on, the local admin and its one-click route), on a fresh SQLite file.
 */
export async function startLocalApp(options: { idleMs?: number } = {}) {
  const local = await startLocalMode("127.0.0.1", loadPolicy("kawasaki"));
  const logger = memoryLogger();
  const started = await listeningApp(async (db) => {
    await ensureLocalAdmin(db, systemClock); // the one-click console route signs this admin in
    return {
      policy: local.policy,
      logger,
      runWorkers: true,
      teams: local.teams,
      routes: [...local.routes, ...localAdminRoutes(db, systemClock)],
      unsigned: local.unsigned,
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    };
  });
  local.listening(started.url);
  return {
    ...started,
    local,
    logger,
    stop: async () => {
      await started.close();
      await local.stop();
    },
  };
}
