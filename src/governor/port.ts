import type { Meeting, TimerEvent } from "../meetings/types.js";

/** A log entry as the governor hands it to the store; the store adds sequence, time and hashes. */
export interface LogInput {
  tenantId: string;
  meetingId: string | null;
  actor: string;
  action: string;
  payload: Record<string, unknown>;
  /** Personal data kept out of the chained part (names, addresses); redactable later. */
  sensitive?: Record<string, unknown>;
}

/** A message or platform call to deliver after commit. */
export interface OutboxInput {
  tenantId: string;
  idempotencyKey: string;
  kind: "message" | "platform";
  payload: Record<string, unknown>;
}

export interface TimerInput {
  tenantId: string;
  key: string;
  runAt: Date;
  meetingId: string;
  event: TimerEvent;
}

/** What the governor needs inside one transaction. Every call is scoped by tenant. */
export interface GovernorTx {
  /** `previous`: the meeting as loaded, so parts that did not change are not rewritten. */
  saveMeeting(meeting: Meeting, previous?: Meeting): Promise<void>;
  /** Records that an inbound event was handled; false when it was handled before. */
  claimEvent(tenantId: string, eventId: string): Promise<boolean>;
  /** claimEvent, then (when claimed) its meeting, locked: what every meeting event begins with. */
  claimEventAndLoad(event: {
    tenantId: string;
    eventId: string;
    meetingId: string;
  }): Promise<{ claimed: boolean; meeting: Meeting | undefined }>;
  appendLog(entry: LogInput): Promise<void>;
  enqueue(item: OutboxInput): Promise<void>;
  setTimer(timer: TimerInput): Promise<void>;
  cancelTimers(tenantId: string, keyPrefix: string): Promise<void>;
  /** A line of the device logbook (R-DEV), written with the confirmation that records it. */
  recordDeviceUse(use: DeviceUseInput): Promise<void>;
}

export interface DeviceUseInput {
  tenantId: string;
  meetingId: string;
  deviceId: string;
  department: string;
  userName: string;
  from: string;
  to: string | null;
}

/** The store as the governor sees it: all or nothing. */
export interface GovernorStore {
  /** One transaction for one event of `tenantId` (the store may group a tenant's transactions). */
  /**
   * `claims`: the event `fn` claims first (claimEventAndLoad), said ahead so the store may claim
   * it together with other transactions' (one statement for a group on PostgreSQL).
   */
  inTransaction<T>(
    tenantId: string,
    fn: (tx: GovernorTx) => Promise<T>,
    claims?: { eventId: string; meetingId: string },
  ): Promise<T>;
}
