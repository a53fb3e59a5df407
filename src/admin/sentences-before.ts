import { approvalKindLabels, escalationReasonLabels, labelOf, tierAnswerLabels } from "./labels.js";
import {
  num,
  str,
  list,
  approvalCite,
  tierCite,
  escalationCite,
  planned,
  type ActionKind,
  type SayEntry,
} from "./sentence-kit.js";

/** Before the meeting: booking, tier, approvals, the platform's settings (R-SCHED, R-TIER, R-EXT, R-SET). */
export const beforeSentences = {
  "meeting.drafted": (c) => ({
    ja: `${c.by.ja}が会議を予約しました（${planned(c).ja}）`,
    en: `${c.by.en} booked the meeting (${planned(c).en})`,
  }),
  "meeting.intercepted": (c) => ({
    ja: `サービス上で直接作成された会議を見つけ、主催者に機密性区分の回答を求めました（${planned(c).ja}）`,
    en: `Found a meeting created directly on the service and asked its organizer for the tier (${planned(c).en})`,
    cite: c.policy.unclassifiedEscalation.cite,
  }),
  "tier.declared": (c) => {
    const [ja, en] = labelOf(tierAnswerLabels, c.payload.tier);
    return c.payload.tier === "unknown"
      ? {
          ja: `${c.by.ja}が機密性区分を「わからない」と回答しました。情報管理責任者の判断を求めます`,
          en: `${c.by.en} answered "don't know" for the tier; the 情報管理責任者 decides`,
          cite: c.policy.approvals.tierDecision.cite,
        }
      : {
          ja: `${c.by.ja}が${ja}と回答しました`,
          en: `${c.by.en} declared ${en}`,
          cite: c.policy.tiers[
            c.payload.tier === "I" || c.payload.tier === "II" ? c.payload.tier : "III"
          ].definitionCite,
        };
  },
  "meeting.refused": (c) => ({
    ja: `区分・サービスの規定により、この会議は開催できないと判断しました（${list(c.payload.refusals)}）`,
    en: `The meeting was refused under the tier and service rules (${list(c.payload.refusals)})`,
    cite: c.policy.unknownService.cite,
  }),
  "approval.requested": (c) => {
    const [ja, en] = labelOf(approvalKindLabels, c.payload.kind);
    return {
      ja: `「${ja}」の承認を承認者に求めました`,
      en: `Asked the approver to approve: ${en}`,
      cite: str(c.payload.cite) || approvalCite(c),
    };
  },
  "approval.reminded": (c) => ({
    ja: `承認者に回答を催促しました（${String(num(c.payload.n))}回目）`,
    en: `Reminded the approver to answer (reminder ${String(num(c.payload.n))})`,
    cite: c.policy.approvalReminders.cite,
  }),
  "approval.answered": (c) => {
    const [ja, en] = labelOf(approvalKindLabels, c.payload.kind);
    const yes = c.payload.decision === "approved";
    const tier = c.payload.tier ? labelOf(tierAnswerLabels, c.payload.tier) : undefined;
    return {
      ja: `${c.by.ja}が「${ja}」を${yes ? "承認しました" : "承認しませんでした"}${tier ? `（${tier[0]}）` : ""}`,
      en: `${c.by.en} ${yes ? "approved" : "refused"}: ${en}${tier ? ` (${tier[1]})` : ""}`,
      cite: approvalCite(c),
    };
  },
  "meeting.scheduled": (c) => ({
    ja: `会議の準備が整いました（${labelOf(tierAnswerLabels, c.payload.tier)[0]}）`,
    en: `The meeting is scheduled (${labelOf(tierAnswerLabels, c.payload.tier)[1]})`,
  }),
  "meeting.escalated": (c) => {
    const [ja, en] = labelOf(escalationReasonLabels, c.payload.reason);
    return {
      ja: `管理者に通知しました：${ja}`,
      en: `Escalated to the admin: ${en}`,
      cite: escalationCite(c),
    };
  },
  "meeting.cancelled": (c) => ({
    ja: `${c.by.ja}が会議を中止しました`,
    en: `${c.by.en} cancelled the meeting`,
  }),
  "settings.applied": (c) => ({
    ja: `サービス上に会議を作成し、区分に必要な設定（ロビー等）を適用しました${num(c.payload.mismatches) > 0 ? "（一部反映されず）" : ""}`,
    en: `Created the meeting on the service with the settings the tier needs (lobby etc.)${num(c.payload.mismatches) > 0 ? " (some did not stick)" : ""}`,
    cite: tierCite(c),
  }),
  "settings.failed": (c) => ({
    ja: `サービス上で設定できませんでした（${str(c.payload.error)}）。主催者に伝えました`,
    en: `The service did not take the meeting or its settings (${str(c.payload.error)}); the organizer was told`,
    cite: tierCite(c),
  }),
  "settings.mismatch": (c) => ({
    ja: `反映されなかった設定があります：${list(c.payload.fields)}。主催者に伝えました`,
    en: `Settings that did not stick: ${list(c.payload.fields)}; the organizer was told`,
    cite: tierCite(c),
  }),
  "settings.verified": (c) => ({
    ja: `開始時に設定を読み直して確認しました${num(c.payload.drift) > 0 ? `（変更あり：${list(c.payload.drift)}）` : ""}`,
    en: `Read the settings back at the start${num(c.payload.drift) > 0 ? ` (changed: ${list(c.payload.drift)})` : ""}`,
    cite: tierCite(c),
  }),
  "settings.verify_failed": (c) => ({
    ja: `開始時に設定を確認できませんでした（${str(c.payload.error)}）。主催者に伝えました`,
    en: `Could not read the settings back at the start (${str(c.payload.error)}); the organizer was told`,
    cite: tierCite(c),
  }),
  "settings.drift": (c) => ({
    ja: `開始前に変更された設定を元に戻しました：${list(c.payload.fields)}`,
    en: `Put back settings changed before the start: ${list(c.payload.fields)}`,
    cite: tierCite(c),
  }),
} satisfies Partial<Record<ActionKind, SayEntry>>;
