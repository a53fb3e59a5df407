import type { Meeting } from "../meetings/types.js";
import type { ApprovalKind } from "../policy/verdict.js";
import { tiers } from "../policy/tiers.js";
import { t, type Locale, type Text } from "../text.js";
import type { NeutralCard } from "./card.js";
import { fromTemplate } from "./template.js";

const SEPARATION = {
  cite: "KSS 第2章1(11)ア",
  text: t(
    "申請者本人はこの依頼を承認できません（兼務の禁止）。",
    "The requester cannot approve this request (separation of duties).",
  ),
};

/** The approver's card (R-EXT 1, R-PII 2, R-TIER 2): what is asked, under which clause, and why. */
export function approvalRequestCard(
  meeting: Meeting,
  kind: ApprovalKind,
  lang: Locale,
  /** Set on a reminder: which one (R-EXT 1). */
  reminder?: number,
): NeutralCard {
  const item = meeting.verdict?.approvals.find((a) => a.kind === kind);
  const start = meeting.startsAt
    ? new Date(meeting.startsAt).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB", {
        timeZone: "Asia/Tokyo",
      })
    : "";
  const verdict = meeting.verdict;
  const rule = (r: { cite: string; text: Text }) => ({ text: r.text[lang], cite: r.cite });
  return fromTemplate(
    "approval-request",
    {
      title: (reminder
        ? t(
            `承認の依頼（${String(reminder)}回目のお知らせ）`,
            `Approval requested (reminder ${String(reminder)})`,
          )
        : t("承認の依頼", "Approval requested"))[lang],
      meeting: `${meeting.title ?? meeting.id} ${start}`.trim(),
      rules: [
        ...(item ? [rule(item)] : []),
        ...(reminder && verdict ? [rule(verdict.approvalReminders)] : []),
      ],
      service: verdict
        ? [
            `${t("予定のサービス", "Service")[lang]}: ${verdict.service} / ${t("区分", "tier")[lang]} ${verdict.tier}`,
          ]
        : [],
      separation: rule(SEPARATION),
      tierChoice:
        kind === "tier-decision"
          ? [
              {
                label: t("機密性区分", "Confidentiality tier")[lang],
                choices: tiers.map((v) => ({ title: `${t("区分", "Tier ")[lang]}${v}`, value: v })),
              },
            ]
          : [],
      reason: t("理由（任意）", "Reason (optional)")[lang],
      approve: t("承認する", "Approve")[lang],
      refuse: t("承認しない", "Refuse")[lang],
      requestId: meeting.id,
      kind,
    },
    { id: "approval-request", version: 1 },
  );
}
