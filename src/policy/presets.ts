import { join } from "node:path";
import { packageRoot } from "../package-root.js";

/** The policy layers shipped in policies/ (R-TEN 2). */
export const presetNames = ["standard", "kawasaki", "musashino"] as const;
export type PresetName = (typeof presetNames)[number];

export function presetPath(name: string): string | undefined {
  return (presetNames as readonly string[]).includes(name)
    ? join(packageRoot(), "policies", `${name}.yaml`)
    : undefined;
}
