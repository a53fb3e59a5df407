import type { z } from "zod";
import type { NeutralCard } from "../cards/card.js";
import { noticeCard, refusalCard } from "../cards/notices.js";
import type { Governor, Outcome } from "../governor/governor.js";
import type { Envelope, GovernorInput } from "../governor/inputs.js";
import type { Logger } from "../logger.js";
import type { Meeting } from "../meetings/types.js";
import type { Policy } from "../policy/schema.js";
import { t, type Locale } from "../text.js";

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

export type Handler = (turn: Turn, data: unknown) => Promise<NeutralCard>;

/** A card action: its verb, the shape of its data, and what it does (STYLE 4: routing is data). */
interface ActionRoute<S extends z.ZodType> {
  schema: S;
  handle: (turn: Turn, input: z.infer<S>) => Promise<NeutralCard>;
}

export const route =
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

/** Runs one governor input for a turn and answers with a card: refused, duplicate, or done. */
export type Run = (
  turn: Turn,
  meetingId: string,
  input: GovernorInput,
  onDone: (o: Extract<Outcome, { status: "done" }>) => NeutralCard,
) => Promise<NeutralCard>;

export function runner(governor: Governor): Run {
  const envelope = (turn: Turn, meetingId: string): Envelope => ({
    eventId: turn.eventId,
    tenantId: turn.tenantId,
    meetingId,
    actor: turn.sender,
    ...(turn.addressee === undefined ? {} : { addressee: turn.addressee }),
  });
  return async (turn, meetingId, input, onDone) => {
    const outcome = await governor.handle(envelope(turn, meetingId), input);
    if (outcome.status === "rejected") return refusalCard(outcome.code, turn.lang);
    if (outcome.status === "duplicate")
      return noticeCard(
        t("この回答は受け付け済みです。", "This answer was already received."),
        turn.lang,
      );
    return onDone(outcome);
  };
}
