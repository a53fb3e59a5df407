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

export const tiers = ["I", "II", "III"] as const;
export type Tier = (typeof tiers)[number];
export type TierAnswer = Tier | "unknown";
