/**
 * Fields a later layer may only make stricter (REQUIREMENTS R-TEN 2, R-SVC 4). A path segment
 * "*" matches any key. Everything not listed here is overridden freely by a later layer.
 */
export type NarrowRule =
  | { kind: "subset" }
  /** Ranked values, loosest first: a layer may only move to the right. */
  | { kind: "rank"; order: readonly (string | boolean)[] }
  /** Lists of `{id}` items that later layers extend or replace by id, never shorten. */
  | { kind: "merge-by-id" };

const onlyTrue = { kind: "rank", order: [false, true] } as const;
const onlyFalse = { kind: "rank", order: [true, false] } as const;

export const narrowRules: readonly { path: string; rule: NarrowRule }[] = [
  { path: "tiers.*.allowedServices", rule: { kind: "subset" } },
  { path: "hostedServices.allowed", rule: { kind: "subset" } },
  { path: "tiers.*.requires.ismap", rule: onlyTrue },
  { path: "tiers.*.requires.japanRegion", rule: onlyTrue },
  {
    path: "tiers.*.e2e",
    rule: { kind: "rank", order: ["desirable", "required-in-principle", "required"] },
  },
  { path: "tiers.*.lobby.enabled", rule: onlyTrue },
  {
    path: "tiers.*.lobby.bypass",
    rule: { kind: "rank", order: ["everyone", "organization", "invited", "organizer"] },
  },
  { path: "tiers.*.identityCheckAtStart", rule: onlyTrue },
  { path: "approvals.externalParticipants.required", rule: onlyTrue },
  { path: "approvals.externalHost.required", rule: onlyTrue },
  { path: "approvals.personalInformation.required", rule: onlyTrue },
  { path: "fileTransfer.allowed", rule: onlyFalse },
  { path: "recording.autoRecord.value", rule: onlyFalse },
  { path: "recording.organizerOnly.value", rule: onlyTrue },
  {
    path: "recording.consentMode.value",
    rule: { kind: "rank", order: ["consent-or-notice", "all-participants"] },
  },
  { path: "cleanup", rule: { kind: "merge-by-id" } },
  { path: "guidance", rule: { kind: "merge-by-id" } },
];

export function ruleFor(path: readonly string[]): NarrowRule | undefined {
  return narrowRules.find(({ path: pattern }) => {
    const parts = pattern.split(".");
    return parts.length === path.length && parts.every((p, i) => p === "*" || p === path[i]);
  })?.rule;
}
