import type { Meeting } from "../meetings/types.js";
import type { ApprovalKind } from "../policy/verdict.js";
import { t, type Locale } from "../text.js";
import { heading, ruleLine, text, type CardElement, type NeutralCard } from "./card.js";

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
  const tierChoice: CardElement[] =
    kind === "tier-decision"
      ? [
          {
            type: "Input.ChoiceSet",
            id: "tier",
            label: t("機密性区分", "Confidentiality tier")[lang],
            isRequired: true,
            choices: (["I", "II", "III"] as const).map((v) => ({
              title: `${t("区分", "Tier ")[lang]}${v}`,
              value: v,
            })),
          },
        ]
      : [];
  const start = meeting.startsAt
    ? new Date(meeting.startsAt).toLocaleString(lang === "ja" ? "ja-JP" : "en-GB", {
        timeZone: "Asia/Tokyo",
      })
    : "";
  return {
    id: "approval-request",
    version: 1,
    body: [
      heading(
        (reminder
          ? t(
              `承認の依頼（${String(reminder)}回目のお知らせ）`,
              `Approval requested (reminder ${String(reminder)})`,
            )
          : t("承認の依頼", "Approval requested"))[lang],
      ),
      text(`${meeting.title ?? meeting.id} ${start}`.trim()),
      ...(item ? [ruleLine(item, lang)] : []),
      ...(reminder && meeting.verdict ? [ruleLine(meeting.verdict.approvalReminders, lang)] : []),
      ...(meeting.verdict
        ? [
            text(
              `${t("予定のサービス", "Service")[lang]}: ${meeting.verdict.service} / ${t("区分", "tier")[lang]} ${meeting.verdict.tier}`,
              { isSubtle: true },
            ),
          ]
        : []),
      ruleLine(SEPARATION, lang),
      ...tierChoice,
      {
        type: "Input.Text",
        id: "reason",
        label: t("理由（任意）", "Reason (optional)")[lang],
        isMultiline: true,
        maxLength: 500,
      },
    ],
    actions: [
      {
        verb: "approval.answer",
        title: t("承認する", "Approve")[lang],
        style: "positive",
        data: { requestId: meeting.id, kind, decision: "approved" },
      },
      {
        verb: "approval.answer",
        title: t("承認しない", "Refuse")[lang],
        style: "destructive",
        data: { requestId: meeting.id, kind, decision: "refused" },
      },
    ],
  };
}
