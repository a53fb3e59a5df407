import type { Policy } from "../policy/schema.js";
import type { ApprovalKind } from "../policy/verdict.js";
import type { Meeting } from "../meetings/types.js";

/** The approver the policy's directory names for a kind: the organizer's department first. */
export function approverOf(
  policy: Policy,
  meeting: Pick<Meeting, "department">,
  kind: ApprovalKind,
): string | undefined {
  const directory = policy.directory;
  return (
    (meeting.department
      ? directory?.departments?.[meeting.department]?.approvers[kind]
      : undefined) ?? directory?.approvers[kind]
  );
}

/** Whom an incident is reported to: the department's contacts first, then the city's, once each. */
export function incidentContactsOf(policy: Policy, department: string | undefined): string[] {
  const directory = policy.directory;
  return [
    ...new Set([
      ...((department ? directory?.departments?.[department]?.incidentContacts : undefined) ?? []),
      ...(directory?.incidentContacts ?? []),
    ]),
  ];
}
