#!/usr/bin/env node
import { runCli } from "./cli/main.js";
import { loadDotEnv, readEnvironment } from "./config/env.js";

loadDotEnv(process.cwd());

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: readEnvironment(process.env),
  cwd: process.cwd(),
});
