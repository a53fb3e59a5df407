import type { MeetingSettings } from "../../../policy/verdict.js";
import type { WebexMeeting } from "./schemas.js";

/** The Webex meeting options a verdict's settings map to (POST/PUT /meetings). */
export interface WebexMeetingOptions {
  unlockedMeetingJoinSecurity: "allowJoin" | "allowJoinWithLobby" | "blockFromJoin";
  enableAutomaticLock: boolean;
  automaticLockMinutes?: number;
  enabledJoinBeforeHost: boolean;
  enableConnectAudioBeforeHost: boolean;
  enabledAutoRecordMeeting: boolean;
  allowAnyUserToBeCoHost: boolean;
  allowFirstUserToBeCoHost: boolean;
  publicMeeting: boolean;
}

/**
 * Tier settings → Webex options. With the lobby on, uninvited people wait in the lobby and the
 * meeting locks as soon as it starts, so only the host admits (KWS 4(3)ア,イ; MWG 5(2)4).
 */
export function toWebexOptions(settings: MeetingSettings): WebexMeetingOptions {
  const lobby = settings.lobby.value.enabled;
  return {
    unlockedMeetingJoinSecurity: lobby ? "allowJoinWithLobby" : "allowJoin",
    enableAutomaticLock: lobby,
    ...(lobby ? { automaticLockMinutes: 0 } : {}),
    enabledJoinBeforeHost: false,
    enableConnectAudioBeforeHost: false,
    enabledAutoRecordMeeting: settings.autoRecord.value,
    allowAnyUserToBeCoHost: false,
    allowFirstUserToBeCoHost: false,
    publicMeeting: false,
  };
}

export interface WebexMismatch {
  field: keyof WebexMeetingOptions;
  wanted: unknown;
  actual: unknown;
}

export function compareWebexReadBack(
  wanted: WebexMeetingOptions,
  actual: WebexMeeting,
): WebexMismatch[] {
  return (Object.keys(wanted) as (keyof WebexMeetingOptions)[])
    .filter((field) => wanted[field] !== actual[field])
    .map((field) => ({ field, wanted: wanted[field], actual: actual[field] ?? null }));
}
