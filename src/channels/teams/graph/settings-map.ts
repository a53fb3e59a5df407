import type { MeetingSettings } from "../../../policy/verdict.js";
import type { OnlineMeeting } from "./schemas.js";

/** The onlineMeeting fields a verdict's settings map to (Graph `onlineMeeting` resource). */
export interface OnlineMeetingPatch {
  lobbyBypassSettings: {
    scope: "organizer" | "invited" | "organization" | "everyone";
    isDialInBypassEnabled: boolean;
  };
  allowedLobbyAdmitters: "organizerAndCoOrganizers" | "organizerAndCoOrganizersAndPresenters";
  allowedPresenters: "organizer" | "roleIsPresenter" | "everyone";
  allowRecording: boolean;
  allowTranscription: boolean;
  recordAutomatically: boolean;
  allowMeetingChat: "enabled" | "disabled" | "limited";
  allowCopyingAndSharingMeetingContent: boolean;
}

/**
 * Tier settings → PATCH body. The lobby "off" case still lets everyone in (scope everyone);
 * dial-in callers never bypass a lobby that is on (they cannot be checked against invitations).
 */
export function toOnlineMeetingPatch(settings: MeetingSettings): OnlineMeetingPatch {
  const lobby = settings.lobby.value;
  const presenters = settings.presenters.value;
  return {
    lobbyBypassSettings: {
      scope: lobby.enabled ? lobby.bypass : "everyone",
      isDialInBypassEnabled: !lobby.enabled,
    },
    allowedLobbyAdmitters: lobby.enabled
      ? "organizerAndCoOrganizers"
      : "organizerAndCoOrganizersAndPresenters",
    allowedPresenters:
      presenters === "organizer"
        ? "organizer"
        : presenters === "invited"
          ? "roleIsPresenter"
          : "everyone",
    allowRecording: settings.recording.value,
    allowTranscription: settings.transcription.value,
    recordAutomatically: settings.autoRecord.value,
    allowMeetingChat: settings.chat.value ? "limited" : "disabled",
    allowCopyingAndSharingMeetingContent: settings.fileTransfer.value,
  };
}

export interface SettingMismatch {
  field: string;
  wanted: unknown;
  actual: unknown;
}

/** What the platform reports back that differs from what we asked (R-SET 6: never assumed). */
export function compareReadBack(
  wanted: OnlineMeetingPatch,
  actual: OnlineMeeting,
): SettingMismatch[] {
  const pairs: [string, unknown, unknown][] = [
    [
      "lobbyBypassSettings.scope",
      wanted.lobbyBypassSettings.scope,
      actual.lobbyBypassSettings?.scope,
    ],
    [
      "lobbyBypassSettings.isDialInBypassEnabled",
      wanted.lobbyBypassSettings.isDialInBypassEnabled,
      actual.lobbyBypassSettings?.isDialInBypassEnabled,
    ],
    ["allowedLobbyAdmitters", wanted.allowedLobbyAdmitters, actual.allowedLobbyAdmitters],
    ["allowedPresenters", wanted.allowedPresenters, actual.allowedPresenters],
    ["allowRecording", wanted.allowRecording, actual.allowRecording],
    ["allowTranscription", wanted.allowTranscription, actual.allowTranscription],
    ["recordAutomatically", wanted.recordAutomatically, actual.recordAutomatically],
    ["allowMeetingChat", wanted.allowMeetingChat, actual.allowMeetingChat],
    [
      "allowCopyingAndSharingMeetingContent",
      wanted.allowCopyingAndSharingMeetingContent,
      actual.allowCopyingAndSharingMeetingContent,
    ],
  ];
  return pairs
    .filter(([, w, a]) => w !== a)
    .map(([field, w, a]) => ({ field, wanted: w, actual: a ?? null }));
}
