import { randomBytes } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Clock } from "../../../clock.js";
import { KaigiError } from "../../../errors.js";
import type { Governor } from "../../../governor/governor.js";
import type { Route } from "../../../http/server.js";
import type { Logger } from "../../../logger.js";
import type { Database } from "../../../store/db.js";
import { enqueue, type DeliveryResult, type OutboxItem } from "../../../store/outbox/outbox.js";
import {
  deleteSubscription,
  findSubscription,
  saveSubscription,
  subscriptionWork,
} from "../../../store/repos/graph-subscriptions.js";
import { readMeeting } from "../../../store/repos/meetings.js";
import { meetingIdForEvent, OWN_TRANSACTION_PREFIX, planOf } from "./calendar-events.js";
import type { GraphClient } from "./client.js";
import { notificationSchema, refusalOf } from "./notifications.js";
import { recordingNotification } from "./recording-watch.js";
import type { CalendarEventDetail } from "./schemas.js";

/** Outlook event subscriptions live at most 10,080 minutes; three days leaves room to renew. */
const SUBSCRIPTION_LIFETIME_MS = 3 * 24 * 3_600_000;
const RENEW_BEFORE_MS = 24 * 3_600_000;
const MAX_VALIDATION_TOKEN = 1_024;

export interface CalendarWatchDeps {
  db: Database;
  graphFor: (tenantId: string) => GraphClient;
  governor: Governor;
  clock: Clock;
  logger: Logger;
  /** The public URL Graph posts to: https://<bot host>/api/graph/notifications */
  notificationUrl: string;
  /** Called after notifications were queued, so the outbox picks them up at once. */
  wake?: () => void;
}

/**
 * POST /api/graph/notifications. Answers Graph's validation handshake (the URL-decoded token as
 * text/plain), then accepts only notifications whose subscription we created and whose
 * `clientState` matches the secret kept for it; each accepted event is queued for inspection and
 * the request answered 202 at once (Graph wants an answer within 3 s). A notification that fails
 * the check changes nothing and is logged; if none passes, the answer is 401.
 */
export function graphNotificationsRoute(deps: CalendarWatchDeps): Route {
  return {
    method: "post",
    path: "/api/graph/notifications",
    raw: true,
    handle: async (body, req: IncomingMessage) => {
      const token = new URL(req.url ?? "/", "http://localhost").searchParams.get("validationToken");
      if (token !== null) {
        if (token.length === 0 || token.length > MAX_VALIDATION_TOKEN)
          return { status: 400, body: { error: { code: "BAD_NOTIFICATION" } } };
        return { status: 200, text: token, contentType: "text/plain; charset=utf-8" };
      }
      let json: unknown;
      try {
        json = JSON.parse(String(body));
      } catch {
        return { status: 400, body: { error: { code: "BAD_NOTIFICATION" } } };
      }
      const parsed = notificationSchema.safeParse(json);
      if (!parsed.success) return { status: 400, body: { error: { code: "BAD_NOTIFICATION" } } };
      let accepted = 0;
      // Logged once the transaction is over: it may run more than once (group commit).
      let refused: string[] = [];
      let lifecycle: string[] = [];
      try {
        await deps.db.transaction(async (trx) => {
          accepted = 0;
          refused = [];
          lifecycle = [];
          for (const n of parsed.data.value) {
            const sub = await findSubscription(trx, n.subscriptionId);
            const reason = refusalOf(n, sub);
            if (!sub || reason) {
              refused.push(reason ?? "unknown-subscription");
              continue;
            }
            accepted++;
            if (n.lifecycleEvent) {
              lifecycle.push(n.lifecycleEvent);
              continue;
            }
            const recording = recordingNotification(sub, n.changeType, n.resourceData?.id);
            if (recording) {
              await enqueue(trx, deps.clock, recording);
              continue;
            }
            if (n.changeType !== "created" && n.changeType !== "updated") continue;
            const eventId = n.resourceData?.id ?? n.resource.split("/").pop() ?? "";
            if (!eventId) continue;
            const version = n.resourceData?.["@odata.etag"] ?? n.changeType;
            await enqueue(trx, deps.clock, {
              tenantId: sub.tenantId,
              idempotencyKey: `graph-event:${sub.tenantId}:${eventId}:${version}`,
              kind: "platform",
              payload: { action: "inspect-event", personId: sub.personId, eventId },
            });
          }
        });
      } finally {
        for (const reason of refused) deps.logger.warn("graph.notification_refused", { reason });
        for (const event of lifecycle) deps.logger.info("graph.lifecycle_notification", { event });
      }
      if (accepted === 0) return { status: 401, body: { error: { code: "UNAUTHORIZED" } } };
      deps.wake?.();
      return { status: 202 };
    },
  };
}

/**
 * Looks at an event a notification named. A Teams meeting the organizer scheduled outside the
 * bot becomes a meeting the governor knows (its organizer is asked for the tier); anything else
 * (not online, not theirs, cancelled, over, or created by the bot itself) is left alone.
 */
export function eventInspector(deps: CalendarWatchDeps) {
  return async (item: OutboxItem): Promise<DeliveryResult> => {
    const { personId, eventId } = item.payload as { personId: string; eventId: string };
    const meetingId = meetingIdForEvent(item.tenantId, eventId);
    if (await readMeeting(deps.db.kysely, item.tenantId, meetingId)) return { ok: true };
    const graph = deps.graphFor(item.tenantId);
    const user = personId.replace(/^aad:/, "");
    let event: CalendarEventDetail;
    try {
      event = await graph.getEvent(user, eventId);
    } catch (error) {
      // Deleted or not ours to read: nothing to catch.
      if (error instanceof KaigiError && error.code === "PLATFORM_REJECTED") return { ok: true };
      throw error;
    }
    const joinUrl = event.onlineMeeting?.joinUrl;
    const endsAt = new Date(`${event.end.dateTime.replace(/Z$/, "")}Z`);
    if (
      !joinUrl ||
      event.isOnlineMeeting === false ||
      event.onlineMeetingProvider !== "teamsForBusiness" ||
      event.isOrganizer === false ||
      event.isCancelled === true ||
      event.transactionId?.startsWith(OWN_TRANSACTION_PREFIX) === true ||
      endsAt.getTime() < deps.clock.now().getTime()
    )
      return { ok: true };
    const online = await graph.findOnlineMeetingByJoinUrl(user, joinUrl);
    if (!online) return { ok: false, error: "ONLINE_MEETING_NOT_FOUND", retryAfterMs: 60_000 };
    const { plan, invitees } = planOf(event);
    await deps.governor.handle(
      { eventId: `intercept:${eventId}`, tenantId: item.tenantId, meetingId, actor: personId },
      {
        type: "intercepted",
        title: event.subject ?? "",
        startsAt: new Date(`${event.start.dateTime.replace(/Z$/, "")}Z`).toISOString(),
        endsAt: endsAt.toISOString(),
        plan,
        invitees,
        platformMeeting: { id: online.id, joinUrl },
        eventId,
      },
    );
    return { ok: true };
  };
}

/**
 * One pass of the subscription keeper: watches the calendar of everyone who talks to the bot on
 * Teams, and renews subscriptions a day before they expire. Returns how many it changed.
 */
export function subscriptionKeeper(deps: CalendarWatchDeps) {
  return async (): Promise<number> => {
    const now = deps.clock.now();
    const expiry = new Date(now.getTime() + SUBSCRIPTION_LIFETIME_MS).toISOString();
    const work = await subscriptionWork(deps.db.kysely, new Date(now.getTime() + RENEW_BEFORE_MS));
    let changed = 0;
    const attempt = async (tenantId: string, what: string, run: () => Promise<void>) => {
      try {
        await run();
        changed++;
      } catch (error) {
        deps.logger.warn("graph.subscription_failed", {
          tenant: tenantId,
          what,
          error: error instanceof KaigiError ? error.code : "unknown",
        });
      }
    };
    for (const person of work.missing) {
      await attempt(person.tenantId, "create", async () => {
        const resource = `users/${person.personId.replace(/^aad:/, "")}/events`;
        const clientState = `kg-${randomBytes(24).toString("hex")}`;
        const created = await deps.graphFor(person.tenantId).createSubscription({
          resource,
          notificationUrl: deps.notificationUrl,
          clientState,
          expirationDateTime: expiry,
        });
        const subscription = {
          ...person,
          subscriptionId: created.id,
          clientState,
          resource,
          expiresAt: new Date(created.expirationDateTime).toISOString(),
        };
        await saveSubscription(deps.db.kysely, subscription, now);
      });
    }
    for (const sub of work.expiring) {
      await attempt(sub.tenantId, "renew", async () => {
        try {
          const renewed = await deps
            .graphFor(sub.tenantId)
            .renewSubscription(sub.subscriptionId, expiry);
          const expiresAt = new Date(renewed.expirationDateTime).toISOString();
          await saveSubscription(deps.db.kysely, { ...sub, expiresAt }, now);
        } catch (error) {
          // Gone on Graph's side: forget it, the next pass subscribes afresh.
          if (error instanceof KaigiError && error.code === "PLATFORM_REJECTED") {
            await deleteSubscription(deps.db.kysely, sub.tenantId, sub.personId);
            return;
          }
          throw error;
        }
      });
    }
    return changed;
  };
}
