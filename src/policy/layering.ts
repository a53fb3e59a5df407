import { ruleFor, type NarrowRule } from "./narrowing.js";

/** One way a layer tried to loosen what an earlier layer set. */
export interface Widening {
  path: string;
  from: unknown;
  to: unknown;
}

type Json = unknown;

const isObject = (v: Json): v is Record<string, Json> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Lays `layer` over `base`. Objects merge key by key, lists and scalars are replaced, except
 * where a narrowing rule says otherwise. Returns the merged value and every widening found.
 */
export function overlay(base: Json, layer: Json, path: string[] = []): [Json, Widening[]] {
  const rule = ruleFor(path);
  if (rule && base !== undefined) return applyRule(rule, base, layer, path);
  if (isObject(base) && isObject(layer)) {
    const merged: Record<string, Json> = { ...base };
    const widenings: Widening[] = [];
    for (const [key, value] of Object.entries(layer)) {
      if (value === undefined) continue;
      const [child, found] = overlay(base[key], value, [...path, key]);
      merged[key] = child;
      widenings.push(...found);
    }
    return [merged, widenings];
  }
  return [layer, []];
}

function applyRule(rule: NarrowRule, base: Json, layer: Json, path: string[]): [Json, Widening[]] {
  const where = path.join(".");
  switch (rule.kind) {
    case "subset": {
      const allowed = new Set(Array.isArray(base) ? base : []);
      const added = Array.isArray(layer) ? layer.filter((v) => !allowed.has(v)) : [];
      return added.length > 0 ? [base, [{ path: where, from: base, to: layer }]] : [layer, []];
    }
    case "rank": {
      const before = rule.order.indexOf(base as string | boolean);
      const after = rule.order.indexOf(layer as string | boolean);
      return after < before ? [base, [{ path: where, from: base, to: layer }]] : [layer, []];
    }
    case "merge-by-id":
      return [mergeById(base, layer), []];
  }
}

function mergeById(base: Json, layer: Json): Json {
  if (!Array.isArray(base) || !Array.isArray(layer)) return layer;
  return mergeLists(base as Json[], layer as Json[]);
}

function mergeLists(base: Json[], layer: Json[]): Json[] {
  const idOf = (item: Json) => (isObject(item) ? item.id : undefined);
  const replaced = new Map(layer.map((item) => [idOf(item), item] as const));
  const kept = base.map((item) => replaced.get(idOf(item)) ?? item);
  const keptIds = new Set(base.map(idOf));
  return [...kept, ...layer.filter((item) => !keptIds.has(idOf(item)))];
}
