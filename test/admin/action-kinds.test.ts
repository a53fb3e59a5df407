import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { actionKinds } from "../../src/admin/sentences.js";

// The guard of issue 22 item 3: a log action without sentences fails here or in the typecheck.
it("every action the code writes is in actionKinds (a new one without sentences fails here)", () => {
  const files = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const path = join(dir, f);
      return statSync(path).isDirectory() ? files(path) : path.endsWith(".ts") ? [path] : [];
    });
  const written = new Set<string>();
  for (const file of files("src")) {
    const source = readFileSync(file, "utf8");
    for (const pattern of [
      /\blog\(\s*"([a-z_]+\.[a-z_]+)"/g,
      /\baction: "([a-z_]+\.[a-z_]+)"/g,
      /\blogAdmin\([^)]*?"([a-z_]+\.[a-z_]+)"/g,
    ])
      for (const m of source.matchAll(pattern)) written.add(m[1] ?? "");
  }
  expect(written.size).toBeGreaterThan(30);
  expect([...written].filter((a) => !(actionKinds as readonly string[]).includes(a))).toEqual([]);
});
