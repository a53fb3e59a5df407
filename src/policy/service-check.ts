import { t } from "../text.js";
import type { MeetingPlan } from "./plan.js";
import type { Capability, Policy, ServiceId, TierRule } from "./schema.js";
import type { VerdictItem } from "./verdict.js";
import type { Tier } from "./tiers.js";

const label = (policy: Policy, id: ServiceId) => policy.services[id].label;

/** Refusals for using `service` at `tier` (KWS 2(2) 表1, MWG 5(2)1). */
export function serviceRefusals(
  policy: Policy,
  plan: MeetingPlan,
  tier: Tier,
  service: ServiceId,
): VerdictItem[] {
  const rule = policy.tiers[tier];
  const cap = policy.services[service];
  const refusals: VerdictItem[] = [];
  if (!rule.allowedServices.includes(service)) {
    const allowed = rule.allowedServices.map((id) => label(policy, id));
    refusals.push({
      code: "service-not-allowed-for-tier",
      cite: rule.allowedServicesCite,
      text: t(
        `${label(policy, service).ja}は${rule.label.ja}の会議には使用できません。使用できるサービス: ${allowed.map((l) => l.ja).join("、")}`,
        `${label(policy, service).en} may not be used for ${rule.label.en} meetings. Allowed: ${allowed.map((l) => l.en).join(", ")}.`,
      ),
    });
  }
  refusals.push(...requirementRefusals(rule, cap));
  const hosted = policy.hostedServices;
  if (hosted && !plan.externalHost && !hosted.allowed.includes(service)) {
    refusals.push({ code: "service-not-standard-tool", cite: hosted.cite, text: hosted.text });
  }
  return refusals;
}

function requirementRefusals(rule: TierRule, cap: Capability): VerdictItem[] {
  const refusals: VerdictItem[] = [];
  if (rule.requires.ismap && !cap.ismap) {
    refusals.push({
      code: "ismap-required",
      cite: rule.allowedServicesCite,
      text: t(
        `${rule.label.ja}の会議にはISMAP認証のあるサービスが必要です。`,
        `${rule.label.en} meetings need an ISMAP-certified service.`,
      ),
    });
  }
  if (rule.requires.japanRegion && !cap.japanRegion) {
    refusals.push({
      code: "japan-region-required",
      cite: rule.allowedServicesCite,
      text: t(
        `${rule.label.ja}の会議にはサーバの所在地を日本国内に限定できるサービスが必要です。`,
        `${rule.label.en} meetings need a service whose servers can be limited to Japan.`,
      ),
    });
  }
  return refusals;
}

/** KWS 4(3)ウ: recording and transcription only where the capability table says 可. */
export function recordingRefusals(
  rule: TierRule,
  cap: Capability,
  plan: MeetingPlan,
): VerdictItem[] {
  const wanted = [
    plan.recording ? t("録画", "Recording") : undefined,
    plan.transcription ? t("文字起こし", "Transcription") : undefined,
  ].filter((x) => x !== undefined);
  if (cap.recording || wanted.length === 0) return [];
  return [
    {
      code: "recording-not-allowed",
      cite: rule.recordingCite,
      text: t(
        `${cap.label.ja}では${wanted.map((w) => w.ja).join("・")}は利用できません（Web会議サービスの対応状況表: 録画 不可）。録画なしで開催するか、録画できるサービスを選んでください。`,
        `${wanted.map((w) => w.en).join(" and ")} may not be used on ${cap.label.en} (capability table: recording 不可). Hold the meeting without it, or choose a service that allows it.`,
      ),
    },
  ];
}
