import { describe, expect, it } from "vitest";
import { appConfigFromEnv } from "../../src/config/app.js";

describe("configuration from the environment", () => {
  it("has defaults and is frozen", () => {
    const config = appConfigFromEnv({});
    expect(config).toEqual({ port: 3978, host: "127.0.0.1", policy: "standard" });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it("names the variable that is wrong", () => {
    expect(() => appConfigFromEnv({ PORT: "eighty" })).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringMatching(/^PORT: /),
      }),
    );
  });
});
