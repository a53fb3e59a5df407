import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { errorCodes } from "../src/errors.js";

const ENDPOINT_HEADING = "## Codes of the inbound endpoints";

const codesIn = (markdown: string) =>
  [...markdown.matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1] ?? "").sort();

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith(".ts")
        ? [join(dir, e.name)]
        : [],
  );
}

describe("error codes", () => {
  const doc = readFileSync("docs/errors.md", "utf8");
  const [main = "", endpoints = ""] = doc.split(ENDPOINT_HEADING);

  it("every code is documented in docs/errors.md (and nothing undocumented is listed there)", () => {
    expect(codesIn(main)).toEqual([...errorCodes].sort());
  });

  it("every code an HTTP endpoint answers with is documented, in one of the two tables", () => {
    const answered = new Set(
      sources("src").flatMap((file) =>
        [
          ...readFileSync(file, "utf8").matchAll(/(?:fail\(\d{3}, |error: \{ code: )"([A-Z_]+)"/g),
        ].map((m) => m[1] ?? ""),
      ),
    );
    const endpointCodes = [...answered].filter(
      (c) => !(errorCodes as readonly string[]).includes(c),
    );
    expect(endpointCodes.length).toBeGreaterThan(3);
    expect(codesIn(endpoints)).toEqual(endpointCodes.sort());
  });
});
