import type { ErrorCode } from "../errors.js";
import { t, type Locale, type Text } from "../text.js";
import type { NeutralCard } from "./card.js";
import { fromTemplate } from "./template.js";

/** What a person is told when the bot refuses an answer; nothing changed in each case. */
const refusals: Partial<Record<ErrorCode, Text>> = {
  NOT_ORGANIZER: t(
    "このカードには会議の主催者だけが回答できます。何も変更していません。",
    "Only the meeting's organizer can answer this card. Nothing was changed.",
  ),
  SELF_APPROVAL_FORBIDDEN: t(
    "申請者は自分の申請を承認できません（KSS 第2章1(11)ア 兼務の禁止）。何も変更していません。",
    "You cannot approve your own request (KSS 第2章1(11)ア). Nothing was changed.",
  ),
  NOT_APPROVER: t(
    "この承認には、ポリシーで指定された承認者だけが回答できます。何も変更していません。",
    "Only the approver named in the policy can answer this approval. Nothing was changed.",
  ),
  NOT_ADDRESSEE: t(
    "このカードはあなた宛てではないため、回答できません。何も変更していません。",
    "This card was not sent to you, so you cannot answer it. Nothing was changed.",
  ),
  APPROVAL_NOT_PENDING: t(
    "この承認はすでに回答済みです。何も変更していません。",
    "This approval was already answered. Nothing was changed.",
  ),
  ILLEGAL_TRANSITION: t(
    "このカードは古いか、すでに回答済みです。何も変更していません。",
    "This card is out of date or was already answered. Nothing was changed.",
  ),
  MEETING_NOT_FOUND: t(
    "この会議は見つかりません。何も変更していません。",
    "This meeting cannot be found. Nothing was changed.",
  ),
  BAD_ARGUMENT: t("入力内容を確認してください。", "Please check what you entered."),
  STORE_UNAVAILABLE: t(
    "記録ができないため、この操作は行いませんでした。しばらくしてからもう一度お試しください。",
    "The action could not be recorded, so it was not carried out. Please try again shortly.",
  ),
  STORE_WRITE_FAILED: t(
    "記録ができないため、この操作は行いませんでした。管理者に連絡してください。",
    "The action could not be recorded, so it was not carried out. Please tell the administrator.",
  ),
};

const fallback = t("この操作は行いませんでした。", "The action was not carried out.");

/** The sentence a person is shown for a refusal code (cards and the admin console alike). */
export const refusalText = (code: ErrorCode): Text => refusals[code] ?? fallback;

export function refusalCard(code: ErrorCode, lang: Locale, detail?: string): NeutralCard {
  return fromTemplate(
    "refusal",
    { title: refusalText(code)[lang], detail: detail ? [detail] : [], code },
    { id: "refusal", version: 1 },
  );
}

export function noticeCard(message: Text, lang: Locale): NeutralCard {
  return fromTemplate("notice", { message: message[lang] }, { id: "notice", version: 1 });
}
