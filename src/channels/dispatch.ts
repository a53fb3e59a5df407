import type { Recipient } from "../meetings/types.js";
import type { Database } from "../store/db.js";
import type { DeliveryResult, OutboxItem } from "../store/outbox/outbox.js";
import { readMeeting } from "../store/repos/meetings.js";

/** Without a channel there is nobody to deliver to: rows wait, visible with this error. */
const noChannel = (item: OutboxItem): Promise<DeliveryResult> =>
  Promise.resolve({ ok: false, error: `NO_CHANNEL: ${item.kind}`, retryAfterMs: 3_600_000 });

export type Deliver = (item: OutboxItem) => Promise<DeliveryResult>;
export interface Channels {
  teamsMessages?: Deliver;
  graph?: Deliver;
  inspect?: Deliver;
  webexMessages?: Deliver;
  webexMeetings?: Deliver;
}

/**
 * Which channel delivers an outbox row: a message goes the way its recipient is reached (Webex
 * identities are `webex:<address>`, Teams' `aad:<id>`); a platform call goes to the meeting's
 * service (Webex Meetings or Graph).
 */
export function dispatch(db: Database, channels: Channels): Deliver {
  return async (item) => {
    const payload = item.payload as { meetingId?: string; action?: string; to?: Recipient };
    if (item.kind === "platform" && payload.action === "inspect-event")
      return (channels.inspect ?? noChannel)(item);
    const to = payload.to;
    const meeting =
      to?.kind === "contact"
        ? undefined
        : await readMeeting(db.kysely, item.tenantId, payload.meetingId ?? "");
    if (item.kind === "platform")
      return (
        (meeting?.plan?.service === "webex" ? channels.webexMeetings : channels.graph) ?? noChannel
      )(item);
    const who = to?.kind === "contact" ? to.personId : (meeting?.organizerId ?? "");
    return (
      (who.startsWith("webex:") ? channels.webexMessages : channels.teamsMessages) ?? noChannel
    )(item);
  };
}
