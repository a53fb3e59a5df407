/** npm run package:teams — writes dist/kaigi-guard-teams.zip from manifest/ and the environment. */
import { mkdirSync, writeFileSync } from "node:fs";
import { packageValuesFromEnv, teamsAppPackage } from "../src/teams-package/package.js";

try {
  const zip = teamsAppPackage("manifest", packageValuesFromEnv(process.env));
  mkdirSync("dist", { recursive: true });
  writeFileSync("dist/kaigi-guard-teams.zip", zip);
  console.log(`wrote dist/kaigi-guard-teams.zip (${zip.length} bytes)`);
} catch (error) {
  const code = (error as { code?: unknown }).code;
  console.error(
    `error ${typeof code === "string" ? code : "INTERNAL"}: ${error instanceof Error ? error.message : String(error)}`,
  );
  process.exitCode = 1;
}
