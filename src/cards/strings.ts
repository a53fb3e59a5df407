import { t } from "../text.js";

/** Fixed interface text of the cards. Rules and clauses come from the policy, not from here. */
export const strings = {
  helpTitle: t("会議ガードの使い方", "How to use kaigi-guard"),
  helpSchedule: t("「予約」: Web会議を予約します", '"schedule": schedule a web meeting'),
  helpIncident: t(
    "「インシデント」: 侵入・盗み見・情報漏えい・盗難・紛失を報告します",
    '"incident": report an intrusion, peeping, a leak, theft or loss',
  ),
  helpHelp: t("「ヘルプ」: この案内を表示します", '"help": show this card'),
  scheduleTitle: t("Web会議の予約", "Schedule a web meeting"),
  title: t("会議名", "Title"),
  date: t("開催日", "Date"),
  time: t("開始時刻", "Start time"),
  duration: t("時間（分）", "Duration (minutes)"),
  service: t("会議サービス", "Meeting service"),
  invitees: t(
    "参加者（メールアドレス、カンマ区切り）",
    "Invitees (e-mail addresses, comma-separated)",
  ),
  external: t("市の職員以外の参加者がいる", "There are participants from outside the city"),
  personalInfo: t("個人情報を取り扱う", "Personal information is handled"),
  recording: t("録画・録音を予定している", "Recording is planned"),
  device: t("部署配備の端末を使用する", "A department device is used"),
  fallback: t(
    "接続障害時の連絡手段（電話番号など）",
    "Contact for connection failure (phone number etc.)",
  ),
  next: t("次へ", "Next"),
  tierTitle: t(
    "この会議で取り扱う情報の機密性区分を選んでください",
    "Choose the confidentiality tier of the information this meeting handles",
  ),
  tierUnknown: t(
    "分からない（情報管理責任者に判断を依頼）",
    "I don't know (ask the information security manager)",
  ),
  examples: t("例", "Examples"),
  submitTier: t("この区分で確定", "Confirm this tier"),
  verdictAllowed: t(
    "この会議は開催できます。次の設定を行います。",
    "This meeting can go ahead with these settings.",
  ),
  verdictRefused: t(
    "この会議はこのままでは開催できません。",
    "This meeting cannot go ahead as planned.",
  ),
  refusals: t("開催できない理由と代わりにできること", "Why not, and what to do instead"),
  warnings: t("注意", "Please note"),
  approvals: t("開催前に必要な承認・相談", "Approvals needed first"),
  settings: t("会議に設定する内容", "Settings the meeting will carry"),
  cleanup: t("会議後に必要なこと", "After the meeting"),
  create: t("この内容で会議を作成", "Create the meeting"),
  requestApproval: t("承認を依頼", "Request approval"),
  change: t("予約内容を変更", "Change the plan"),
  cancel: t("中止", "Cancel"),
} as const;
