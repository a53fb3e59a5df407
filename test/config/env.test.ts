import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { appConfigFromEnv } from "../../src/config/app.js";
import { VARIABLES, loadDotEnv, unknownVariables } from "../../src/config/env.js";
import { checkpointKeyFromEnv, storeConfigFromEnv } from "../../src/config/store.js";
import { teamsConfigFromEnv } from "../../src/config/teams.js";
import { webexConfigFromEnv } from "../../src/config/webex.js";
import { jsonLogger } from "../../src/logger.js";
import { packageValuesFromEnv } from "../../src/teams-package/package.js";
import { tempFiles } from "../_util.js";

const attempt = (read: () => unknown) => {
  try {
    return read();
  } catch (error) {
    const e = error as { code?: string; message?: string };
    return { error: e.code, message: e.message };
  }
};

/** The log threshold jsonLogger takes from LOG_LEVEL: which of info/warn it writes. */
function logLevelUnder(env: NodeJS.ProcessEnv): string {
  vi.stubEnv("LOG_LEVEL", env.LOG_LEVEL);
  const lines: string[] = [];
  const logger = jsonLogger((line) => lines.push(line));
  logger.info("probe.info");
  logger.warn("probe.warn");
  vi.unstubAllEnvs();
  return lines.map((l) => (JSON.parse(l) as { event: string }).event).join(",");
}

/** Everything the configuration makes of an environment, errors included. */
const everything = (env: NodeJS.ProcessEnv) => ({
  app: attempt(() => appConfigFromEnv(env)),
  store: attempt(() => storeConfigFromEnv(env)),
  checkpoint: attempt(() =>
    checkpointKeyFromEnv(env).export({ format: "der", type: "pkcs8" }).toString("base64"),
  ),
  teams: attempt(() => teamsConfigFromEnv(env)),
  webex: attempt(() => webexConfigFromEnv(env)),
  package: attempt(() => packageValuesFromEnv(env)),
  log: logLevelUnder(env),
});

const key = generateKeyPairSync("ed25519")
  .privateKey.export({ format: "der", type: "pkcs8" })
  .toString("base64");
/** A production environment with every variable given a valid value. */
const production: Record<(typeof VARIABLES)[number], string> = {
  PORT: "8080",
  HOST: "0.0.0.0",
  KAIGI_POLICY: "kawasaki",
  DATABASE_URL: "postgres://kaigi@db.example.lg.jp:5432/kaigi",
  KAIGI_SQLITE_PATH: "/var/lib/kaigi/store.sqlite",
  KAIGI_CHECKPOINT_KEY: key,
  KAIGI_LOCAL_MODE: "0",
  LOG_LEVEL: "warn",
  MicrosoftAppId: "6a1e2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
  MicrosoftAppPassword: "secret-value-from-entra",
  MicrosoftAppType: "SingleTenant",
  MicrosoftAppTenantId: "1f2e3d4c-5b6a-4978-8a9b-0c1d2e3f4a5b",
  BOT_OPENID_METADATA_URL: "https://keys.example.test/openid",
  BOT_LOGIN_AUTHORITY: "https://login.example.test",
  BOT_AUTH_TIMEOUT_MS: "2000",
  GRAPH_BASE_URL: "https://graph.example.test/v1.0",
  GRAPH_NOTIFICATION_URL: "https://bot.example.lg.jp/api/graph/notifications",
  WEBEX_BOT_TOKEN: "webex-bot-token-0123456789",
  WEBEX_WEBHOOK_SECRET: "webhook-secret-0123456789",
  WEBEX_PUBLIC_URL: "https://bot.example.lg.jp",
  WEBEX_API_URL: "https://webex.example.test/v1",
  WEBEX_MEETINGS_TOKEN: "webex-meetings-token-0123456789",
  TEAMS_APP_ID: "0b1c2d3e-4f50-4a6b-8c7d-8e9f0a1b2c3d",
  BOT_DOMAIN: "bot.example.lg.jp",
  OPERATOR_NAME: "川崎市",
};

afterEach(() => {
  vi.unstubAllEnvs();
});

describe("an empty variable is an unset one (templates write MicrosoftAppId=)", () => {
  for (const [base, env] of [
    ["nothing else set", {}],
    ["a full production environment", production],
  ] as const) {
    it.each(VARIABLES)(`%s: empty (or spaces) is the same as unset, with ${base}`, (name) => {
      const without: NodeJS.ProcessEnv = Object.fromEntries(
        Object.entries(env).filter(([k]) => k !== name),
      );
      expect(everything({ ...env, [name]: "" })).toEqual(everything(without));
      expect(everything({ ...env, [name]: "  " })).toEqual(everything(without));
    });
  }

  it("the Teams template's empty credentials start local mode", () => {
    expect(
      teamsConfigFromEnv({ MicrosoftAppId: "", MicrosoftAppPassword: "", MicrosoftAppType: "" }),
    ).toEqual({ mode: "local" });
  });
});

describe(".env.example", () => {
  const example = readFileSync(".env.example", "utf8");
  const names = [...example.matchAll(/^([A-Za-z_][A-Za-z0-9_]*)=/gm)].map((m) => m[1]);

  it("names every variable, each once, with an empty value", () => {
    expect([...names].sort()).toEqual([...VARIABLES].sort());
    expect(example).not.toMatch(/^[A-Za-z_][A-Za-z0-9_]*=\S/m);
  });

  it("as it is, configures local mode without an error", () => {
    const dir = tempFiles({ ".env": example });
    const env: NodeJS.ProcessEnv = {};
    for (const name of VARIABLES) vi.stubEnv(name, undefined);
    loadDotEnv(dir);
    for (const name of VARIABLES) env[name] = process.env[name];
    expect(everything(env)).toMatchObject({
      app: { port: 3978, host: "127.0.0.1" },
      teams: { mode: "local" },
      webex: { enabled: false },
    });
  });
});

describe("loadDotEnv", () => {
  it("reads ./.env; a variable already set wins", () => {
    const dir = tempFiles({ ".env": "KAIGI_POLICY=musashino\nPORT=4000\n" });
    vi.stubEnv("KAIGI_POLICY", undefined);
    vi.stubEnv("PORT", "5000");
    expect(loadDotEnv(dir)).toMatch(/\.env$/);
    expect(process.env.KAIGI_POLICY).toBe("musashino");
    expect(process.env.PORT).toBe("5000");
  });

  it("does nothing without a .env", () => {
    expect(loadDotEnv(tempFiles({}))).toBeUndefined();
  });
});

describe("unknown KAIGI_ variables", () => {
  it("are named, with the known one they resemble", () => {
    expect(
      unknownVariables({
        KAIGI_SQLITE_PAHT: "/tmp/x",
        KAIGI_SOMETHING_ELSE: "1",
        KAIGI_POLICY: "standard",
        KAIGI_DEBUG: "1",
        OTHER: "x",
      }),
    ).toEqual([
      { variable: "KAIGI_SOMETHING_ELSE" },
      { variable: "KAIGI_SQLITE_PAHT", hint: "KAIGI_SQLITE_PATH" },
    ]);
  });
});
