#!/usr/bin/env node
import { runCli } from "./cli/main.js";
import { loadDotEnv, readEnvironment } from "./config/env.js";

let envReadable = true;
try {
  loadDotEnv(process.cwd());
} catch (error) {
  process.stderr.write(
    `error CONFIG_INVALID: .env: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  envReadable = false;
}
process.exitCode = envReadable
  ? await runCli(process.argv.slice(2), {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      env: readEnvironment(process.env),
      cwd: process.cwd(),
    })
  : 1;
