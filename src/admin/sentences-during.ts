import {
  num,
  consentCite,
  tierCite,
  cleanupItem,
  type ActionKind,
  type SayEntry,
} from "./sentence-kit.js";

const people = (n: number) => `${String(n)} ${n === 1 ? "person" : "people"}`;

/** During and after the meeting: roll-call, consent, recordings, clean-up (R-ADMIT, R-REC, R-POST). */
export const duringSentences = {
  "meeting.started": (c) => ({
    ja: "会議が始まりました。主催者に参加者の確認（点呼）カードを送りました",
    en: "The meeting started; the organizer got the roll-call card",
    cite: c.policy.identityCheck.cite,
  }),
  "participant.joined": (c) =>
    c.payload.invited === false
      ? {
          ja: `招待されていない${c.about.ja}が参加しました。主催者に確認を求めました`,
          en: `${c.about.en}, who was not invited, joined; the organizer was asked to check`,
          cite: c.policy.identityCheck.cite,
        }
      : {
          ja: `${c.about.ja}が${c.payload.rejoin === true ? "再び" : ""}参加しました`,
          en: `${c.about.en} ${c.payload.rejoin === true ? "rejoined" : "joined"}`,
        },
  "participant.left": (c) => ({
    ja: `${c.about.ja}が退出しました`,
    en: `${c.about.en} left`,
  }),
  "lobby.admitted": (c) => ({
    ja: `${c.by.ja}が招待者${String(num(c.payload.admitted))}人をロビーから入室させました（待機のまま${String(num(c.payload.keptInLobby))}人）`,
    en: `${c.by.en} let ${String(num(c.payload.admitted))} invitees in from the lobby (${String(num(c.payload.keptInLobby))} kept waiting)`,
    cite: tierCite(c),
  }),
  "recording.announced": (c) => ({
    ja: `${c.by.ja}が録画を始めると知らせました`,
    en: `${c.by.en} announced a recording`,
    cite: c.policy.recording.consentMode.cite,
  }),
  "consent.requested": (c) => ({
    ja: `${String(num(c.payload.people))}人に録画への同意を求めました`,
    en: `Asked ${people(num(c.payload.people))} to consent to recording`,
    cite: c.policy.recording.consentMode.cite,
  }),
  "consent.answered": (c) =>
    c.payload.answer === "refuse"
      ? {
          ja: `${c.about.ja}が録画に同意しませんでした`,
          en: `${c.about.en} did not consent to recording`,
          cite: consentCite(c),
        }
      : {
          ja: `${c.about.ja}が録画に同意しました`,
          en: `${c.about.en} consented to recording`,
          cite: consentCite(c),
        },
  "recording.blocked": (c) =>
    c.payload.reason === "no-answer"
      ? {
          ja: `期限までに${String(num(c.payload.missing))}人が同意しなかったため、録画してはならないと主催者に伝えました`,
          en: `${people(num(c.payload.missing))} had not consented by the deadline; the organizer was told recording must not start or must stop`,
          cite: consentCite(c),
        }
      : {
          ja: "同意しない人がいるため、録画を始めない・止めるよう主催者に伝えました",
          en: "Someone refused consent; the organizer was told recording must not start or must stop",
          cite: consentCite(c),
        },
  "recording.created": (c) => ({
    ja: `録画が作成されました${c.payload.withoutConsent === true ? "（全員の同意がないため主催者に伝えました）" : ""}`,
    en: `A recording was made${c.payload.withoutConsent === true ? " (without everyone's consent: the organizer was told)" : ""}`,
    cite: c.policy.recording.consentMode.cite,
  }),
  "recording.deleted": (c) => ({
    ja: `${c.by.ja}が録画を削除し、サービス上から消えたことを確認しました`,
    en: `${c.by.en} deleted the recording; it is confirmed gone from the service`,
    cite: c.policy.reminders.cite,
  }),
  "meeting.ended": () => ({
    ja: "会議が終わりました",
    en: "The meeting ended",
  }),
  "cleanup.opened": (c) => ({
    ja: `会議後の確認事項（${String(num(c.payload.items))}件）を主催者に送りました`,
    en: `Sent the organizer the after-meeting checklist (${String(num(c.payload.items))} items)`,
    cite: c.policy.reminders.cite,
  }),
  "reminder.sent": (c) => ({
    ja: `主催者にお知らせを再送しました（${String(num(c.payload.n))}回目、未完了${String(num(c.payload.open))}件）`,
    en: `Reminded the organizer (reminder ${String(num(c.payload.n))}, ${String(num(c.payload.open))} items open)`,
    cite: c.policy.reminders.cite,
  }),
  "cleanup.confirmed": (c) => {
    const item = cleanupItem(c);
    return {
      ja: `${c.by.ja}が「${item.ja}」の完了を確認しました`,
      en: `${c.by.en} confirmed: ${item.en}`,
      cite: item.cite,
    };
  },
  "meeting.closed": (c) => ({
    ja: `会議後の確認事項（${String(num(c.payload.cleanup))}件）がすべて完了しました`,
    en: `Every after-meeting item (${String(num(c.payload.cleanup))}) is done`,
    cite: c.policy.reminders.cite,
  }),
} satisfies Partial<Record<ActionKind, SayEntry>>;
