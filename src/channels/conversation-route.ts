import type { z } from "zod";
import type { NeutralCard } from "../cards/card.js";
import {
  badDataCard,
  badInputCard,
  type FieldTable,
  type InputProblem,
} from "../cards/input-problems.js";
import { noticeCard, refusalCard } from "../cards/notices.js";
import type { Governor, Outcome } from "../governor/governor.js";
import type { Envelope, GovernorInput } from "../governor/inputs.js";
import type { Logger } from "../logger.js";
import type { Meeting } from "../meetings/types.js";
import type { Policy } from "../policy/schema.js";
import { t, type Locale } from "../text.js";
import { problemsOf } from "./input-problems.js";

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
  devices?: (
    tenantId: string,
  ) => Promise<{ id: string; label: string; department: string; retired: boolean }[]>;
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

/** A handler's finding that an input is wrong (a value, STYLE 8): the card is shown again. */
export interface BadInput {
  bad: InputProblem[];
}
export const badInput = (...bad: InputProblem[]): BadInput => ({ bad });
const isBadInput = (x: NeutralCard | BadInput): x is BadInput => "bad" in x;

/** A card action: its verb, the shape of its data, and what it does (STYLE 4: routing is data). */
interface ActionRoute<S extends z.ZodType> {
  schema: S;
  /** The inputs a person fills in on the answered card; other fields are the card's own. */
  fields?: FieldTable;
  /** The answered card, rebuilt, to show again with what was typed when an input is wrong. */
  again?: (turn: Turn, data: Readonly<Record<string, unknown>>) => Promise<NeutralCard | undefined>;
  handle: (turn: Turn, input: z.infer<S>) => Promise<NeutralCard | BadInput>;
}

const asRecord = (data: unknown): Readonly<Record<string, unknown>> =>
  typeof data === "object" && data !== null && !Array.isArray(data)
    ? (data as Record<string, unknown>)
    : {};

/** The answered card's request id, when its data carries a usable one. */
export const idIn = (data: Readonly<Record<string, unknown>>): string | undefined =>
  typeof data.requestId === "string" && data.requestId.length > 0 && data.requestId.length <= 100
    ? data.requestId
    : undefined;

/**
 * Runs a card action. Wrong input (as parsed, or as the handler finds it) is answered with the
 * same card again — what is wrong on top, what was typed kept — and nothing is done.
 */
export const route =
  <S extends z.ZodType>(r: ActionRoute<S>): Handler =>
  async (turn, data) => {
    const typed = asRecord(data);
    const fields = r.fields ?? {};
    const parsed = r.schema.safeParse(data, { reportInput: true });
    let problems: InputProblem[];
    if (parsed.success) {
      const answer = await r.handle(turn, parsed.data);
      if (!isBadInput(answer)) return answer;
      problems = answer.bad;
    } else problems = problemsOf(parsed.error, typed, fields);
    const card =
      r.again && !problems.some((p) => p.kind === "card-data")
        ? await r.again(turn, typed)
        : undefined;
    return card
      ? badInputCard(card, problems, fields, typed, turn.lang)
      : badDataCard(problems, fields, turn.lang);
  };

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
