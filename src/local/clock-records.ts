import { joinKey } from "../meetings/join-key.js";
import type { Database } from "../store/db.js";
import { findLinkedMeeting } from "../store/repos/links.js";
import { readMeeting } from "../store/repos/meetings.js";
import { listTimers, type TimerRecord } from "../store/timers/timers.js";
import type { ClockMeeting } from "./clock-platforms.js";
import { PLAYGROUND_TENANT } from "./personas.js";

/**
 * What the bot has stored for a meeting the clock runs: the kaigi-guard meeting linked to it, and
 * that meeting's timers. Read from the app's database; nothing here writes to it.
 */

export async function ourMeeting(db: Database, m: ClockMeeting) {
  const external = m.link.kind === "join" ? joinKey(m.link.id) : m.link.id;
  const id = await findLinkedMeeting(db.kysely, PLAYGROUND_TENANT, m.link.kind, external);
  return id ? readMeeting(db.kysely, PLAYGROUND_TENANT, id) : undefined;
}

export async function timersOf(
  db: Database,
  meetingId: string | undefined,
): Promise<TimerRecord[]> {
  if (!meetingId) return [];
  return (await listTimers(db.kysely, PLAYGROUND_TENANT)).filter(
    (t) => t.meetingId === meetingId && t.lastError === null,
  );
}

/** Waits (up to 5 s) until the timer the clock moved to has been fired and committed. */
export async function fired(db: Database, meetingId: string, timer: TimerRecord) {
  for (let i = 0; i < 100; i++) {
    const still = (await timersOf(db, meetingId)).some(
      (t) => t.key === timer.key && t.runAt === timer.runAt,
    );
    if (!still) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}
