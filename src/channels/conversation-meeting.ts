import { confirmDeleteCard, stillListedCard } from "../cards/recording-answers.js";
import { consentCard, rollCallCard } from "../cards/meeting.js";
import { noticeCard, refusalCard } from "../cards/notices.js";
import { organizerNotice } from "../cards/organizer-notices.js";
import { t } from "../text.js";
import { cleanupFields } from "../cards/fields.js";
import {
  badInput,
  idIn,
  route,
  type ConversationDeps,
  type Handler,
  type Run,
} from "./conversation-route.js";
import { inputProblem } from "./input-problems.js";
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
      fields: cleanupFields,
      again: async (turn, data) => {
        const id = idIn(data);
        const meeting = id ? await deps.readMeeting(turn.tenantId, id) : undefined;
        if (meeting?.organizerId !== turn.sender) return undefined;
        const devices = deps.devices ? await deps.devices(turn.tenantId) : [];
        const choices = devices.filter((d) => !d.retired).map(({ id, label }) => ({ id, label }));
        return organizerNotice("cleanup", meeting, turn.lang, { devices: choices });
      },
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
          const bad = [
            ...(device ? [] : [inputProblem("deviceId", input.deviceId, "not-a-choice")]),
            ...(input.userName ? [] : [inputProblem("userName", input.userName)]),
          ];
          if (!device || !input.userName) return badInput(...bad);
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
