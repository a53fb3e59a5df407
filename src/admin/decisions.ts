import type { Route } from "../http/server.js";
import { approvalRoutes } from "./approval-routes.js";
import type { AdminDeps } from "./kit.js";
import { policyRoutes } from "./policy-routes.js";

/**
 * What admins decide in the console: approvals they are the named approver for (R-EXT 1, KSS
 * 第9章2(5)イ — through the governor, as on the card), and the tenant's policy layer with its
 * approver directory and incident contacts (R-TEN 2), previewed as a diff and logged when applied.
 */
export function consoleDecisionRoutes(deps: AdminDeps): Route[] {
  return [...approvalRoutes(deps), ...policyRoutes(deps)];
}
