import { appConfigFromEnv } from "./config/app.js";
import { createAppServer } from "./http/server.js";
import { jsonLogger } from "./logger.js";
import { loadPolicy } from "./policy/load.js";

/** Wiring only: configuration, policy, server. Fails fast with the variable or file at fault. */
function main(): void {
  const config = appConfigFromEnv(process.env);
  const loaded = loadPolicy(config.policy);
  const server = createAppServer({ policy: loaded, logger: jsonLogger() });
  server.listen(config.port, config.host, () => {
    process.stdout.write(
      `kaigi-guard listening on http://${config.host}:${config.port} (policy: ${loaded.layers.join(" → ")})\n`,
    );
  });
  const stop = () => {
    server.close(() => {
      process.exit(0);
    });
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

try {
  main();
} catch (error) {
  const code = (error as { code?: unknown }).code;
  process.stderr.write(
    `kaigi-guard could not start: ${typeof code === "string" ? code + ": " : ""}${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exitCode = 1;
}
