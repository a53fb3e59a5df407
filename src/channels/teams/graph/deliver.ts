import type { Governor } from "../../../governor/governor.js";
import type { Meeting } from "../../../meetings/types.js";
import type { MeetingSettings } from "../../../policy/verdict.js";
import type { Database } from "../../../store/db.js";
import type { DeliveryResult, OutboxItem } from "../../../store/outbox/outbox.js";
import { readMeeting } from "../../../store/repos/meetings.js";
import { reportPlatformResult } from "../../platform-result.js";
import { OWN_TRANSACTION_PREFIX } from "./calendar-events.js";
import type { GraphClient } from "./client.js";
import type { recordingWatch } from "./recording-watch.js";
import { compareReadBack, toOnlineMeetingPatch } from "./settings-map.js";

/** Japan time without an offset, as Graph takes it with `timeZone: "Tokyo Standard Time"`. */
const tokyoLocal = (iso: string) =>
  new Date(new Date(iso).getTime() + 9 * 3_600_000).toISOString().slice(0, 19);

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/**
 * Creates the Teams meeting a scheduled meeting needs: a calendar event with an online meeting
 * (so recordings and transcripts are reachable later), the tier's settings PATCHed onto it, read
 * back and compared. The outcome goes back through the governor, which logs it and tells the
 * organizer — including any setting that did not stick (R-SET 6).
 */
export function graphMeetingDeliverer(
  graphFor: (tenantId: string) => GraphClient,
  governor: Governor,
  db: Database,
  /** With a notification URL: recordings reported by Graph (R-REC 3); without, nothing to watch. */
  recordings?: ReturnType<typeof recordingWatch>,
) {
  return async (item: OutboxItem): Promise<DeliveryResult> => {
    const payload = item.payload as {
      meetingId: string;
      action: string;
      settings?: MeetingSettings;
      recordingId?: string;
    };
    const action = payload.action;
    if (action === "watch-recordings" || action === "recording-reported") {
      const meeting = await readMeeting(db.kysely, item.tenantId, payload.meetingId);
      if (!meeting) return { ok: false, permanent: true, error: "MEETING_NOT_FOUND" };
      if (!recordings) return { ok: true };
      return action === "watch-recordings"
        ? recordings.watch(item.tenantId, meeting)
        : recordings.reported(item.tenantId, meeting.id, payload.recordingId ?? "");
    }
    if (
      (action !== "create-meeting" &&
        action !== "apply-settings" &&
        action !== "verify-settings") ||
      !payload.settings
    ) {
      return { ok: false, permanent: true, error: `NO_DELIVERER: platform ${action}` };
    }
    const meeting = await readMeeting(db.kysely, item.tenantId, payload.meetingId);
    if (!meeting) return { ok: false, permanent: true, error: "MEETING_NOT_FOUND" };
    if (action === "create-meeting" && meeting.platformMeeting) return { ok: true };
    // A meeting the bot neither created nor caught has nothing of ours to verify.
    if (action === "verify-settings" && !meeting.platformMeeting) return { ok: true };
    const graph = graphFor(item.tenantId);
    const settings = payload.settings;
    await reportPlatformResult(governor, item, meeting.id, "graph", action, () =>
      action === "create-meeting"
        ? create(graph, meeting, settings, item.idempotencyKey)
        : action === "verify-settings"
          ? verifySettings(graph, meeting, settings)
          : applySettings(graph, meeting, settings),
    );
    return { ok: true };
  };
}

/**
 * At the start (R-SET 6): the meeting is read again; what drifted from the tier's settings since
 * they were applied is PATCHed back and read back once more.
 */
async function verifySettings(graph: GraphClient, meeting: Meeting, settings: MeetingSettings) {
  const existing = meeting.platformMeeting;
  if (!existing) return { error: "the meeting has no platform meeting to verify" };
  const organizer = meeting.organizerId.replace(/^aad:/, "");
  const patch = toOnlineMeetingPatch(settings);
  const now = await graph.getOnlineMeeting(organizer, existing.id);
  const drift = compareReadBack(patch, now);
  if (drift.length === 0)
    return { joinUrl: existing.joinUrl, platformMeetingId: existing.id, mismatches: [], drift };
  const again = await patchAndReadBack(graph, organizer, existing.id, existing.joinUrl, settings);
  return { ...again, drift };
}

async function create(
  graph: GraphClient,
  meeting: Meeting,
  settings: MeetingSettings,
  key: string,
) {
  const organizer = meeting.organizerId.replace(/^aad:/, "");
  const notice =
    meeting.verdict?.notice.map((n) => `<p>${escapeHtml(n.text.ja)}</p>`).join("") ?? "";
  const event = await graph.createEvent(organizer, {
    subject: meeting.title ?? meeting.id,
    bodyHtml: notice,
    start: tokyoLocal(meeting.startsAt ?? new Date().toISOString()),
    end: tokyoLocal(meeting.endsAt ?? meeting.startsAt ?? new Date().toISOString()),
    timeZone: "Tokyo Standard Time",
    attendees: (meeting.invitees ?? []).map((address) => ({ address })),
    transactionId: `${OWN_TRANSACTION_PREFIX}${key}`,
  });
  const joinUrl = event.onlineMeeting?.joinUrl;
  if (!joinUrl) return { error: "the event has no online meeting" };
  const online = await graph.findOnlineMeetingByJoinUrl(organizer, joinUrl);
  if (!online) return { error: "the online meeting was not found by its join URL" };
  return patchAndReadBack(graph, organizer, online.id, joinUrl, settings);
}

/** A meeting caught in the calendar: the tier's settings go onto the meeting that exists. */
async function applySettings(graph: GraphClient, meeting: Meeting, settings: MeetingSettings) {
  const existing = meeting.platformMeeting;
  if (!existing) return { error: "the meeting has no platform meeting to apply settings to" };
  const organizer = meeting.organizerId.replace(/^aad:/, "");
  return patchAndReadBack(graph, organizer, existing.id, existing.joinUrl, settings);
}

async function patchAndReadBack(
  graph: GraphClient,
  organizer: string,
  onlineMeetingId: string,
  joinUrl: string,
  settings: MeetingSettings,
) {
  const patch = toOnlineMeetingPatch(settings);
  await graph.patchOnlineMeeting(organizer, onlineMeetingId, patch);
  const back = await graph.getOnlineMeeting(organizer, onlineMeetingId);
  return { joinUrl, platformMeetingId: onlineMeetingId, mismatches: compareReadBack(patch, back) };
}

/** R-POST 2: how many recordings and transcripts Graph still lists for the meeting. */
export async function meetingArtifacts(graph: GraphClient, meeting: Meeting) {
  const online = meeting.platformMeeting;
  if (!online) return { recordings: 0, transcripts: 0 };
  const organizer = meeting.organizerId.replace(/^aad:/, "");
  const [recordings, transcripts] = await Promise.all([
    graph.listRecordings(organizer, online.id),
    graph.listTranscripts(organizer, online.id),
  ]);
  return { recordings: recordings.length, transcripts: transcripts.length };
}
