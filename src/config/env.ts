import { existsSync } from "node:fs";
import { resolve } from "node:path";

/**
 * Every environment variable kaigi-guard reads, in the order .env.example lists them. Those
 * starting with KAIGI_ are the project's own: any other KAIGI_ variable is most likely a typo and
 * is reported at start.
 */
export const VARIABLES = [
  "PORT",
  "HOST",
  "KAIGI_POLICY",
  "DATABASE_URL",
  "KAIGI_SQLITE_PATH",
  "KAIGI_CHECKPOINT_KEY",
  "KAIGI_LOCAL_MODE",
  "LOG_LEVEL",
  "MicrosoftAppId",
  "MicrosoftAppPassword",
  "MicrosoftAppType",
  "MicrosoftAppTenantId",
  "BOT_OPENID_METADATA_URL",
  "BOT_LOGIN_AUTHORITY",
  "BOT_AUTH_TIMEOUT_MS",
  "GRAPH_BASE_URL",
  "GRAPH_NOTIFICATION_URL",
  "WEBEX_BOT_TOKEN",
  "WEBEX_WEBHOOK_SECRET",
  "WEBEX_PUBLIC_URL",
  "WEBEX_API_URL",
  "WEBEX_MEETINGS_TOKEN",
  "TEAMS_APP_ID",
  "BOT_DOMAIN",
  "OPERATOR_NAME",
] as const;

/** KAIGI_ variables read by tools around the bot (the CLI's debug switch, the test suite). */
const OTHER_KAIGI = new Set(["KAIGI_DEBUG", "KAIGI_TEST_PG_URL"]);

/**
 * The environment as the configuration reads it: a variable set to the empty string (or only
 * spaces) counts as unset. Templates and `.env` files write an unset value as `MicrosoftAppId=`;
 * this is the one place that rule lives — both entry points (server and CLI) and every schema
 * parse go through it.
 */
export function readEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "") out[name] = value;
  }
  return out;
}

/** KAIGI_* variables that nothing reads, each with the known one it most resembles. */
export function unknownVariables(env: NodeJS.ProcessEnv): { variable: string; hint?: string }[] {
  const known: readonly string[] = VARIABLES;
  return Object.keys(env)
    .filter((name) => name.startsWith("KAIGI_") && !known.includes(name) && !OTHER_KAIGI.has(name))
    .sort()
    .map((variable) => {
      const nearest = known
        .filter((k) => k.startsWith("KAIGI_"))
        .map((k) => ({ k, d: distance(variable, k) }))
        .sort((a, b) => a.d - b.d)[0];
      return nearest && nearest.d <= 3 ? { variable, hint: nearest.k } : { variable };
    });
}

/**
 * Loads `<dir>/.env` into `env` when the file exists (Node's own parser, `process.loadEnvFile`):
 * a variable already set in the environment wins over the file. Returns the file's path, or
 * undefined when there is none.
 */
export function loadDotEnv(dir: string): string | undefined {
  const path = resolve(dir, ".env");
  if (!existsSync(path)) return undefined;
  process.loadEnvFile(path);
  return path;
}

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
