import type { Meeting } from "../meetings/types.js";
import { t, type Locale, type Text } from "../text.js";
import type { NeutralCard } from "./card.js";
import { fromTemplate } from "./template.js";

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
function cleanupCard(
  meeting: Meeting,
  lang: Locale,
  reminder: number | undefined,
  artifacts?: unknown,
  devices?: unknown,
  recordings?: unknown,
): NeutralCard {
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
  return fromTemplate(
    "cleanup",
    {
      title: title[lang],
      meeting: meeting.title ?? meeting.id,
      items: items.map((i, n) => ({
        id: i.id,
        text: i.text[lang],
        cite: i.cite,
        done: `${t("完了", "Done")[lang]}: ${i.label?.[lang] ?? String(n + 1)}`,
      })),
      ...artifactLines(artifacts, lang, meeting.plan?.service === "webex" ? "webex" : "teams"),
      devices: open.has("device-logbook") ? deviceInputs(devices, lang) : [],
      // Where the platform lets the bot delete them (Webex): one "delete now" per recording.
      recordings: (Array.isArray(recordings)
        ? (recordings as { id: string; label: string }[])
        : []
      ).map((r) => ({
        id: r.id,
        title: `${t("録画を削除", "Delete recording")[lang]}: ${r.label}`,
      })),
      requestId: meeting.id,
    },
    { id: "cleanup", version: 1 },
  );
}

/** R-DEV: which department device was used, and by whom, for the logbook line. */
function deviceInputs(devices: unknown, lang: Locale) {
  const list = Array.isArray(devices) ? (devices as { id: string; label: string }[]) : [];
  if (list.length === 0) return [];
  return [
    {
      label: t("使用した端末", "Device used")[lang],
      choices: list.map((d) => ({ title: `${d.label} (${d.id})`, value: d.id })),
      userLabel: t("使用者の氏名", "Name of the person who used it")[lang],
    },
  ];
}

/** R-POST 2: what the platform still lists for the meeting, as of this card. */
function artifactLines(artifacts: unknown, lang: Locale, platform: "teams" | "webex") {
  const name = platform === "webex" ? "Webex" : "Teams";
  const lines = {
    artifactsUnknown: [] as string[],
    artifactsLeft: [] as string[],
    artifactsNone: [] as string[],
  };
  if (artifacts === "unavailable") {
    lines.artifactsUnknown.push(
      t(
        `${name} に残っている録画・文字起こしを確認できませんでした。${name} で確認してください。`,
        `Could not ask ${name} which recordings and transcripts remain; please check in ${name}.`,
      )[lang],
    );
    return lines;
  }
  if (typeof artifacts !== "object" || artifacts === null) return lines;
  const { recordings, transcripts } = artifacts as { recordings: number; transcripts: number };
  // Where the organizer deletes them: Teams keeps them in the meeting chat; on Webex the bot can.
  const where =
    platform === "webex"
      ? t("下の「録画を削除」から削除できます", "delete them with Delete recording below")
      : t(
          "会議チャットの「録画と文字起こし」から削除できます",
          "delete them from the meeting chat's Recordings & transcripts",
        );
  if (recordings + transcripts > 0)
    lines.artifactsLeft.push(
      t(
        `${name} にまだ録画 ${String(recordings)} 件・文字起こし ${String(transcripts)} 件が残っています（${where.ja}）。〔KWS 4(4)〕`,
        `${name} still lists ${String(recordings)} recording(s) and ${String(transcripts)} transcript(s) (${where.en}). [KWS 4(4)]`,
      )[lang],
    );
  else
    lines.artifactsNone.push(
      t(
        `${name} に録画・文字起こしは残っていません。`,
        `${name} lists no recordings or transcripts for this meeting.`,
      )[lang],
    );
  return lines;
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
  const rule = (item: { cite: string; text: Text }) => ({ text: item.text[lang], cite: item.cite });
  return fromTemplate(
    "meeting-created",
    {
      title: (data.action === "apply-settings"
        ? t("会議に区分の設定を適用しました", "The tier's settings were applied to the meeting")
        : t("会議を作成しました", "The meeting was created"))[lang],
      meeting: meeting.title ?? meeting.id,
      joinLink: `${t("参加リンク（招待者にだけ送ってください）", "Join link (send it to invitees only)")[lang]}: ${String(data.joinUrl)}`,
      fallback: meeting.fallbackContact
        ? [
            `${t("接続できないときの連絡先", "If the connection fails, call")[lang]}: ${meeting.fallbackContact}`,
          ]
        : [],
      mismatchTitle: t(
        "次の設定が反映されていません。会議の設定を確認してください（R-SET 6）:",
        "These settings did not stick. Check the meeting's options (R-SET 6):",
      )[lang],
      mismatches: mismatches.map(
        (m) => `${m.field}: ${JSON.stringify(m.wanted)} → ${JSON.stringify(m.actual)}`,
      ),
      readBack: t("設定を読み返して確認しました。", "The settings were read back and match.")[lang],
      settingsTitle: t("設定した内容", "Settings applied")[lang],
      settings: settings.map(rule),
      noticeTitle: t("参加者に伝える内容", "Tell the participants")[lang],
      notice: (verdict?.notice ?? []).map(rule),
    },
    { id: "meeting-created", version: 1 },
  );
}

/**
 * To the 情報管理責任者 (KSS 第3章2): a meeting whose tier is still undecided close to its start,
 * or an approval nobody answered, with the facts needed to act on it.
 */
const escalationCite: Record<string, string> = {
  unclassified: "KSS 第3章2",
  "approval-overdue": "KSS 第9章2(5)イ",
  "cleanup-overdue": "KWS 4(4)",
};

export function escalationCard(
  meeting: Meeting,
  lang: Locale,
  data: Record<string, unknown>,
): NeutralCard {
  const reason =
    data.reason === "unclassified"
      ? t(
          "開始が近いのに機密性区分が決まっていない会議があります。主催者に確認してください。",
          "A meeting starts soon and its tier is still undecided. Please check with the organizer.",
        )
      : data.reason === "approval-overdue"
        ? t(
            "承認の依頼に回答がありません。承認するか、理由を添えて断ってください。",
            "An approval request has not been answered. Please approve it or refuse it with a reason.",
          )
        : data.reason === "cleanup-overdue"
          ? t(
              "会議後の確認事項が、お知らせを繰り返しても完了していません。主催者に確認してください。",
              "After-meeting checks are still open after repeated reminders. Please check with the organizer.",
            )
          : data.template === "started-without-clearance"
            ? t(
                "区分の確認や承認が済んでいない会議が始まりました。",
                "A meeting started before its tier or approvals were settled.",
              )
            : t("確認が必要な会議があります。", "A meeting needs your attention.");
  return fromTemplate(
    "escalation",
    {
      title: t("確認のお願い（エスカレーション）", "Escalation")[lang],
      reason: reason[lang],
      cite: escalationCite[String(data.reason)] ?? "KSS 第3章2",
      meeting: meeting.title ?? meeting.id,
      when: `${t("開始", "Starts")[lang]}: ${meeting.startsAt ?? "-"} / ${t("主催者", "Organizer")[lang]}: ${meeting.organizerId}`,
    },
    { id: "escalation", version: 1 },
  );
}

/** The card for a lifecycle message template, or undefined when this channel has none for it. */
export function organizerNotice(
  template: string,
  meeting: Meeting,
  lang: Locale,
  data: Record<string, unknown>,
): NeutralCard | undefined {
  if (template === "cleanup")
    return cleanupCard(meeting, lang, undefined, data.artifacts, data.devices, data.recordings);
  if (template === "meeting-created") return createdCard(meeting, lang, data);
  if (template === "cleanup-reminder")
    return cleanupCard(
      meeting,
      lang,
      typeof data.n === "number" ? data.n : undefined,
      data.artifacts,
      data.devices,
      data.recordings,
    );
  const message = plain[template];
  if (!message) return undefined;
  return fromTemplate(
    "organizer-notice",
    { message: message[lang], meeting: meeting.title ?? meeting.id },
    { id: `notice-${template}`, version: 1 },
  );
}
