import type { Clock } from "../../clock.js";
import { Governor } from "../../governor/governor.js";
import type { TimerEvent } from "../../meetings/types.js";
import type { Policy } from "../../policy/schema.js";
import type { Database } from "../db.js";
import { boundGovernorStore } from "../governor-store.js";
import type { FireTimer } from "./worker.js";

/**
 * How a due timer is fired: its event goes to a governor bound to the worker's transaction, so
 * what the event changes commits together with the timer's removal, or not at all (TimerWorker).
 * The event's id is the timer's key and due time, the actor the system.
 */
export function timerFirer(
  db: Database,
  policyFor: (tenantId: string) => Policy,
  clock: Clock,
): FireTimer {
  return async (trx, timer, onCommit) => {
    const bound = new Governor(
      boundGovernorStore(trx, db.dialect, clock, onCommit),
      policyFor,
      clock,
    );
    const env = {
      eventId: `timer:${timer.key}:${timer.runAt}`,
      tenantId: timer.tenantId,
      meetingId: timer.meetingId ?? "",
      actor: "system:timer",
    };
    await bound.handle(env, timer.payload as TimerEvent);
  };
}
