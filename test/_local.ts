import { ensureLocalAdmin, localAdminRoutes } from "../src/local/admin.js";
import { startLocalMode } from "../src/local/index.js";
import { memoryLogger } from "../src/logger.js";
import { loadPolicy } from "../src/policy/load.js";
import { listeningApp } from "./_app.js";

/**
 * The real app in local mode, wired as main.ts wires it for `npm start` without Teams
 * credentials (workers on, the local admin and its one-click route), on a fresh SQLite file.
 */
export async function startLocalApp(options: { idleMs?: number; preset?: string } = {}) {
  const local = await startLocalMode("127.0.0.1", loadPolicy(options.preset ?? "kawasaki"));
  const logger = memoryLogger();
  const started = await listeningApp(async (db) => {
    await ensureLocalAdmin(db, local.clock); // the one-click console route signs this admin in
    return {
      policy: local.policy,
      clock: local.clock,
      logger,
      runWorkers: true,
      teams: local.teams,
      webex: local.webex,
      routes: [...local.routes, ...localAdminRoutes(db, local.clock)],
      unsigned: local.unsigned,
      subscriptionCheckMs: local.subscriptionCheckMs,
      ...(options.idleMs === undefined ? {} : { idleMs: options.idleMs }),
    };
  });
  local.listening({
    url: started.url,
    db: started.app.db,
    wakeTimers: started.app.workers.wakeTimers,
  });
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
