import { randomUUID } from "node:crypto";
import { createTeamsAdapter } from "./channels/teams/adapter.js";
import { teamsTurn } from "./channels/teams/bot.js";
import { systemClock } from "./clock.js";
import { appConfigFromEnv } from "./config/app.js";
import { storeConfigFromEnv } from "./config/store.js";
import { teamsConfigFromEnv } from "./config/teams.js";
import { Governor } from "./governor/governor.js";
import { createAppServer, type AppDeps } from "./http/server.js";
import { jsonLogger } from "./logger.js";
import { loadPolicy } from "./policy/load.js";
import { Database } from "./store/db.js";
import { governorStore } from "./store/governor-store.js";

/** Wiring only: configuration, policy, store, channels, server. Fails fast naming what is wrong. */
async function main(): Promise<void> {
  const logger = jsonLogger();
  const config = appConfigFromEnv(process.env);
  const teamsConfig = teamsConfigFromEnv(process.env);
  const loaded = loadPolicy(config.policy);
  const db = await Database.open(storeConfigFromEnv(process.env));
  const governor = new Governor(governorStore(db, systemClock), () => loaded.policy, systemClock);
  let teams: AppDeps["teams"];
  if (teamsConfig.mode === "production") {
    const adapter = createTeamsAdapter(teamsConfig, systemClock);
    const turn = teamsTurn({ governor, policyFor: () => loaded.policy, newId: randomUUID, logger });
    teams = { adapter, turn, timeoutMs: teamsConfig.authTimeoutMs };
  }
  const server = createAppServer({ policy: loaded, logger, ...(teams ? { teams } : {}) });
  server.listen(config.port, config.host, () => {
    logger.info("started", {
      url: `http://${config.host}:${config.port}`,
      policy: loaded.layers.join(" → "),
      store: db.dialect,
      teams: teamsConfig.mode,
    });
  });
  const stop = () => {
    server.close(() => {
      void db.close().then(() => process.exit(0));
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(
    `kaigi-guard could not start: ${typeof code === "string" ? `${code}: ` : ""}${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
});
