import { t, type Text } from "../text.js";
import type { FieldTable } from "./input-problems.js";
import { strings as s } from "./strings.js";

/** A yes/no box: only on or off can be wrong about it. */
const toggle = (label: Text) => ({
  label,
  choice: true,
  invalid: () =>
    t(`「${label.ja}」はオンかオフで答えてください。`, `"${label.en}" is either on or off.`),
});

/**
 * The inputs of each card a person fills in, named as the person reads them. A field of the card
 * data not listed here is the card's own (requestId, kind…), not the person's to fix.
 */
export const scheduleFields: FieldTable = {
  title: { label: s.title },
  date: {
    label: s.date,
    invalid: (v) => t(`日付が正しくありません${v.ja}`, `The date is not valid${v.en}`),
  },
  time: {
    label: s.time,
    invalid: (v) =>
      t(
        `開始時刻は 00:00〜23:59 で入力してください${v.ja}`,
        `Enter the start time as 00:00–23:59${v.en}`,
      ),
  },
  duration: {
    label: s.duration,
    invalid: (v) =>
      t(
        `時間（分）は 5〜1440 の整数で入力してください${v.ja}`,
        `Enter the duration as whole minutes from 5 to 1440${v.en}`,
      ),
  },
  service: { label: s.service, choice: true },
  invitees: {
    label: t("参加者", "Invitees"),
    invalid: (v) =>
      t(
        `参加者のメールアドレスが正しくありません${v.ja}`,
        `An invitee's mail address is not valid${v.en}`,
      ),
  },
  department: { label: t("所属", "Department"), choice: true },
  external: toggle(s.external),
  personalInfo: toggle(s.personalInfo),
  recording: toggle(s.recording),
  departmentDevice: toggle(s.device),
  committee: toggle(t("審議会・委員会等", "Committee")),
  fallbackContact: { label: t("接続障害時の連絡手段", "Contact for connection failure") },
};

export const tierFields: FieldTable = {
  tier: { label: t("機密性区分", "Confidentiality tier"), choice: true },
};

export const approvalFields: FieldTable = {
  tier: { label: t("機密性区分", "Confidentiality tier"), choice: true },
  reason: { label: t("理由", "Reason") },
};

export const incidentFields: FieldTable = {
  kind: { label: t("何が起きたか", "What happened"), choice: true },
  meeting: { label: t("会議（名称または日時）", "Meeting (title or date)") },
  description: { label: t("状況", "What you saw") },
};

export const cleanupFields: FieldTable = {
  deviceId: { label: t("使用した端末", "Device used"), choice: true },
  userName: { label: t("使用者の氏名", "Name of the person who used it") },
};
