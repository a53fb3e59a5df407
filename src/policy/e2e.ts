import { t } from "../text.js";
import type { MeetingPlan } from "./plan.js";
import type { Capability, Policy, TierRule } from "./schema.js";
import type { Setting, VerdictItem } from "./verdict.js";

export interface E2eOutcome {
  setting: Setting<boolean>;
  refusals: VerdictItem[];
  warnings: VerdictItem[];
}

/**
 * Decides end-to-end encryption (KWS 2(2) 表1, 4(2), 3 ※3). E2E is on wherever the service and
 * the meeting allow it; where it cannot be, the KWS 4(2) exception (ISMAP + Japan-region servers)
 * lets tier I/II meetings go ahead with a warning, and anything else is refused. Never silent.
 */
export function decideE2e(
  policy: Policy,
  rule: TierRule,
  cap: Capability,
  plan: MeetingPlan,
): E2eOutcome {
  const oneToOne = plan.participants !== undefined && plan.participants <= 2;
  const possible = cap.e2e === "yes" || (cap.e2e === "one-to-one" && oneToOne);
  const serverSide = plan.recording || plan.transcription;
  const on = possible && !serverSide;
  const setting: Setting<boolean> = {
    value: on,
    cite: rule.e2eCite,
    text: on
      ? t("エンドツーエンド（E2E）暗号化を有効にします。", "End-to-end encryption is on.")
      : t(
          "エンドツーエンド（E2E）暗号化は有効にできません。",
          "End-to-end encryption cannot be on.",
        ),
  };
  if (on) return { setting, refusals: [], warnings: [] };

  const reason = whyNot(policy, rule, cap, plan, possible);
  if (rule.e2e === "desirable") {
    return { setting, refusals: [], warnings: [{ ...reason, code: `${reason.code}-desirable` }] };
  }
  const exception = cap.ismap && cap.japanRegion;
  return exception
    ? { setting, refusals: [], warnings: [reason] }
    : { setting, refusals: [{ ...reason, code: "e2e-required" }], warnings: [] };
}

function whyNot(
  policy: Policy,
  rule: TierRule,
  cap: Capability,
  plan: MeetingPlan,
  possible: boolean,
): VerdictItem {
  if (possible) {
    return {
      code: "e2e-off-for-recording",
      cite: policy.recording.e2eConflict.cite,
      text: policy.recording.e2eConflict.text,
    };
  }
  if (cap.e2e === "one-to-one") {
    const note = cap.notes.find((n) => n.mark === "※3");
    const count =
      plan.participants === undefined
        ? t("参加人数が未定のため、", "As the number of participants is not known, ")
        : t(`参加者が${plan.participants}人のため、`, `With ${plan.participants} participants, `);
    return {
      code: "teams-e2e-one-to-one",
      cite: note?.cite ?? cap.cite,
      text: t(
        `${count.ja}${cap.label.ja}ではE2E暗号化を有効にできません（1対1の通話のみ）。KWS 4(2)ただし書により、ISMAP認証があり国内サーバに限定できるサービスとして、E2Eなしでサーバ側の録画・文字起こしを含め利用できます。より高度なセキュリティが必要な場合は「Teams Premium」ライセンスの利用を検討してください。`,
        `${count.en}end-to-end encryption cannot be turned on in ${cap.label.en} (one-to-one calls only). Under the KWS 4(2) exception, an ISMAP-certified service with Japan-region servers may be used without E2E, server-side recording and transcription included. Where stronger security is needed, consider a Teams Premium licence.`,
      ),
    };
  }
  return {
    code: "e2e-unavailable",
    cite: rule.e2eCite,
    text: t(
      `${cap.label.ja}にはE2E暗号化機能がありません。${rule.label.ja}ではE2E暗号化が${rule.e2e === "desirable" ? "望ましいとされています" : "必要です"}。`,
      `${cap.label.en} has no end-to-end encryption. ${rule.label.en} ${rule.e2e === "desirable" ? "should preferably use" : "requires"} it.`,
    ),
  };
}
