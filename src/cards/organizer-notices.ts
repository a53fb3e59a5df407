import type { Meeting } from "../meetings/types.js";
import { t, type Locale, type Text } from "../text.js";
import { heading, ruleLine, text, type NeutralCard } from "./card.js";

/** Messages to the organizer that come later, from someone else's answer or a timer. */
const plain: Record<string, Text> = {
  "awaiting-approval": t(
    "承認を依頼しました。承認されるまで会議は作成されません。",
    "Approval was requested. The meeting is not created until it is approved.",
  ),
  approved: t("承認されました。会議を作成します。", "Approved. The meeting is being created."),
  "approval-refused": t(
    "承認されませんでした。この会議は作成されません。",
    "Not approved. The meeting will not be created.",
  ),
  refused: t("この会議はこのままでは開催できません。", "This meeting cannot go ahead as planned."),
  "meeting-create-failed": t(
    "会議を作成できませんでした。管理者に連絡してください。会議はまだ作成されていません。",
    "The meeting could not be created. Please tell the administrator; no meeting exists yet.",
  ),
  "cleanup-complete": t(
    "会議後の確認事項がすべて完了しました。ありがとうございました。",
    "Every after-meeting check is done. Thank you.",
  ),
};

/** The after-meeting checklist (R-POST 1), each item with its clause; open items only on reminders. */
function cleanupCard(meeting: Meeting, lang: Locale, reminder: number | undefined): NeutralCard {
  const open = new Set(meeting.cleanup.filter((c) => !c.done).map((c) => c.id));
  const items = (meeting.verdict?.cleanup ?? []).filter((c) => open.has(c.id));
  const title = reminder
    ? t(
        `会議後の確認事項（${reminder}回目のお知らせ）`,
        `After-meeting checks (reminder ${reminder})`,
      )
    : t(
        "会議が終わりました。次を確認してください。",
        "The meeting has ended. Please check the following.",
      );
  return {
    id: "cleanup",
    version: 1,
    body: [
      heading(title[lang]),
      text(meeting.title ?? meeting.id, { isSubtle: true }),
      ...items.map((i) => ruleLine(i, lang)),
    ],
    actions: items.map((i) => ({
      verb: "cleanup.confirm",
      title: `${t("完了", "Done")[lang]}: ${i.id}`,
      data: { requestId: meeting.id, itemId: i.id },
    })),
  };
}

/** R-SET 6, R-TIER 3: the meeting as created, the settings read back, and what to forward. */
function createdCard(meeting: Meeting, lang: Locale, data: Record<string, unknown>): NeutralCard {
  const mismatches = Array.isArray(data.mismatches)
    ? (data.mismatches as { field: string; wanted: unknown; actual: unknown }[])
    : [];
  const verdict = meeting.verdict;
  const settings = verdict
    ? (Object.values(verdict.settings) as { cite: string; text: Text }[])
    : [];
  return {
    id: "meeting-created",
    version: 1,
    body: [
      heading(t("会議を作成しました", "The meeting was created")[lang]),
      text(meeting.title ?? meeting.id, { isSubtle: true }),
      text(
        `${t("参加リンク（招待者にだけ送ってください）", "Join link (send it to invitees only)")[lang]}: ${String(data.joinUrl)}`,
      ),
      ...(mismatches.length > 0
        ? [
            text(
              t(
                "次の設定が反映されていません。会議の設定を確認してください（R-SET 6）:",
                "These settings did not stick. Check the meeting's options (R-SET 6):",
              )[lang],
              { weight: "Bolder", color: "Attention" },
            ),
            ...mismatches.map((m) =>
              text(`・${m.field}: ${JSON.stringify(m.wanted)} → ${JSON.stringify(m.actual)}`, {
                color: "Attention",
              }),
            ),
          ]
        : [
            text(
              t("設定を読み返して確認しました。", "The settings were read back and match.")[lang],
            ),
          ]),
      text(t("設定した内容", "Settings applied")[lang], { weight: "Bolder", spacing: "Medium" }),
      ...settings.map((item) => ruleLine(item, lang)),
      text(t("参加者に伝える内容", "Tell the participants")[lang], {
        weight: "Bolder",
        spacing: "Medium",
      }),
      ...(verdict?.notice ?? []).map((n) => ruleLine(n, lang)),
    ],
    actions: [],
  };
}

/** The card for a lifecycle message template, or undefined when this channel has none for it. */
export function organizerNotice(
  template: string,
  meeting: Meeting,
  lang: Locale,
  data: Record<string, unknown>,
): NeutralCard | undefined {
  if (template === "cleanup") return cleanupCard(meeting, lang, undefined);
  if (template === "meeting-created") return createdCard(meeting, lang, data);
  if (template === "cleanup-reminder")
    return cleanupCard(meeting, lang, typeof data.n === "number" ? data.n : undefined);
  const message = plain[template];
  if (!message) return undefined;
  return {
    id: `notice-${template}`,
    version: 1,
    body: [text(message[lang]), text(meeting.title ?? meeting.id, { isSubtle: true })],
    actions: [],
  };
}
