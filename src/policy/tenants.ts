import { layerPolicies, parseLayerSource, type LoadedPolicy } from "./load.js";
import { PolicyInvalidError } from "./problems.js";
import type { Policy } from "./schema.js";

/** One difference between two policies, at a dotted path. */
export interface PolicyChange {
  path: string;
  from: unknown;
  to: unknown;
}

/** Every leaf that differs between `a` and `b` (lists compared whole), in path order. */
export function diffPolicies(a: unknown, b: unknown, path = ""): PolicyChange[] {
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  // A section one side does not have is compared as empty, so each of its values is listed.
  if ((isObject(a) || a === undefined) && (isObject(b) || b === undefined) && a !== b) {
    a ??= {};
    b ??= {};
    const [x, y] = [a as Record<string, unknown>, b as Record<string, unknown>];
    const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
    return keys.flatMap((k) => diffPolicies(x[k], y[k], path ? `${path}.${k}` : k));
  }
  return JSON.stringify(a) === JSON.stringify(b) ? [] : [{ path, from: a, to: b }];
}

/** A tenant's layer as loaded: its version and what it makes of the deployment's policy. */
interface TenantLayer {
  version: number;
  loaded: LoadedPolicy;
}

/**
 * Each tenant's effective policy (R-TEN 1-2): the deployment's policy (standard → prefecture →
 * municipality preset) with the tenant's own uploaded layer laid over it, which may only narrow
 * what the layers below allow. A tenant without a layer gets the deployment's policy.
 */
export class TenantPolicies {
  private readonly layers = new Map<string, TenantLayer>();
  /** Stored versions that could not be used (tenant#version), reported already. */
  private readonly refused = new Set<string>();

  constructor(readonly base: LoadedPolicy) {}

  policyFor(tenantId: string): Policy {
    return (this.layers.get(tenantId)?.loaded ?? this.base).policy;
  }

  /** The effective policy's layer names and the tenant layer's version (0: none). */
  describe(tenantId: string): { layers: string[]; version: number } {
    const own = this.layers.get(tenantId);
    return { layers: (own?.loaded ?? this.base).layers, version: own?.version ?? 0 };
  }

  /**
   * What `source` would make of the tenant's policy, without changing anything. Throws
   * PolicyInvalidError (every problem named) when it is not a valid layer or would widen.
   */
  evaluate(tenantId: string, source: string): { loaded: LoadedPolicy; changes: PolicyChange[] } {
    const loaded = this.layOver(tenantId, source);
    return { loaded, changes: diffPolicies(this.policyFor(tenantId), loaded.policy) };
  }

  /** Takes a stored version into use (a newer one than held, or the first). */
  use(tenantId: string, version: number, source: string): void {
    if ((this.layers.get(tenantId)?.version ?? 0) >= version) return;
    this.layers.set(tenantId, { version, loaded: this.layOver(tenantId, source) });
  }

  /**
   * Takes up the stored layers (the newest of each tenant). One the deployment's policy no longer
   * accepts is reported once per version; its tenant keeps what it had.
   */
  takeUp(
    stored: readonly { tenantId: string; version: number; source: string }[],
    unusable: (layer: { tenantId: string; version: number }, code: string) => void,
  ): void {
    for (const layer of stored) {
      const key = `${layer.tenantId}#${String(layer.version)}`;
      if (this.refused.has(key)) continue;
      try {
        this.use(layer.tenantId, layer.version, layer.source);
      } catch (error) {
        this.refused.add(key);
        unusable(layer, (error as { code?: string }).code ?? "unknown");
      }
    }
  }

  /** The deployment's policy with `source` laid over it, validated. */
  private layOver(tenantId: string, source: string): LoadedPolicy {
    const name = `tenant ${tenantId}`;
    const data = parseLayerSource(source, name);
    if (data.extends !== undefined)
      throw new PolicyInvalidError([
        {
          file: name,
          path: "extends",
          message: "a tenant layer is laid over this deployment's policy; leave out extends",
        },
      ]);
    const loaded = layerPolicies([
      { name: this.base.layers.join(" → "), file: "(deployment)", data: this.base.policy },
      { name: data.id ?? name, file: name, data },
    ]);
    return { policy: loaded.policy, layers: [...this.base.layers, data.id ?? name] };
  }
}
