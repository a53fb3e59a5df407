import { expect, it } from "vitest";
import { loadPolicy } from "../../src/policy/load.js";
import { TenantPolicies } from "../../src/policy/tenants.js";

const DIRECTORY = 'directory:\n  approvers: { tier-decision: "aad:kacho" }\n';
const WIDENING = "approvals:\n  externalParticipants:\n    required: false\n";

it("stored layers are taken up per tenant; one that no longer fits is reported once and changes nothing", () => {
  const policies = new TenantPolicies(loadPolicy("kawasaki"));
  const reported: string[] = [];
  const stored = [
    { tenantId: "city-a", version: 2, source: DIRECTORY },
    { tenantId: "city-b", version: 1, source: WIDENING },
  ];
  for (let pass = 0; pass < 3; pass++)
    policies.takeUp(stored, (l, code) =>
      reported.push(`${l.tenantId}#${String(l.version)} ${code}`),
    );
  expect(policies.policyFor("city-a").directory?.approvers["tier-decision"]).toBe("aad:kacho");
  expect(policies.describe("city-a").version).toBe(2);
  expect(policies.policyFor("city-b")).toBe(policies.base.policy);
  expect(reported).toEqual(["city-b#1 POLICY_INVALID"]);
  // An older version than the one held is not taken up.
  policies.takeUp([{ tenantId: "city-a", version: 1, source: "" }], () => undefined);
  expect(policies.describe("city-a").version).toBe(2);
});
