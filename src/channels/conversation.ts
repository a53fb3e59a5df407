import type { z } from "zod";
import { text, type NeutralCard } from "../cards/card.js";
import { helpCard, scheduleCard, tierCard, verdictCard } from "../cards/organizer.js";
import { noticeCard, refusalCard } from "../cards/notices.js";
import { KaigiError } from "../errors.js";
import type { Governor, Outcome } from "../governor/governor.js";
import type { Envelope, GovernorInput } from "../governor/inputs.js";
import type { Logger } from "../logger.js";
import type { Policy } from "../policy/schema.js";
import { t, type Locale } from "../text.js";
import { consentCard, rollCallCard } from "../cards/meeting.js";
import { incidentCard, incidentReceiptCard } from "../cards/incident.js";
import { organizerNotice } from "../cards/organizer-notices.js";
import type { Meeting } from "../meetings/types.js";
import {
  approvalInputSchema,
  cleanupInputSchema,
  consentInputSchema,
  recordingInputSchema,
  incidentInputSchema,
  meetingTimes,
  requestInputSchema,
  scheduleInputSchema,
  tierInputSchema,
} from "./inputs.js";

/** What the conversation needs, whatever the channel. */
export interface ConversationDeps {
  governor: Governor;
  policyFor: (tenantId: string) => Policy;
  newId: () => string;
  logger: Logger;
  readMeeting: (tenantId: string, meetingId: string) => Promise<Meeting | undefined>;
  /** What the platform still keeps of a meeting (R-POST 2); absent when it cannot be asked. */
  artifacts?: (meeting: Meeting) => Promise<{ recordings: number; transcripts: number }>;
  /** Recordings the platform lets the bot list and delete (Webex; R-POST 2). */
  recordings?: {
    list: (meeting: Meeting) => Promise<{ id: string; label: string }[]>;
    remove: (meeting: Meeting, recordingId: string) => Promise<void>;
  };
  /** Lets the invitees waiting in the lobby in, and only them (Webex; R-SET 1, MWG 5(2)4). */
  admitInvitees?: (meeting: Meeting) => Promise<{ admitted: number; kept: number }>;
  /** The tenant's department devices (R-DEV), for the logbook item of the cleanup card. */
  devices?: (tenantId: string) => Promise<{ id: string; department: string; retired: boolean }[]>;
}

/**
 * Who is acting, as the channel authenticated them (never taken from card data), and the
 * inbound event's own id, which makes handling it idempotent.
 */
export interface Turn {
  tenantId: string;
  sender: string;
  lang: Locale;
  eventId: string;
  /** Whom the answered card was sent to, when the channel records it (Webex). */
  addressee?: string;
}

type Handler = (turn: Turn, data: unknown) => Promise<NeutralCard>;

/** A card action: its verb, the shape of its data, and what it does (STYLE 4: routing is data). */
interface ActionRoute<S extends z.ZodType> {
  schema: S;
  handle: (turn: Turn, input: z.infer<S>) => Promise<NeutralCard>;
}

const route =
  <S extends z.ZodType>(r: ActionRoute<S>): Handler =>
  async (turn, data) => {
    const parsed = r.schema.safeParse(data);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join(".")))].join(", ");
      return refusalCard("BAD_ARGUMENT", turn.lang, fields);
    }
    return r.handle(turn, parsed.data);
  };

/** Text commands in a personal chat; patterns need no spaces around Japanese words. */
const commands: { match: RegExp; card: (turn: Turn, deps: ConversationDeps) => NeutralCard }[] = [
  {
    match: /^\s*(予約|よやく|schedule)\s*$/i,
    card: (turn, deps) => scheduleCard(deps.policyFor(turn.tenantId), turn.lang, deps.newId()),
  },
  { match: /^\s*(ヘルプ|help|\?|？)\s*$/i, card: (turn) => helpCard(turn.lang) },
  {
    match: /^\s*(インシデント|incident)\s*$/i,
    card: (turn, deps) => incidentCard(turn.lang, deps.newId()),
  },
];

/**
 * The organizer's, approver's and participant's side of the conversation, channel-neutral: a
 * card answer (verb + data) or a text command becomes a governor event under the sender's
 * identity, and the answer is a card. Teams and Webex render and carry it.
 */
export function conversation(deps: ConversationDeps) {
  const envelope = (turn: Turn, meetingId: string): Envelope => ({
    eventId: turn.eventId,
    tenantId: turn.tenantId,
    meetingId,
    actor: turn.sender,
    ...(turn.addressee === undefined ? {} : { addressee: turn.addressee }),
  });
  const run = async (
    turn: Turn,
    meetingId: string,
    input: GovernorInput,
    onDone: (o: Extract<Outcome, { status: "done" }>) => NeutralCard,
  ) => {
    const outcome = await deps.governor.handle(envelope(turn, meetingId), input);
    if (outcome.status === "rejected") return refusalCard(outcome.code, turn.lang);
    if (outcome.status === "duplicate")
      return noticeCard(
        t("この回答は受け付け済みです。", "This answer was already received."),
        turn.lang,
      );
    return onDone(outcome);
  };

  const actions: Record<string, Handler> = {
    "schedule.open": (turn) =>
      Promise.resolve(scheduleCard(deps.policyFor(turn.tenantId), turn.lang, deps.newId())),
    "schedule.submit": route({
      schema: scheduleInputSchema,
      handle: (turn, input) => {
        const meetingId = deps.newId();
        const { title, service, invitees, external, personalInfo, recording, departmentDevice } =
          input;
        const { department, fallbackContact, committee } = input;
        const departments = deps.policyFor(turn.tenantId).directory?.departments;
        if (departments && !(department && Object.hasOwn(departments, department)))
          return Promise.resolve(refusalCard("BAD_ARGUMENT", turn.lang, "department"));
        const plan = {
          service,
          participants: invitees.length + 1,
          external,
          externalHost: false,
          personalInfo,
          recording,
          transcription: false,
          departmentDevice,
        };
        return run(
          turn,
          meetingId,
          {
            type: "draft",
            title,
            ...meetingTimes(input),
            plan,
            invitees,
            ...(departments && department ? { department } : {}),
            ...(fallbackContact ? { fallbackContact } : {}),
            ...(committee ? { committee } : {}),
          },
          () => tierCard(deps.policyFor(turn.tenantId), turn.lang, meetingId),
        );
      },
    }),
    "tier.submit": route({
      schema: tierInputSchema,
      handle: (turn, input) =>
        run(turn, input.requestId, { type: "tier-answered", tier: input.tier }, ({ meeting }) =>
          meeting.verdict
            ? verdictCard(meeting.verdict, turn.lang, meeting.id)
            : refusalCard("ILLEGAL_TRANSITION", turn.lang),
        ),
    }),
    "meeting.confirm": route({
      schema: requestInputSchema,
      handle: (turn, input) =>
        run(turn, input.requestId, { type: "confirm" }, ({ meeting }) =>
          noticeCard(
            meeting.state === "awaiting-approval"
              ? t(
                  "承認を依頼しました。承認されるまで会議は作成されません。",
                  "Approval was requested. The meeting is not created until it is approved.",
                )
              : meeting.state === "scheduled"
                ? t(
                    "会議を作成しています。設定を確認した結果をお知らせします。",
                    "The meeting is being created. You will be told the settings as read back.",
                  )
                : t(
                    "この会議はこのままでは開催できません。",
                    "This meeting cannot go ahead as planned.",
                  ),
            turn.lang,
          ),
        ),
    }),
    "approval.answer": route({
      schema: approvalInputSchema,
      handle: (turn, input) => {
        const { kind, decision, tier, reason } = input;
        if (kind === "tier-decision" && decision === "approved" && !tier)
          return Promise.resolve(refusalCard("BAD_ARGUMENT", turn.lang, "tier"));
        return run(
          turn,
          input.requestId,
          {
            type: "approval-answered",
            kind,
            decision,
            ...(tier ? { tier } : {}),
            ...(reason ? { reason } : {}),
          },
          () =>
            noticeCard(
              t(
                "回答を記録しました。主催者に伝えます。",
                "Your answer is recorded; the organizer will be told.",
              ),
              turn.lang,
            ),
        );
      },
    }),
    "incident.report": route({
      schema: incidentInputSchema,
      handle: async (turn, input) => {
        const outcome = await deps.governor.reportIncident(
          {
            eventId: turn.eventId,
            tenantId: turn.tenantId,
            actor: turn.sender,
          },
          {
            kind: input.kind,
            description: input.description,
            ...(input.meeting ? { meetingRef: input.meeting } : {}),
          },
        );
        if (outcome.status === "duplicate")
          return noticeCard(
            t("この報告は受け付け済みです。", "This report was already received."),
            turn.lang,
          );
        deps.logger.warn("incident.reported", {
          tenant: turn.tenantId,
          kind: input.kind,
          receipt: outcome.receipt,
        });
        return incidentReceiptCard(turn.lang, outcome.receipt, outcome.contacts);
      },
    }),
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
    "meeting.cancel": route({
      schema: requestInputSchema,
      handle: (turn, input) =>
        run(turn, input.requestId, { type: "cancel" }, () =>
          noticeCard(t("予約を中止しました。", "The plan was cancelled."), turn.lang),
        ),
    }),
  };

  const answer = async (turn: Turn, verb: string, data: unknown): Promise<NeutralCard> => {
    const handler = Object.hasOwn(actions, verb) ? actions[verb] : undefined;
    if (!handler) return refusalCard("BAD_ARGUMENT", turn.lang, verb);
    try {
      return await handler(turn, data);
    } catch (error) {
      if (error instanceof KaigiError) {
        deps.logger.warn("teams.action_failed", { verb, code: error.code, tenant: turn.tenantId });
        return refusalCard(error.code, turn.lang);
      }
      throw error;
    }
  };

  /** A text command's card; the help card for anything else. */
  const command = (turn: Turn, said: string): NeutralCard =>
    commands.find((c) => c.match.test(said))?.card(turn, deps) ?? helpCard(turn.lang);
  return { answer, command };
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
