import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** The policy layers shipped in policies/ (R-TEN 2). */
export const presetNames = ["standard", "kawasaki", "musashino"] as const;
export type PresetName = (typeof presetNames)[number];

/** The package root, found from this module whether it runs from src/ or dist/. */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("kaigi-guard package root not found");
    dir = up;
  }
  return dir;
}

export function presetPath(name: string): string | undefined {
  return (presetNames as readonly string[]).includes(name)
    ? join(packageRoot(), "policies", `${name}.yaml`)
    : undefined;
}
