import { randomBytes } from "node:crypto";
import type { Clock } from "../../../clock.js";
import type { Governor } from "../../../governor/governor.js";
import type { Meeting } from "../../../meetings/types.js";
import type { Database } from "../../../store/db.js";
import type { DeliveryResult } from "../../../store/outbox/outbox.js";
import {
  findSubscriptionOf,
  saveSubscription,
  type GraphSubscription,
} from "../../../store/repos/graph-subscriptions.js";
import type { GraphClient } from "./client.js";

/** Graph keeps a recordings subscription at most 4,230 minutes; a little less, to be safe. */
const MAX_LIFETIME_MS = 4_200 * 60_000;
/** Recordings become available after the meeting: watched until a day after its planned end. */
const AFTER_END_MS = 24 * 3_600_000;

/** The subscription of a meeting's recordings is kept under this person id. */
export const recordingWatchId = (meetingId: string) => `meeting:${meetingId}`;

/**
 * The outbox row for a notification of a meeting's recordings subscription (`created`, the
 * recording's id in `resourceData`), or undefined for any other notification.
 */
export function recordingNotification(
  sub: GraphSubscription,
  changeType: string,
  recordingId: string | undefined,
) {
  if (!sub.personId.startsWith("meeting:") || changeType !== "created" || !recordingId)
    return undefined;
  const meetingId = sub.personId.slice("meeting:".length);
  return {
    tenantId: sub.tenantId,
    idempotencyKey: `graph-recording:${sub.tenantId}:${recordingId}`,
    kind: "platform" as const,
    payload: { action: "recording-reported", meetingId, recordingId },
  };
}

export interface RecordingWatchDeps {
  db: Database;
  graphFor: (tenantId: string) => GraphClient;
  governor: Governor;
  clock: Clock;
  notificationUrl: string;
}

/**
 * R-REC 3 on Teams: when the meeting starts, Graph is asked to notify the bot of every recording
 * of it (`communications/onlineMeetings/{id}/recordings`, created), for as long as a recording
 * can appear; the notification then reaches the governor as `recording-reported`, which tells
 * the organizer at once if consent was not given. Graph has no delete for recordings: the
 * cleanup card still lists and re-checks them (R-POST 2).
 */
export function recordingWatch(deps: RecordingWatchDeps) {
  return {
    /** Subscribes once per meeting; a meeting without a Teams meeting has nothing to watch. */
    watch: async (tenantId: string, meeting: Meeting): Promise<DeliveryResult> => {
      const online = meeting.platformMeeting;
      const personId = recordingWatchId(meeting.id);
      if (!online || (await findSubscriptionOf(deps.db.kysely, tenantId, personId)))
        return { ok: true };
      const now = deps.clock.now().getTime();
      const end = new Date(meeting.endsAt ?? now).getTime();
      const expiry = new Date(Math.min(now + MAX_LIFETIME_MS, Math.max(end, now) + AFTER_END_MS));
      const resource = `communications/onlineMeetings/${online.id}/recordings`;
      const clientState = `kg-${randomBytes(24).toString("hex")}`;
      const created = await deps.graphFor(tenantId).createSubscription({
        changeType: "created",
        resource,
        notificationUrl: deps.notificationUrl,
        // Required by Graph for this resource when the subscription outlives an hour.
        lifecycleNotificationUrl: deps.notificationUrl,
        clientState,
        expirationDateTime: expiry.toISOString(),
      });
      await saveSubscription(
        deps.db.kysely,
        {
          tenantId,
          personId,
          subscriptionId: created.id,
          clientState,
          resource,
          expiresAt: new Date(created.expirationDateTime).toISOString(),
        },
        deps.clock.now(),
      );
      return { ok: true };
    },
    /** A recording Graph notified: to the governor, once per recording. */
    reported: async (tenantId: string, meetingId: string, recordingId: string) => {
      await deps.governor.handle(
        {
          eventId: `graph-recording:${recordingId}`,
          tenantId,
          meetingId,
          actor: "system:graph",
        },
        { type: "recording-reported", recordingId },
      );
      return { ok: true } as const;
    },
  };
}
