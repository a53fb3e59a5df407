import { deepFreeze } from "../frozen.js";
import { readFileSync, existsSync } from "node:fs";
import { dirname, extname, resolve } from "node:path";
import { parse as parseYaml } from "yaml";
import { overlay } from "./layering.js";
import { presetPath } from "./presets.js";
import {
  PolicyInvalidError,
  PolicyNotFoundError,
  problemsFromZod,
  type PolicyProblem,
} from "./problems.js";
import { policyLayerSchema, policySchema, type Policy, type PolicyLayer } from "./schema.js";

export interface LoadedPolicy {
  policy: Policy;
  /** Layer ids (or file names), standard first. */
  layers: string[];
}

export interface Layer {
  name: string;
  file: string;
  data: PolicyLayer;
}

/**
 * Loads a preset name or a policy file (YAML or JSON) with everything it extends, lays the
 * layers over each other and validates the result. Throws PolicyInvalidError listing every
 * problem; nothing is returned half-loaded.
 */
export function loadPolicy(ref: string, cwd = process.cwd()): LoadedPolicy {
  return layerPolicies(readChain(ref, cwd, []));
}

/** Lays already-parsed layers over each other (first is the base) and validates the result. */
export function layerPolicies(chain: readonly Layer[]): LoadedPolicy {
  let merged: unknown = {};
  const problems: PolicyProblem[] = [];
  for (const layer of chain) {
    const [next, widenings] = overlay(merged, layer.data);
    merged = next;
    for (const w of widenings) {
      problems.push({
        file: layer.file,
        path: w.path,
        message: `may only narrow what earlier layers allow (was ${JSON.stringify(w.from)}, layer sets ${JSON.stringify(w.to)})`,
      });
    }
  }
  if (problems.length > 0) throw new PolicyInvalidError(problems);
  const top = chain.at(-1);
  const result = policySchema.safeParse(merged);
  if (!result.success)
    throw new PolicyInvalidError(problemsFromZod(top?.file ?? "(no layers)", result.error));
  return { policy: deepFreeze(result.data), layers: chain.map((l) => l.name) };
}

function readChain(ref: string, cwd: string, seen: string[]): Layer[] {
  const file = resolveRef(ref, cwd);
  if (seen.includes(file)) {
    throw new PolicyInvalidError([
      { file, path: "extends", message: `extends itself through ${seen.join(" → ")}` },
    ]);
  }
  const data = parseLayer(file);
  const parent = data.extends ? readChain(data.extends, dirname(file), [...seen, file]) : [];
  return [...parent, { name: data.id ?? file, file, data }];
}

function resolveRef(ref: string, cwd: string): string {
  const preset = presetPath(ref);
  if (preset) return preset;
  const file = resolve(cwd, ref);
  if (!existsSync(file)) throw new PolicyNotFoundError(ref);
  return file;
}

function parseLayer(file: string): PolicyLayer {
  let source: string;
  try {
    source = readFileSync(file, "utf8");
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new PolicyInvalidError([{ file, path: "", message: `cannot be read: ${reason ?? ""}` }]);
  }
  return parseLayerSource(source, file);
}

/**
 * One layer from its text (YAML, or JSON by a `.json` name), validated as a layer. Throws
 * PolicyInvalidError naming `name` and every problem.
 */
export function parseLayerSource(source: string, name: string): PolicyLayer {
  const file = name;
  let raw: unknown;
  try {
    raw = extname(file) === ".json" ? JSON.parse(source) : parseYaml(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new PolicyInvalidError([
      { file, path: "", message: `cannot be read as YAML/JSON: ${reason ?? ""}` },
    ]);
  }
  const result = policyLayerSchema.safeParse(raw ?? {});
  if (!result.success) throw new PolicyInvalidError(problemsFromZod(file, result.error));
  return result.data;
}
