import type { Clock } from "../clock.js";
import type { GovernorStore, GovernorTx } from "../governor/port.js";
import type { Database, Db, OnCommit } from "./db.js";
import { appendLog } from "./log/append.js";
import { enqueue } from "./outbox/outbox.js";
import { claimEvent, claimEventAndLoad, saveMeeting } from "./repos/meetings.js";
import { cancelTimers, scheduleTimer } from "./timers/timers.js";
import { recordDeviceUse } from "./repos/devices.js";

/** The governor's port over an open transaction. */
export function governorTx(
  trx: Db,
  dialect: "sqlite" | "postgres",
  clock: Clock,
  onEnqueued: () => void = () => undefined,
  onCommit?: OnCommit,
): GovernorTx {
  return {
    saveMeeting: (meeting, previous) => saveMeeting(trx, meeting, clock.now(), previous, onCommit),
    claimEvent: (tenantId, eventId) => claimEvent(trx, tenantId, eventId, clock.now()),
    claimEventAndLoad: (event) => claimEventAndLoad(trx, dialect, clock.now(), event),
    appendLog: async (entry) => {
      await appendLog(trx, clock, [entry]);
    },
    enqueue: async (item) => {
      await enqueue(trx, clock, item);
      onEnqueued();
    },
    setTimer: (t) =>
      scheduleTimer(trx, {
        tenantId: t.tenantId,
        key: t.key,
        meetingId: t.meetingId,
        kind: t.event.type,
        payload: t.event,
        runAt: t.runAt,
      }),
    cancelTimers: (tenantId, prefix) => cancelTimers(trx, tenantId, prefix),
    recordDeviceUse: async (u) => {
      await recordDeviceUse(trx, u.tenantId, {
        deviceId: u.deviceId,
        meetingId: u.meetingId,
        department: u.department,
        userName: u.userName,
        usedFrom: u.from,
        usedTo: u.to,
      });
    },
  };
}

/**
 * The governor's port over the real store: one database transaction per inbound event, holding
 * the meeting state, its log entries, its outbox rows and its timers. `afterCommit` runs once a
 * transaction that queued outbox rows has committed (to wake the outbox dispatcher) — never for a
 * rolled-back one, and not for one that queued nothing (waking it costs a write transaction).
 */
export function governorStore(
  db: Database,
  clock: Clock,
  afterCommit: () => void = () => undefined,
): GovernorStore {
  return {
    inTransaction: (tenantId, fn, claims) =>
      db.transaction(
        (trx, onCommit) => {
          let queued = false;
          return fn(
            governorTx(
              trx,
              db.dialect,
              clock,
              () => {
                if (!queued) onCommit(afterCommit);
                queued = true;
              },
              onCommit,
            ),
          );
        },
        { tenantId, ...(claims ? { ahead: { ...claims, at: clock.now().toISOString() } } : {}) },
      ),
  };
}

/** A store for work that already runs inside a transaction (a firing timer). */
export function boundGovernorStore(
  trx: Db,
  dialect: "sqlite" | "postgres",
  clock: Clock,
  onCommit?: OnCommit,
): GovernorStore {
  return {
    inTransaction: (_tenantId, fn) => fn(governorTx(trx, dialect, clock, undefined, onCommit)),
  };
}
