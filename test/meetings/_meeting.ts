import type { Clock } from "../../src/clock.js";
import { newMeeting, transition } from "../../src/meetings/lifecycle.js";
import type { Meeting, MeetingEvent, TransitionResult } from "../../src/meetings/types.js";
import type { MeetingPlanInput } from "../../src/policy/plan.js";
import { preset, verdictFor } from "../_util.js";

export const ORGANIZER = "aad:8e2f4a6c-organizer";
export const APPROVER = "aad:3a5c7e9b-approver";

export function draft(extra: Partial<Meeting> = {}): Meeting {
  return newMeeting({
    id: "m1",
    tenantId: "t1",
    organizerId: ORGANIZER,
    startsAt: "2026-12-01T01:00:00.000Z",
    endsAt: "2026-12-01T02:00:00.000Z",
    ...extra,
  });
}

export function declared(
  plan: MeetingPlanInput,
  name: "kawasaki" | "musashino" = "kawasaki",
): MeetingEvent {
  return {
    type: "declare-tier",
    actor: ORGANIZER,
    tier: plan.tier,
    verdict: verdictFor(preset(name), plan),
  };
}

/** Applies events in order, returning every intermediate result. */
export function run(meeting: Meeting, events: MeetingEvent[], clock: Clock): TransitionResult[] {
  const results: TransitionResult[] = [];
  let current = meeting;
  for (const event of events) {
    const result = transition(current, event, clock);
    results.push(result);
    current = result.meeting;
  }
  return results;
}

export const last = (results: TransitionResult[]) => {
  const result = results.at(-1);
  if (!result) throw new Error("no results");
  return result;
};
