import { timingSafeEqual } from "node:crypto";
import { z } from "zod";
import type { GraphSubscription } from "../../../store/repos/graph-subscriptions.js";

/** The body Graph posts to the notification URL: a batch of change or lifecycle notifications. */
export const notificationSchema = z.object({
  value: z
    .array(
      z.object({
        subscriptionId: z.string().min(1).max(200),
        clientState: z.string().max(200).nullable().optional(),
        changeType: z.string().max(50).default(""),
        resource: z.string().max(2_000).default(""),
        /** Lifecycle notifications (subscriptionRemoved, reauthorizationRequired, missed). */
        lifecycleEvent: z.string().max(50).optional(),
        tenantId: z.string().max(100).optional(),
        resourceData: z
          .object({ id: z.string().min(1).max(1_000), "@odata.etag": z.string().optional() })
          .optional(),
      }),
    )
    .min(1)
    .max(1_000),
});

export type GraphNotification = z.infer<typeof notificationSchema>["value"][number];

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/**
 * Why a notification is refused, or undefined when it is ours: it names a subscription we
 * created (`sub`, looked up by its id), carries the secret kept for it as `clientState`, and
 * claims no other tenant than the subscription's.
 */
export function refusalOf(n: GraphNotification, sub: GraphSubscription | undefined) {
  return !sub
    ? "unknown-subscription"
    : !n.clientState || !sameSecret(n.clientState, sub.clientState)
      ? "client-state"
      : n.tenantId !== undefined && n.tenantId !== sub.tenantId
        ? "tenant"
        : undefined;
}
