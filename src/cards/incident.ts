import { incidentKinds, type IncidentKind } from "../governor/inputs.js";
import { t, type Locale, type Text } from "../text.js";
import { heading, text, type NeutralCard } from "./card.js";

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
  return {
    id: "incident",
    version: 1,
    body: [
      heading(t("インシデントの報告", "Report an incident")[lang]),
      text(
        t(
          "不正侵入、のぞき見、情報漏えい、盗難、紛失などが起きたら、すぐに報告してください。所属長と情報管理の担当に直ちに届きます。〔MWG 8(2)〕",
          "Report intrusion, peeping, leaks, theft or loss at once. It goes straight to your supervisor and the information-management contact. [MWG 8(2)]",
        )[lang],
      ),
      {
        type: "Input.ChoiceSet",
        id: "kind",
        label: t("何が起きましたか", "What happened")[lang],
        isRequired: true,
        choices: incidentKinds.map((k) => ({ title: kindLabels[k][lang], value: k })),
      },
      {
        type: "Input.Text",
        id: "meeting",
        label: t("会議（名称または日時）", "Meeting (title or date)")[lang],
        maxLength: 200,
      },
      {
        type: "Input.Text",
        id: "description",
        label: t("状況", "What you saw")[lang],
        isMultiline: true,
        isRequired: true,
        maxLength: 2000,
      },
    ],
    actions: [
      {
        verb: "incident.report",
        title: t("報告する", "Report")[lang],
        data: { requestId },
        style: "destructive",
      },
    ],
  };
}

export function incidentReceiptCard(lang: Locale, receipt: string, contacts: number): NeutralCard {
  return {
    id: "incident-receipt",
    version: 1,
    body: [
      heading(t("報告を受け付けました", "Your report was received")[lang]),
      text(`${t("受付番号", "Receipt number")[lang]}: ${receipt}`, { weight: "Bolder" }),
      text(
        (contacts > 0
          ? t(
              `${String(contacts)} 人の担当者に届けました。指示があるまで、会議の記録や端末はそのままにしてください。`,
              `Sent to ${String(contacts)} contact(s). Leave the meeting's records and the device as they are until you are told otherwise.`,
            )
          : t(
              "連絡先が設定されていないため、記録だけしました。情報管理の担当に直接連絡してください。",
              "No contact is configured, so it was only recorded. Please call the information-management contact yourself.",
            ))[lang],
        contacts > 0 ? {} : { color: "Attention", weight: "Bolder" },
      ),
    ],
    actions: [],
  };
}

/** To each contact: the report as filed. */
export function incidentNoticeCard(lang: Locale, data: Record<string, unknown>): NeutralCard {
  const kind = incidentKinds.find((k) => k === data.kind) ?? "other";
  return {
    id: "incident-notice",
    version: 1,
    body: [
      heading(t("インシデントの報告がありました", "An incident was reported")[lang]),
      text(`${t("受付番号", "Receipt number")[lang]}: ${String(data.receipt)}`, {
        weight: "Bolder",
      }),
      text(`${t("種類", "Kind")[lang]}: ${kindLabels[kind][lang]}`),
      text(
        `${t("会議", "Meeting")[lang]}: ${typeof data.meetingRef === "string" ? data.meetingRef : "—"}`,
      ),
      text(`${t("報告者", "Reported by")[lang]}: ${String(data.reporter)}`),
      text(`${t("状況", "What was seen")[lang]}: ${String(data.description)}`),
      text(
        t(
          "対応と情報管理課への報告をお願いします。〔MWG 8(2)(5)、FSM 5〕",
          "Please respond and report to the information-management office. [MWG 8(2)(5), FSM 5]",
        )[lang],
        { isSubtle: true },
      ),
    ],
    actions: [],
  };
}
