import type { Clock } from "../clock.js";

/**
 * Local mode's clock: the wall clock plus however far the playground moved time on. The app's
 * timers, reminders and leases all read it, so "advance time" makes the due work run through the
 * production paths (the timer worker finds it due), not behind the bot's back.
 */
export class PlaygroundClock implements Clock {
  private offsetMs = 0;

  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Moves time on to `at` (never back). */
  advanceTo(at: Date): void {
    this.offsetMs = Math.max(this.offsetMs, at.getTime() - Date.now());
  }

  /** How far ahead of the wall clock the playground is, in ms. */
  get ahead(): number {
    return this.offsetMs;
  }
}
