import { t } from "../text.js";
import type { Capability, Policy, TierRule } from "./schema.js";
import type { MeetingSettings, Setting, VerdictItem } from "./verdict.js";

export interface SettingsOutcome {
  settings: MeetingSettings;
  refusals: VerdictItem[];
  warnings: VerdictItem[];
}

const onOff = (on: boolean, what: { ja: string; en: string }) =>
  t(`${what.ja}: ${on ? "オン" : "オフ"}`, `${what.en}: ${on ? "on" : "off"}`);

/** The settings the meeting must carry (R-SET), from the tier rule and the service's table row. */
export function buildSettings(
  policy: Policy,
  rule: TierRule,
  cap: Capability,
  e2e: Setting<boolean>,
): SettingsOutcome {
  const refusals: VerdictItem[] = [];
  const warnings: VerdictItem[] = [];
  if (rule.lobby.enabled && !cap.waitingRoom) {
    const item: VerdictItem = {
      code: cap.forcedRemoval ? "lobby-unavailable-use-removal" : "lobby-unavailable",
      cite: rule.lobby.cite,
      text: cap.forcedRemoval
        ? t(
            `${cap.label.ja}には待合室がありません。予定した参加者以外の者は主催者が強制退室させてください。`,
            `${cap.label.en} has no lobby. The organizer must remove anyone who was not invited.`,
          )
        : t(
            `${cap.label.ja}には待合室も強制退室もないため、予定した参加者以外の参加を防げません。`,
            `${cap.label.en} has neither a lobby nor forced removal, so uninvited people cannot be kept out.`,
          ),
    };
    (cap.forcedRemoval ? warnings : refusals).push(item);
  }
  const recordingAllowed =
    cap.recording && (rule.e2e === "desirable" || (cap.ismap && cap.japanRegion));
  const tableCite = cap.cite;
  const settings: MeetingSettings = {
    lobby: {
      value: { enabled: rule.lobby.enabled && cap.waitingRoom, bypass: rule.lobby.bypass },
      cite: rule.lobby.cite,
      text: rule.lobby.text,
    },
    e2e,
    recording: {
      value: recordingAllowed,
      cite: rule.recordingCite,
      text: onOff(
        recordingAllowed,
        t("録画の利用（主催者が開始）", "Recording may be used (started by the organizer)"),
      ),
    },
    transcription: {
      value: recordingAllowed,
      cite: rule.recordingCite,
      text: onOff(recordingAllowed, t("文字起こしの利用", "Transcription may be used")),
    },
    autoRecord: {
      value: policy.recording.autoRecord.value,
      cite: policy.recording.autoRecord.cite,
      text: policy.recording.autoRecord.text,
    },
    fileTransfer: {
      value: policy.fileTransfer.allowed && cap.fileTransfer,
      cite: policy.fileTransfer.cite,
      text: policy.fileTransfer.text,
    },
    chat: {
      value: cap.chat,
      cite: tableCite,
      text: onOff(cap.chat, t("会議チャット", "Meeting chat")),
    },
    screenShare: {
      value: cap.screenShare,
      cite: tableCite,
      text: onOff(cap.screenShare, t("画面共有", "Screen sharing")),
    },
    presenters: {
      value: rule.presenters.value,
      cite: rule.presenters.cite,
      text: rule.presenters.text,
    },
    identityCheck: {
      value: rule.identityCheckAtStart,
      cite: policy.identityCheck.cite,
      text: policy.identityCheck.text,
    },
  };
  return { settings, refusals, warnings };
}
