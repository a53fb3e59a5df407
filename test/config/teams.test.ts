import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { teamsConfigFromEnv } from "../../src/config/teams.js";

describe("Teams configuration", () => {
  it("with no Teams variable the bot runs in local mode", () => {
    expect(teamsConfigFromEnv({})).toEqual({ mode: "local" });
  });

  it.each([
    [{ MicrosoftAppId: "app" }, "MicrosoftAppPassword"],
    [{ MicrosoftAppPassword: "pw" }, "MicrosoftAppId"],
    [
      { MicrosoftAppId: "app", MicrosoftAppPassword: "pw", MicrosoftAppType: "SingleTenant" },
      "MicrosoftAppTenantId",
    ],
    [{ KAIGI_LOCAL_MODE: "0" }, "MicrosoftAppId"],
    [
      { MicrosoftAppId: "app", MicrosoftAppPassword: "pw", MicrosoftAppType: "Global" },
      "MicrosoftAppType",
    ],
  ])("%j is refused naming %s", (env, variable) => {
    expect(() => teamsConfigFromEnv(env)).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringMatching(new RegExp(`^${variable}: `)),
      }),
    );
  });

  it("production settings keep Bot Framework's defaults unless overridden", () => {
    expect(teamsConfigFromEnv({ MicrosoftAppId: "app", MicrosoftAppPassword: "pw" })).toMatchObject(
      {
        mode: "production",
        appType: "MultiTenant",
        openIdMetadataUrl: "https://login.botframework.com/v1/.well-known/openidconfiguration",
        loginAuthority: "https://login.microsoftonline.com",
        authTimeoutMs: 5000,
      },
    );
  });

  it("the server refuses to start without the password, naming it, with no stack trace", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", "src/main.ts"], {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        MicrosoftAppId: "f3c5e8a1-2b4d-4c6e-9f10-7a8b9c0d1e2f",
        KAIGI_SQLITE_PATH: ":memory:",
      },
      timeout: 20_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain("CONFIG_INVALID: MicrosoftAppPassword");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
