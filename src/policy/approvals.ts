import type { MeetingPlan } from "./plan.js";
import type { Policy } from "./schema.js";
import type { ApprovalItem, ApprovalKind } from "./verdict.js";

/** Approvals the meeting needs before it is created (R-EXT, R-PII, R-TIER 2). */
export function approvalsFor(policy: Policy, plan: MeetingPlan): ApprovalItem[] {
  const { approvals } = policy;
  const needed: [boolean, ApprovalKind, (typeof approvals)["externalParticipants"]][] = [
    [
      plan.external && approvals.externalParticipants.required,
      "external-participants",
      approvals.externalParticipants,
    ],
    [plan.externalHost && approvals.externalHost.required, "external-host", approvals.externalHost],
    [
      plan.personalInfo && approvals.personalInformation.required,
      "personal-information-consultation",
      approvals.personalInformation,
    ],
  ];
  const items: ApprovalItem[] = needed
    .filter(([when]) => when)
    .map(([, kind, rule]) => ({
      kind,
      code: `approval-${kind}`,
      cite: rule.cite,
      text: rule.text,
      approver: rule.approver,
    }));
  if (plan.tier === "unknown") {
    const rule = approvals.tierDecision;
    items.push({
      kind: "tier-decision",
      code: "approval-tier-decision",
      cite: rule.cite,
      text: rule.text,
      approver: rule.approver,
    });
  }
  return items;
}
