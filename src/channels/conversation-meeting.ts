import { text, type NeutralCard } from "../cards/card.js";
import { consentCard, rollCallCard } from "../cards/meeting.js";
import { noticeCard, refusalCard } from "../cards/notices.js";
import { organizerNotice } from "../cards/organizer-notices.js";
import type { Meeting } from "../meetings/types.js";
import { t, type Locale } from "../text.js";
import { route, type ConversationDeps, type Handler, type Run } from "./conversation-route.js";
import {
  cleanupInputSchema,
  consentInputSchema,
  recordingInputSchema,
  requestInputSchema,
} from "./inputs.js";

/**
 * The card verbs of a meeting under way and after it: the lobby, consent, roll call, recordings
 * and the cleanup checklist (R-ADMIT, R-REC, R-POST, R-DEV).
 */
export function meetingActions(deps: ConversationDeps, run: Run): Record<string, Handler> {
  return {
    "lobby.admit": route({
      schema: requestInputSchema,
      handle: async (turn, input) => {
        const meeting = await deps.readMeeting(turn.tenantId, input.requestId);
        if (meeting?.organizerId !== turn.sender)
          return refusalCard(meeting ? "NOT_ORGANIZER" : "MEETING_NOT_FOUND", turn.lang);
        if (!deps.admitInvitees)
          return noticeCard(
            t(
              "このサービスでは、会議の画面でロビーの参加者を確認して許可してください。〔KWS 4(3)イ〕",
              "On this service, check the people in the lobby in the meeting window and admit them there. [KWS 4(3)イ]",
            ),
            turn.lang,
          );
        const result = await deps.admitInvitees(meeting);
        return run(turn, input.requestId, { type: "lobby-admitted", ...result }, () =>
          noticeCard(
            t(
              `招待者 ${String(result.admitted)} 人を入室させました。招待されていない ${String(result.kept)} 人はロビーのままです。〔MWG 5(2)4〕`,
              `Admitted ${String(result.admitted)} invitee(s); ${String(result.kept)} uninvited person(s) stay in the lobby. [MWG 5(2)4]`,
            ),
            turn.lang,
          ),
        );
      },
    }),
    "recording.delete": route({
      schema: recordingInputSchema,
      handle: async (turn, input) => {
        const meeting = await deps.readMeeting(turn.tenantId, input.requestId);
        if (meeting?.organizerId !== turn.sender)
          return refusalCard(meeting ? "NOT_ORGANIZER" : "MEETING_NOT_FOUND", turn.lang);
        return confirmDeleteCard(meeting, input.recordingId, turn.lang);
      },
    }),
    "recording.delete.confirm": route({
      schema: recordingInputSchema,
      handle: async (turn, input) => {
        const meeting = await deps.readMeeting(turn.tenantId, input.requestId);
        if (meeting?.organizerId !== turn.sender)
          return refusalCard(meeting ? "NOT_ORGANIZER" : "MEETING_NOT_FOUND", turn.lang);
        const recordings = deps.recordings;
        if (!recordings) return refusalCard("BAD_ARGUMENT", turn.lang, "recording.delete");
        await recordings.remove(meeting, input.recordingId);
        const still = (await recordings.list(meeting)).some((r) => r.id === input.recordingId);
        if (still)
          return noticeCard(
            t(
              "削除を依頼しましたが、まだ一覧に残っています。しばらくしてから確認してください。",
              "Deletion was requested but the recording is still listed. Please check again shortly.",
            ),
            turn.lang,
          );
        return run(
          turn,
          input.requestId,
          { type: "recording-deleted", recordingId: input.recordingId },
          () =>
            noticeCard(
              t(
                "録画を削除しました。一覧から消えたことを確認しました。〔KWS 4(4)〕",
                "The recording was deleted, and it is no longer listed. [KWS 4(4)]",
              ),
              turn.lang,
            ),
        );
      },
    }),
    "consent.view": route({
      schema: requestInputSchema,
      handle: async (turn, input) => {
        const meeting = await deps.readMeeting(turn.tenantId, input.requestId);
        if (!meeting) return refusalCard("MEETING_NOT_FOUND", turn.lang);
        return consentCard(meeting, turn.lang, turn.sender);
      },
    }),
    "consent.answer": route({
      schema: consentInputSchema,
      handle: (turn, input) =>
        run(
          turn,
          input.requestId,
          { type: "consent-answered", answer: input.answer, cardVersion: input.cardVersion },
          ({ meeting }) => consentCard(meeting, turn.lang, turn.sender),
        ),
    }),
    "rollcall.refresh": route({
      schema: requestInputSchema,
      handle: async (turn, input) => {
        const meeting = await deps.readMeeting(turn.tenantId, input.requestId);
        if (meeting?.organizerId !== turn.sender)
          return refusalCard(meeting ? "NOT_ORGANIZER" : "MEETING_NOT_FOUND", turn.lang);
        return rollCallCard(meeting, turn.lang);
      },
    }),
    "recording.announce": route({
      schema: requestInputSchema,
      handle: (turn, input) =>
        run(turn, input.requestId, { type: "recording-announced" }, ({ meeting }) =>
          rollCallCard(meeting, turn.lang),
        ),
    }),
    "cleanup.confirm": route({
      schema: cleanupInputSchema,
      handle: async (turn, input) => {
        const meeting = await deps.readMeeting(turn.tenantId, input.requestId);
        if (!meeting) return refusalCard("MEETING_NOT_FOUND", turn.lang);
        const item = meeting.verdict?.cleanup.find((c) => c.id === input.itemId);
        const moved = input.moved === "true";
        let evidence: "organizer" | "platform-empty" | "organizer-moved" = "organizer";
        if (item?.verifiedBy === "platform-or-organizer" && deps.artifacts) {
          if (meeting.organizerId !== turn.sender) return refusalCard("NOT_ORGANIZER", turn.lang);
          const left = await deps.artifacts(meeting);
          if (left.recordings + left.transcripts > 0 && !moved)
            return stillListedCard(meeting, input.itemId, left, turn.lang);
          evidence = left.recordings + left.transcripts > 0 ? "organizer-moved" : "platform-empty";
        }
        let deviceUse: { deviceId: string; department: string; userName: string } | undefined;
        if (input.itemId === DEVICE_LOGBOOK && deps.devices) {
          const device = (await deps.devices(turn.tenantId)).find(
            (d) => d.id === input.deviceId && !d.retired,
          );
          if (!device) return refusalCard("BAD_ARGUMENT", turn.lang, "deviceId");
          if (!input.userName) return refusalCard("BAD_ARGUMENT", turn.lang, "userName");
          deviceUse = {
            deviceId: device.id,
            department: meeting.department ?? device.department,
            userName: input.userName,
          };
        }
        return run(
          turn,
          input.requestId,
          {
            type: "confirm-cleanup",
            itemId: input.itemId,
            evidence,
            ...(deviceUse ? { deviceUse } : {}),
          },
          ({ meeting: after }) =>
            organizerNotice(
              after.state === "closed" ? "cleanup-complete" : "cleanup",
              after,
              turn.lang,
              {},
            ) ?? refusalCard("ILLEGAL_TRANSITION", turn.lang),
        );
      },
    }),
  };
}

/** The cleanup item that writes the device logbook (KWS 要綱第5条(3), MWG 7(1)). */
const DEVICE_LOGBOOK = "device-logbook";

/** R-POST 2: the platform still lists recordings or transcripts; the item stays open. */
function stillListedCard(
  meeting: Meeting,
  itemId: string,
  left: { recordings: number; transcripts: number },
  lang: Locale,
): NeutralCard {
  return {
    id: "cleanup-still-listed",
    version: 1,
    body: [
      text(
        t(
          `Teams にはまだ録画 ${String(left.recordings)} 件・文字起こし ${String(left.transcripts)} 件が残っています。削除してからもう一度「完了」を押してください。別の安全な場所へ移動した場合は「移動した」を押してください。〔KWS 4(4)〕`,
          `Teams still lists ${String(left.recordings)} recording(s) and ${String(left.transcripts)} transcript(s). Delete them and press Done again, or press Moved if you moved them to another safe place. [KWS 4(4)]`,
        )[lang],
        { color: "Attention", weight: "Bolder" },
      ),
      text(meeting.title ?? meeting.id, { isSubtle: true }),
    ],
    actions: [
      {
        verb: "cleanup.confirm",
        title: t("完了（削除した）", "Done (deleted)")[lang],
        data: { requestId: meeting.id, itemId },
      },
      {
        verb: "cleanup.confirm",
        title: t("移動した", "Moved")[lang],
        data: { requestId: meeting.id, itemId, moved: "true" },
      },
    ],
  };
}

/** R-POST 2: deleting a recording cannot be undone, so the organizer confirms it first. */
function confirmDeleteCard(meeting: Meeting, recordingId: string, lang: Locale): NeutralCard {
  return {
    id: "recording-delete",
    version: 1,
    body: [
      text(
        t(
          "この録画を削除します。削除すると元に戻せません。よろしいですか。",
          "This recording will be deleted. This cannot be undone. Continue?",
        )[lang],
        { weight: "Bolder", color: "Attention" },
      ),
      text(`${meeting.title ?? meeting.id} / ${recordingId}`, { isSubtle: true }),
    ],
    actions: [
      {
        verb: "recording.delete.confirm",
        title: t("削除する", "Delete")[lang],
        data: { requestId: meeting.id, recordingId },
        style: "destructive",
      },
    ],
  };
}
