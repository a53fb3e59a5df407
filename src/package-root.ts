import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The package root, found from this module whether it runs from src/ or dist/src/: where the
 * files shipped beside the code are (policies/, cards/).
 */
export function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json"))) {
    const up = dirname(dir);
    if (up === dir) throw new Error("kaigi-guard package root not found");
    dir = up;
  }
  return dir;
}
