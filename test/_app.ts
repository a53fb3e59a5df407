import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, type App, type AppOptions } from "../src/app.js";
import { systemClock } from "../src/clock.js";
import { memoryLogger } from "../src/logger.js";
import { loadPolicy } from "../src/policy/load.js";
import { Database } from "../src/store/db.js";

/**
 * The whole app on a fresh SQLite file (Kawasaki's policy, workers off: the test drives them),
 * listening on loopback. `close` stops it and removes the file. Options may depend on the
 * database (a function of it), for what must be in place before the app is made.
 */
export async function listeningApp(
  options: Partial<AppOptions> | ((db: Database) => Promise<Partial<AppOptions>>) = {},
): Promise<{
  app: App;
  db: Database;
  url: string;
  close: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-app-"));
  const db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
  const app = createApp({
    db,
    policy: loadPolicy("kawasaki"),
    logger: memoryLogger(),
    clock: systemClock,
    runWorkers: false,
    ...(typeof options === "function" ? await options(db) : options),
  });
  const url = await app.listen(0, "127.0.0.1");
  return {
    app,
    db,
    url,
    close: async () => {
      await app.stop();
      await db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
