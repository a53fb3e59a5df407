import { createApp } from "./app.js";
import { systemClock } from "./clock.js";
import { appConfigFromEnv } from "./config/app.js";
import { storeConfigFromEnv } from "./config/store.js";
import { teamsConfigFromEnv } from "./config/teams.js";
import { webexConfigFromEnv } from "./config/webex.js";
import { loadDotEnv, readEnvironment, unknownVariables } from "./config/env.js";
import { jsonLogger } from "./logger.js";
import { LOCAL_ADMIN_EMAIL, ensureLocalAdmin, localAdminRoutes } from "./local/admin.js";
import { startLocalMode } from "./local/index.js";
import { PLAYGROUND_TENANT } from "./local/personas.js";
import { loadPolicy } from "./policy/load.js";
import { Database } from "./store/db.js";

/** Wiring only: configuration, policy, store, then the app. Fails fast naming what is wrong. */
async function main(): Promise<void> {
  // ./.env first (variables already set win), so LOG_LEVEL and the rest apply from the start.
  const envFile = loadDotEnv(process.cwd());
  const env = readEnvironment(process.env);
  const logger = jsonLogger();
  if (envFile) logger.info("config.env_file", { file: ".env" });
  for (const unknown of unknownVariables(env)) logger.warn("config.unknown_variable", unknown);
  const config = appConfigFromEnv(env);
  const teamsConfig = teamsConfigFromEnv(env);
  const webexConfig = webexConfigFromEnv(env);
  const loaded = loadPolicy(config.policy);
  const local =
    teamsConfig.mode === "local" ? await startLocalMode(config.host, loaded) : undefined;
  const policy = local?.policy ?? loaded;
  const db = await Database.open(storeConfigFromEnv(env));
  const clock = local?.clock ?? systemClock;
  const adminPassword = local ? await ensureLocalAdmin(db, clock) : undefined;
  const app = createApp({
    db,
    policy,
    logger,
    clock,
    ...(teamsConfig.mode === "production" ? { teams: teamsConfig } : {}),
    ...(local
      ? {
          teams: local.teams,
          routes: [...local.routes, ...localAdminRoutes(db, clock)],
          unsigned: local.unsigned,
          subscriptionCheckMs: local.subscriptionCheckMs,
        }
      : {}),
    webex: local?.webex ?? webexConfig,
  });
  const url = await app.listen(config.port, config.host);
  local?.listening({ url, db, wakeTimers: app.workers.wakeTimers });
  logger.info("started", {
    url,
    policy: policy.layers.join(" → "),
    store: db.dialect,
    teams: teamsConfig.mode,
    ...(local ? { playground: `${url}/` } : {}),
    webex: local ? "local" : webexConfig.enabled,
  });
  if (local) {
    // For the person at the terminal (stdout; the log above is for machines and has no secrets).
    process.stdout.write(
      `\n会議ガード プレイグラウンド / playground: ${url}/\n` +
        `管理コンソール / admin console: ${url}/admin\n` +
        (adminPassword
          ? `  初回のみ表示 / shown this once — テナント / tenant: ${PLAYGROUND_TENANT}\n` +
            `  メール / e-mail: ${LOCAL_ADMIN_EMAIL}   パスワード / password: ${adminPassword}\n`
          : "") +
        `Microsoft 365 Agents Playground: npm run playground:agents\n\n`,
    );
  }
  // Graceful: stop taking requests, let the turns and worker passes under way finish (timers not
  // yet fired are handed back to other instances), release the database — within 25 s.
  const stop = () => {
    logger.info("stopping");
    setTimeout(() => {
      logger.error("stop_timed_out");
      process.exit(1);
    }, 25_000).unref();
    void app
      .stop()
      .then(() => db.close())
      .then(() => local?.stop())
      .then(() => process.exit(0));
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
