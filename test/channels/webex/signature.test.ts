import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { validWebexSignature } from "../../../src/channels/webex/signature.js";

const body = readFileSync(
  new URL("../../fixtures/webex/webhook-messages-created.json", import.meta.url),
);
const SECRET = "kaigi-guard-webhook-secret-2026";

describe("X-Spark-Signature (signature.md's worked example)", () => {
  it("accepts the documented signature over the raw bytes", () => {
    expect(validWebexSignature(body, "c12fc1f4bdf3cd52ddfe9d129b16e95c062816dc", SECRET)).toBe(
      true,
    );
  });

  it("refuses a missing, malformed, wrong-secret, or re-serialized-body signature", () => {
    const good = "c12fc1f4bdf3cd52ddfe9d129b16e95c062816dc";
    expect(validWebexSignature(body, undefined, SECRET)).toBe(false);
    expect(validWebexSignature(body, "sha1=" + good, SECRET)).toBe(false);
    expect(validWebexSignature(body, good.slice(1), SECRET)).toBe(false);
    expect(validWebexSignature(body, good, "another-secret-value")).toBe(false);
    const pretty = JSON.stringify(JSON.parse(body.toString("utf8")), null, 2);
    expect(validWebexSignature(pretty, good, SECRET)).toBe(false);
  });
});
