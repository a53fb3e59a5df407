import { deepFreeze } from "../frozen.js";
import { t } from "../text.js";
import type { Tier } from "./tiers.js";
import { decideE2e } from "./e2e.js";
import type { MeetingPlan } from "./plan.js";
import { approvalsFor } from "./approvals.js";
import { buildSettings } from "./settings.js";
import { serviceIdSchema, type Capability, type Policy } from "./schema.js";
import { recordingRefusals, serviceRefusals } from "./service-check.js";
import type { Verdict, VerdictItem } from "./verdict.js";

/** What is assumed of a service outside the table: nothing. */
const unknownCapability: Capability = {
  label: t("不明なサービス", "unknown service"),
  tierIUsable: false,
  ismap: false,
  e2e: "no",
  japanRegion: false,
  invitation: false,
  waitingRoom: false,
  forcedRemoval: false,
  screenShare: false,
  chat: false,
  recording: false,
  fileTransfer: false,
  notes: [],
  cite: "KWS 2(2)",
};

/**
 * Decides what a planned meeting needs under a policy. Pure: the same plan and policy always give
 * the same verdict. Every item carries its clause and Japanese and English text.
 */
export function evaluate(plan: MeetingPlan, policy: Policy): Verdict {
  const effectiveTier: Tier = plan.tier === "unknown" ? "I" : plan.tier;
  const rule = policy.tiers[effectiveTier];
  const known = serviceIdSchema.safeParse(plan.service.toLowerCase());
  const cap = known.success ? policy.services[known.data] : unknownCapability;

  const refusals: VerdictItem[] = known.success
    ? serviceRefusals(policy, plan, effectiveTier, known.data)
    : [
        {
          code: "service-unknown",
          cite: policy.unknownService.cite,
          text: policy.unknownService.text,
        },
      ];
  const warnings: VerdictItem[] = [];

  const e2e = decideE2e(policy, rule, cap, plan);
  const settings = buildSettings(policy, rule, cap, e2e.setting);
  // For a service outside the table, the one refusal that matters is the KWS 2(2) advice.
  if (known.success) {
    refusals.push(...e2e.refusals, ...recordingRefusals(rule, cap, plan), ...settings.refusals);
    warnings.push(...e2e.warnings, ...settings.warnings);
  }
  warnings.push(...tierWarnings(policy, plan));

  return {
    allowed: refusals.length === 0,
    tier: plan.tier,
    effectiveTier,
    service: known.success ? known.data : plan.service,
    refusals,
    warnings,
    approvals: approvalsFor(policy, plan),
    settings: settings.settings,
    consentMode: policy.recording.consentMode,
    recordingByOrganizerOnly: policy.recording.organizerOnly,
    cleanup: policy.cleanup.filter((item) => {
      switch (item.when) {
        case "always":
        case "materials":
          return true;
        case "recording":
          return plan.recording || plan.transcription;
        case "device":
          return plan.departmentDevice;
        case "chat":
          return settings.settings.chat.value;
      }
    }),
    reminders: policy.reminders,
    approvalReminders: policy.approvalReminders,
    guidance: policy.guidance.map((g) => ({
      code: `guidance-${g.id}`,
      cite: g.cite,
      text: g.text,
    })),
    notice: [
      { code: "tier-notice", cite: "KWS 4(1)", text: rule.notice },
      {
        code: "join-information",
        cite: policy.joinInformation.cite,
        text: policy.joinInformation.text,
      },
    ],
  };
}

/** Verdicts remembered per policy object (a policy is frozen; a changed one is a new object). */
const remembered = new WeakMap<Policy, Map<string, Verdict>>();
/** Distinct plans are few (a handful of flags); a policy that sees more starts over. */
const REMEMBERED_PER_POLICY = 1_000;

/**
 * `evaluate`, remembered: the same plan under the same policy gets the very same verdict, frozen.
 * The governor answers every tier with it, and the store recognises a verdict it has already
 * written by identity instead of serializing it again (npm run bench:teams).
 */
export function evaluateRemembered(plan: MeetingPlan, policy: Policy): Verdict {
  let byPlan = remembered.get(policy);
  if (!byPlan) {
    byPlan = new Map();
    remembered.set(policy, byPlan);
  }
  const key = JSON.stringify(plan);
  let verdict = byPlan.get(key);
  if (!verdict) {
    if (byPlan.size >= REMEMBERED_PER_POLICY) byPlan.clear();
    verdict = deepFreeze(evaluate(plan, policy));
    byPlan.set(key, verdict);
  }
  return verdict;
}

function tierWarnings(policy: Policy, plan: MeetingPlan): VerdictItem[] {
  const warnings: VerdictItem[] = [];
  if (plan.tier === "unknown") {
    const decision = policy.approvals.tierDecision;
    warnings.push({ code: "tier-provisional", cite: decision.cite, text: decision.text });
  }
  if (plan.personalInfo && (plan.tier === "II" || plan.tier === "III")) {
    warnings.push({
      code: "personal-info-tier",
      cite: policy.tiers.I.definitionCite,
      text: t(
        `個人に関する情報は機密性区分Iの例です。機密性区分${plan.tier}で正しいか確認してください。`,
        `Information about individuals is an example of tier I. Check that tier ${plan.tier} is right.`,
      ),
    });
  }
  return warnings;
}
