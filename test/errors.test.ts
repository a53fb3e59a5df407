import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../src/errors.js";

describe("error codes", () => {
  it("every code is documented in docs/errors.md (and nothing undocumented is listed there)", () => {
    const doc = readFileSync("docs/errors.md", "utf8");
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...errorCodes].sort());
  });
});
