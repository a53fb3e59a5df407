import { incidentKinds, type IncidentKind } from "../governor/inputs.js";
import { t, type Locale, type Text } from "../text.js";
import type { NeutralCard } from "./card.js";
import { fromTemplate } from "./template.js";

/** R-INC (MWG 8(2)(5), FSM 5): what can be reported, in the words of the guideline. */
const kindLabels: Record<IncidentKind, Text> = {
  intrusion: t("不正侵入（招待していない人の参加）", "Intrusion (someone uninvited joined)"),
  peeping: t("のぞき見", "Someone looking at the screen"),
  leak: t("情報の漏えい", "Information leaked"),
  theft: t("端末の盗難", "Device stolen"),
  loss: t("端末・資料の紛失", "Device or materials lost"),
  other: t("その他", "Other"),
};

export function incidentCard(lang: Locale, requestId: string): NeutralCard {
  return fromTemplate(
    "incident",
    {
      title: t("インシデントの報告", "Report an incident")[lang],
      intro: t(
        "不正侵入、のぞき見、情報漏えい、盗難、紛失などが起きたら、すぐに報告してください。所属長と情報管理の担当に直ちに届きます。〔MWG 8(2)〕",
        "Report intrusion, peeping, leaks, theft or loss at once. It goes straight to your supervisor and the information-management contact. [MWG 8(2)]",
      )[lang],
      labels: {
        kind: t("何が起きましたか", "What happened")[lang],
        meeting: t("会議（名称または日時）", "Meeting (title or date)")[lang],
        description: t("状況", "What you saw")[lang],
      },
      kinds: incidentKinds.map((k) => ({ title: kindLabels[k][lang], value: k })),
      report: t("報告する", "Report")[lang],
      requestId,
    },
    { id: "incident", version: 1 },
  );
}

export function incidentReceiptCard(lang: Locale, receipt: string, contacts: number): NeutralCard {
  const sent = contacts > 0;
  return fromTemplate(
    "incident-receipt",
    {
      title: t("報告を受け付けました", "Your report was received")[lang],
      receipt: `${t("受付番号", "Receipt number")[lang]}: ${receipt}`,
      sent,
      next: (sent
        ? t(
            `${String(contacts)} 人の担当者に届けました。指示があるまで、会議の記録や端末はそのままにしてください。`,
            `Sent to ${String(contacts)} contact(s). Leave the meeting's records and the device as they are until you are told otherwise.`,
          )
        : t(
            "連絡先が設定されていないため、記録だけしました。情報管理の担当に直接連絡してください。",
            "No contact is configured, so it was only recorded. Please call the information-management contact yourself.",
          ))[lang],
    },
    { id: "incident-receipt", version: 1 },
  );
}

/** To each contact: the report as filed. */
export function incidentNoticeCard(lang: Locale, data: Record<string, unknown>): NeutralCard {
  const kind = incidentKinds.find((k) => k === data.kind) ?? "other";
  return fromTemplate(
    "incident-notice",
    {
      title: t("インシデントの報告がありました", "An incident was reported")[lang],
      receipt: `${t("受付番号", "Receipt number")[lang]}: ${String(data.receipt)}`,
      facts: [
        `${t("種類", "Kind")[lang]}: ${kindLabels[kind][lang]}`,
        `${t("会議", "Meeting")[lang]}: ${typeof data.meetingRef === "string" ? data.meetingRef : "—"}`,
        `${t("報告者", "Reported by")[lang]}: ${String(data.reporter)}`,
        `${t("状況", "What was seen")[lang]}: ${String(data.description)}`,
      ],
      ask: t(
        "対応と情報管理課への報告をお願いします。〔MWG 8(2)(5)、FSM 5〕",
        "Please respond and report to the information-management office. [MWG 8(2)(5), FSM 5]",
      )[lang],
    },
    { id: "incident-notice", version: 1 },
  );
}
