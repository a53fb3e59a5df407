import type { Locale } from "../text.js";
import type { Verdict, VerdictItem } from "../policy/verdict.js";

const heading = {
  allowed: { ja: "判定: 利用できます", en: "Verdict: allowed" },
  refused: { ja: "判定: 利用できません", en: "Verdict: refused" },
  refusals: { ja: "利用できない理由", en: "Refusals" },
  warnings: { ja: "注意", en: "Warnings" },
  approvals: { ja: "必要な承認・相談", en: "Approvals needed" },
  settings: { ja: "会議に設定する内容", en: "Settings the meeting must carry" },
  consent: { ja: "録画の同意", en: "Recording consent" },
  cleanup: { ja: "会議後の確認事項", en: "After the meeting" },
  reminders: { ja: "リマインド", en: "Reminders" },
} as const;

/** The verdict as text for a terminal: one line per item, each with its clause. */
export function renderVerdict(verdict: Verdict, lang: Locale): string {
  const line = (item: { cite: string; text: { ja: string; en: string } }) =>
    `  - ${item.text[lang]} [${item.cite}]`;
  const section = (
    title: keyof typeof heading,
    items: readonly VerdictItem[] | readonly { cite: string; text: { ja: string; en: string } }[],
  ) => (items.length === 0 ? [] : [`${heading[title][lang]}:`, ...items.map(line)]);
  return [
    heading[verdict.allowed ? "allowed" : "refused"][lang] +
      ` (tier ${verdict.tier}${verdict.tier === "unknown" ? ` → ${verdict.effectiveTier}` : ""}, ${verdict.service})`,
    ...section("refusals", verdict.refusals),
    ...section("warnings", verdict.warnings),
    ...section("approvals", verdict.approvals),
    ...section("settings", Object.values(verdict.settings)),
    ...section("consent", [verdict.consentMode, verdict.recordingByOrganizerOnly]),
    ...section("cleanup", verdict.cleanup),
    ...section("reminders", [verdict.reminders]),
    "",
  ].join("\n");
}
