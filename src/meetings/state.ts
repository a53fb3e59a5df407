/** The states of a meeting's lifecycle (see meetings/lifecycle.ts for the transitions). */
export const meetingStates = [
  "draft",
  "tier-declared",
  "awaiting-approval",
  "scheduled",
  "in-progress",
  "ended",
  "cleanup-pending",
  "closed",
  "refused",
  "escalated",
  "cancelled",
] as const;

export type MeetingState = (typeof meetingStates)[number];

export { tiers, type Tier, type TierAnswer } from "../policy/tiers.js";
