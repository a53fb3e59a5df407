/** The confidentiality tiers (機密性区分) a meeting may be declared, lowest first (R-TIER). */
export const tiers = ["I", "II", "III"] as const;
export type Tier = (typeof tiers)[number];
/** What an organizer may answer when asked the tier: "unknown" when they cannot say. */
export type TierAnswer = Tier | "unknown";
