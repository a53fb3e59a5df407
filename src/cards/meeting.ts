import { latestAnswers, present } from "../meetings/during.js";
import type { Meeting } from "../meetings/types.js";
import { t, type Locale, type Text } from "../text.js";
import type { NeutralCard } from "./card.js";
import { fromTemplate } from "./template.js";

/** Cards shown during the meeting: in its chat, and to the organizer (R-ADMIT, R-GUIDE, R-REC). */

const nameOf = (meeting: Meeting, personId: string) =>
  meeting.participants?.find((p) => p.id === personId)?.name ?? personId;

const rule = (item: { cite: string; text: Text }, lang: Locale) => ({
  text: item.text[lang],
  cite: item.cite,
});

/** R-TIER 3, R-GUIDE: posted to the meeting chat at the start: the tier, its handling, guidance. */
export function tierNoticeCard(meeting: Meeting, lang: Locale): NeutralCard {
  const verdict = meeting.verdict;
  return fromTemplate(
    "tier-notice",
    {
      title: t(
        `この会議の機密性区分: ${verdict?.tier ?? "-"}`,
        `This meeting's confidentiality tier: ${verdict?.tier ?? "-"}`,
      )[lang],
      notice: (verdict?.notice ?? []).map((n) => rule(n, lang)),
      guidanceTitle: t("参加にあたってのお願い", "Please, while you take part")[lang],
      guidance: (verdict?.guidance ?? []).map((g) => rule(g, lang)),
    },
    { id: "tier-notice", version: 1 },
  );
}

/**
 * R-REC 2: the consent card. Teams shows each listed person their own view (card refresh), so the
 * card says what they answered; the answer is bound to whoever presses the button.
 */
export function consentCard(meeting: Meeting, lang: Locale, viewer?: string): NeutralCard {
  const verdict = meeting.verdict;
  const answer = viewer ? latestAnswers(meeting).get(viewer) : undefined;
  return fromTemplate(
    "consent",
    {
      title: t("録画・文字起こしの同意確認", "Consent to recording and transcription")[lang],
      meeting: meeting.title ?? meeting.id,
      rules: verdict
        ? [rule(verdict.consentMode, lang), rule(verdict.recordingByOrganizerOnly, lang)]
        : [],
      question: t(
        "この会議の録画・文字起こしに同意しますか。同意しない場合、主催者は録画できません。",
        "Do you agree to this meeting being recorded and transcribed? If you do not, the organizer will not record.",
      )[lang],
      answer: answer
        ? [
            (answer === "agree"
              ? t(
                  "あなたの回答: 同意する（変更できます）",
                  "Your answer: I agree (you can change it)",
                )
              : t(
                  "あなたの回答: 同意しない（変更できます）",
                  "Your answer: I do not agree (you can change it)",
                ))[lang],
          ]
        : [],
      agree: t("同意する", "I agree")[lang],
      refuse: t("同意しない", "I do not agree")[lang],
      requestId: meeting.id,
    },
    {
      id: "consent",
      version: 1,
      refresh: { verb: "consent.view", data: { requestId: meeting.id } },
    },
  );
}

/** R-ADMIT 1 (MWG 8(3), KWS 4(3)イ): invitees against who is in the meeting; strangers flagged. */
export function rollCallCard(meeting: Meeting, lang: Locale): NeutralCard {
  const here = present(meeting);
  const emails = new Set(here.map((p) => p.email?.toLowerCase()).filter(Boolean));
  const invitees = meeting.invitees ?? [];
  const arrived = String(invitees.filter((i) => emails.has(i.toLowerCase())).length);
  const identity = meeting.verdict?.settings.identityCheck;
  return fromTemplate(
    "roll-call",
    {
      title: t("出席確認", "Roll call")[lang],
      meeting: meeting.title ?? meeting.id,
      rules: identity ? [rule(identity, lang)] : [],
      count: t(
        `招待者 ${String(invitees.length)} 人中 ${arrived} 人が参加中`,
        `${arrived} of ${String(invitees.length)} invitees are here`,
      )[lang],
      invitees: invitees.map((i) => `${emails.has(i.toLowerCase()) ? "✓" : "—"} ${i}`),
      strangersWarning: t(
        "招待者リストにない参加者がいます。本人であることを確認してから参加を認めてください〔MWG 8(3)〕:",
        "People not on the invitation list are here. Admit them only after checking who they are [MWG 8(3)]:",
      )[lang],
      strangers: here.filter((p) => !p.invited).map((p) => p.name ?? p.id),
      refresh: t("更新", "Refresh")[lang],
      admit: t("招待者だけをロビーから入室", "Admit invitees from the lobby")[lang],
      record: t("録画を始める（同意を確認）", "Start recording (ask for consent)")[lang],
      requestId: meeting.id,
    },
    { id: "roll-call", version: 1 },
  );
}

/** R-ATT (MWG 6): who attended through the web meeting, for the minutes (会議録). */
export function attendanceCard(meeting: Meeting, lang: Locale): NeutralCard {
  const time = (iso: string | undefined) =>
    iso ? new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(11, 16) : "—";
  return fromTemplate(
    "attendance",
    {
      title: t("出席記録（会議録用）", "Attendance for the minutes")[lang],
      meeting: meeting.title ?? meeting.id,
      rule: t(
        "Web会議での出席（音声のみを含む）を出席として記録しています。〔MWG 6〕",
        "Attending through the web meeting, audio only included, is recorded as attendance. [MWG 6]",
      )[lang],
      attendees: (meeting.participants ?? []).map(
        (p) => `${p.name ?? p.id} ${time(p.joinedAt)}–${time(p.leftAt)}${p.invited ? "" : " ⚠"}`,
      ),
      csv: `CSV: kaigi-guard attendance export --meeting ${meeting.id} --format csv`,
    },
    { id: "attendance", version: 1 },
  );
}

const consentCite = (meeting: Meeting) => meeting.verdict?.consentMode.cite ?? "MWG 5(2)7";

/** Organizer notices raised during the meeting; undefined for a template this module lacks. */
export function meetingNotice(
  template: string,
  meeting: Meeting,
  lang: Locale,
  data: Record<string, unknown>,
): NeutralCard | undefined {
  const lines: Text[] = [];
  let alert = false;
  switch (template) {
    case "roll-call":
      return rollCallCard(meeting, lang);
    case "attendance":
      return attendanceCard(meeting, lang);
    case "unknown-participant":
      alert = true;
      lines.push(
        t(
          `招待されていない人が参加しました: ${nameOf(meeting, String(data.personId))}。本人であることを確認してください。〔MWG 8(3)〕`,
          `Someone who was not invited joined: ${nameOf(meeting, String(data.personId))}. Check who they are. [MWG 8(3)]`,
        ),
      );
      break;
    case "consent-refused":
      alert = true;
      lines.push(
        t(
          `${nameOf(meeting, String(data.personId))} さんが録画に同意しませんでした。録画を開始しないでください。録画中であれば停止してください。〔${consentCite(meeting)}〕`,
          `${nameOf(meeting, String(data.personId))} did not agree to recording. Do not start recording; if it is running, stop it. [${consentCite(meeting)}]`,
        ),
      );
      break;
    case "consent-missing": {
      alert = true;
      const ids = Array.isArray(data.personIds) ? (data.personIds as string[]) : [];
      lines.push(
        t(
          `録画の同意に ${String(ids.length)} 人が回答していません（${ids.map((id) => nameOf(meeting, id)).join("、")}）。全員が同意するまで録画しないでください。〔${consentCite(meeting)}〕`,
          `${String(ids.length)} people have not answered the consent card (${ids.map((id) => nameOf(meeting, id)).join(", ")}). Do not record until everyone agrees. [${consentCite(meeting)}]`,
        ),
      );
      break;
    }
    case "recording-without-consent":
      alert = true;
      lines.push(
        t(
          `録画が作成されましたが、参加者全員の同意が確認できていません。録画を停止し、会議後に削除してください。〔${consentCite(meeting)}〕`,
          `A recording was made without everyone's consent being confirmed. Stop recording and delete it after the meeting. [${consentCite(meeting)}]`,
        ),
      );
      break;
    case "consent-complete":
      lines.push(
        t(
          `参加者全員が録画に同意しました。録画は主催者だけが行ってください。〔${consentCite(meeting)}〕`,
          `Everyone present agreed to recording. Only the organizer records. [${consentCite(meeting)}]`,
        ),
      );
      break;
    case "settings-drift": {
      const drift = Array.isArray(data.drift) ? (data.drift as { field: string }[]) : [];
      const mismatches = Array.isArray(data.mismatches)
        ? (data.mismatches as { field: string }[])
        : [];
      alert = mismatches.length > 0;
      if (drift.length > 0)
        lines.push(
          t(
            `開始時に設定が変わっていたため、区分の設定に戻しました: ${drift.map((d) => d.field).join(", ")}〔KWS 4(3)〕`,
            `Settings had changed by the start and were put back to the tier's: ${drift.map((d) => d.field).join(", ")} [KWS 4(3)]`,
          ),
        );
      if (mismatches.length > 0)
        lines.push(
          t(
            `次の設定は戻せませんでした。会議のオプションで確認してください: ${mismatches.map((m) => m.field).join(", ")}`,
            `These settings could not be put back; check the meeting options: ${mismatches.map((m) => m.field).join(", ")}`,
          ),
        );
      break;
    }
    case "settings-unverified":
      alert = true;
      lines.push(
        t(
          "開始時に会議の設定を確認できませんでした。会議のオプションでロビー等の設定を確認してください。",
          "The meeting's settings could not be checked at the start. Check the lobby and other options yourself.",
        ),
      );
      break;
    default:
      return undefined;
  }
  return fromTemplate(
    "meeting-notice",
    { meeting: meeting.title ?? meeting.id, alert, lines: lines.map((l) => l[lang]) },
    { id: `notice-${template}`, version: 1 },
  );
}
