import { randomBytes, randomUUID } from "node:crypto";

/**
 * The simulated Graph's change-notification subscriptions: created only after the notification
 * URL answers the validation handshake, renewed and deleted as Graph does, and notified as Graph
 * notifies, to the bot's own /api/graph/notifications.
 */

/** A status and its JSON body, as the simulated Graph answers a request. */
export type Answer = [status: number, body?: unknown];

interface Subscription {
  id: string;
  resource: string;
  changeType: string;
  clientState: string;
  notificationUrl: string;
  lifecycleNotificationUrl: string | null;
  expirationDateTime: string;
}

export function graphSubscriptions(tenantId: string) {
  const subscriptions = new Map<string, Subscription>();
  let botUrl = "";

  /** POSTs to the bot's notification endpoint (whatever host the subscription named). */
  async function toBot(query: string, body?: unknown) {
    if (!botUrl) return 0;
    const res = await fetch(`${botUrl}/api/graph/notifications${query}`, {
      method: "POST",
      headers: { "content-type": body === undefined ? "text/plain" : "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return query && text !== decodeURIComponent(query.split("=")[1] ?? "") ? 0 : res.status;
  }

  /** One change notification per subscription on `resource`, as Graph delivers them. */
  async function notify(
    resource: string,
    changed: { odataId: string; id: string; type: string },
    changeType = "created",
  ): Promise<number> {
    let delivered = 0;
    for (const sub of subscriptions.values()) {
      if (sub.resource.toLowerCase() !== resource.toLowerCase()) continue;
      if (!sub.changeType.split(",").includes(changeType)) continue;
      delivered++;
      await toBot("", { value: [changeNotification(sub, changed, changeType, tenantId)] });
    }
    return delivered;
  }

  /** POST /subscriptions: the notification URL must echo the validation token first. */
  async function subscribe(body: unknown): Promise<Answer> {
    const input = (body ?? {}) as Partial<Subscription>;
    if (!input.resource || !input.notificationUrl || !input.expirationDateTime)
      return [400, { error: { code: "InvalidRequest", message: "missing subscription fields" } }];
    const token = `Validation: Testing client application reachability ${randomUUID()}`;
    const status = await toBot(`?validationToken=${encodeURIComponent(token)}`);
    if (status !== 200)
      return [400, { error: { code: "ValidationError", message: "notification URL failed" } }];
    const created: Subscription = {
      id: randomUUID(),
      resource: input.resource,
      changeType: input.changeType ?? "created",
      clientState: input.clientState ?? "",
      notificationUrl: input.notificationUrl,
      lifecycleNotificationUrl: input.lifecycleNotificationUrl ?? null,
      expirationDateTime: input.expirationDateTime,
    };
    subscriptions.set(created.id, created);
    return [201, created];
  }

  /**
   * POST /subscriptions, PATCH (renew) and DELETE /subscriptions/{id}; undefined for any other
   * request, and for a subscription that is not there (the caller answers not found).
   */
  async function handle(method: string, path: string, body: unknown): Promise<Answer | undefined> {
    if (method === "POST" && path === "/subscriptions") return subscribe(body);
    const sub = /^\/subscriptions\/([^/]+)$/.exec(path);
    const existing = sub ? subscriptions.get(decodeURIComponent(sub[1] ?? "")) : undefined;
    if (existing && method === "PATCH") {
      const expiry = (body as { expirationDateTime?: unknown } | undefined)?.expirationDateTime;
      if (typeof expiry === "string") existing.expirationDateTime = expiry;
      return [200, existing];
    }
    if (existing && method === "DELETE") {
      subscriptions.delete(existing.id);
      return [204];
    }
    return undefined;
  }

  return {
    handle,
    notify,
    deliverTo(url: string) {
      botUrl = url;
    },
  };
}

/** One item of a change-notification collection, as Graph posts it to the notification URL. */
export function changeNotification(
  sub: { id: string; expirationDateTime: string; clientState: string },
  changed: { odataId: string; id: string; type: string },
  changeType: string,
  tenantId: string,
) {
  return {
    subscriptionId: sub.id,
    subscriptionExpirationDateTime: sub.expirationDateTime,
    changeType,
    resource: changed.odataId,
    resourceData: {
      "@odata.type": changed.type,
      "@odata.id": changed.odataId,
      "@odata.etag": `W/"${randomBytes(12).toString("base64url")}"`,
      id: changed.id,
    },
    clientState: sub.clientState,
    tenantId,
  };
}
