import { meetingStates, type MeetingState } from "../meetings/state.js";
import type { Meeting } from "../meetings/types.js";
import { serviceIds } from "../policy/schema.js";
import { PLATFORM_IDENTITY } from "./accounts.js";
import type { Text } from "./html.js";
import { dayEndUtc, dayStartUtc, isDay } from "./time.js";

export const tierChoices = ["I", "II", "III", "unknown"] as const;

/** The meeting list's filters as the form sends them (every one optional, "" = any). */
export interface MeetingFilter {
  title: string;
  from: string;
  to: string;
  tier: string;
  platform: string;
  state: string;
  organizer: string;
}

export const filterFields = [
  "title",
  "from",
  "to",
  "tier",
  "platform",
  "state",
  "organizer",
] as const;

/** A filter value that cannot be used: which field and why, in both languages. */
export interface FilterProblem {
  field: (typeof filterFields)[number];
  text: Text;
}

const oneOf = (choices: readonly string[], value: string) =>
  value === "" || choices.includes(value);

/**
 * Reads and checks the filters (server-side: a select or date picker is only what the browser
 * offers). A bad value is named, in Japanese and English; nothing is filtered by it.
 */
export function parseMeetingFilter(q: URLSearchParams): {
  filter: MeetingFilter;
  problems: FilterProblem[];
} {
  const filter = Object.fromEntries(
    filterFields.map((f) => [f, (q.get(f) ?? "").trim()]),
  ) as unknown as MeetingFilter;
  const problems: FilterProblem[] = [];
  const bad = (field: FilterProblem["field"], ja: string, en: string) =>
    problems.push({ field, text: [ja, en] });
  if (filter.title.length > 200)
    bad(
      "title",
      "会議名は200文字以内で指定してください。",
      "The title may be at most 200 characters.",
    );
  for (const [field, ja, en] of [
    ["from", "開始日（から）", "The start date (from)"],
    ["to", "開始日（まで）", "The start date (to)"],
  ] as const)
    if (filter[field] !== "" && !isDay(filter[field]))
      bad(
        field,
        `${ja}が日付ではありません（例：2026-12-20）。`,
        `${en} is not a date (e.g. 2026-12-20).`,
      );
  if (isDay(filter.from) && isDay(filter.to) && filter.from > filter.to)
    bad(
      "to",
      "開始日（まで）が開始日（から）より前です。",
      "The end of the date range is before its start.",
    );
  if (!oneOf(tierChoices, filter.tier))
    bad(
      "tier",
      "区分は I・II・III・わからない のいずれかです。",
      "The tier is one of I, II, III or unknown.",
    );
  if (!oneOf(serviceIds, filter.platform))
    bad(
      "platform",
      "サービスが一覧にありません。",
      "The service is not one of the listed services.",
    );
  if (!oneOf(meetingStates, filter.state))
    bad("state", "状態が一覧にありません。", "The state is not one of the listed states.");
  if (filter.organizer !== "" && !PLATFORM_IDENTITY.test(filter.organizer))
    bad(
      "organizer",
      "主催者が一覧にありません。",
      "The organizer is not one of the listed people.",
    );
  return { filter, problems };
}

/** Whether a meeting passes the (checked) filters; dates are Japan dates. */
export function matches(m: Meeting, f: MeetingFilter): boolean {
  const starts = m.startsAt ? new Date(m.startsAt).getTime() : undefined;
  return (
    (!f.title || (m.title ?? "").includes(f.title)) &&
    (!f.tier || m.tier === f.tier) &&
    (!f.platform || m.plan?.service === f.platform) &&
    (!f.organizer || m.organizerId === f.organizer) &&
    (!f.from || (starts !== undefined && starts >= dayStartUtc(f.from).getTime())) &&
    (!f.to || (starts !== undefined && starts < dayEndUtc(f.to).getTime()))
  );
}

export const stateOf = (f: MeetingFilter): MeetingState | undefined =>
  (meetingStates as readonly string[]).includes(f.state) ? (f.state as MeetingState) : undefined;
