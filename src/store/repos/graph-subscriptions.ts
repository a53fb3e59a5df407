import type { Db } from "../db.js";
import type { Tables } from "../schema.js";
import { requireTenant } from "../errors.js";

export interface GraphSubscription {
  tenantId: string;
  personId: string;
  subscriptionId: string;
  clientState: string;
  resource: string;
  expiresAt: string;
}

type Row = Omit<Tables["graph_subscriptions"], "updated_at">;

const fromRow = (r: Row): GraphSubscription => ({
  tenantId: r.tenant_id,
  personId: r.person_id,
  subscriptionId: r.subscription_id,
  clientState: r.client_state,
  resource: r.resource,
  expiresAt: r.expires_at,
});

const columns = [
  "tenant_id",
  "person_id",
  "subscription_id",
  "client_state",
  "resource",
  "expires_at",
] as const;

/** Records a created or renewed subscription (one per person). */
export async function saveSubscription(db: Db, s: GraphSubscription, at: Date): Promise<void> {
  requireTenant(s.tenantId, "saveSubscription");
  const values = {
    subscription_id: s.subscriptionId,
    client_state: s.clientState,
    resource: s.resource,
    expires_at: s.expiresAt,
    updated_at: at.toISOString(),
  };
  await db
    .insertInto("graph_subscriptions")
    .values({ tenant_id: s.tenantId, person_id: s.personId, ...values })
    .onConflict((oc) => oc.columns(["tenant_id", "person_id"]).doUpdateSet(values))
    .execute();
}

/**
 * The subscription a notification names. Looked up by Graph's (globally unique) id because the
 * notification is what claims a tenant: the caller checks that claim and the clientState.
 */
export async function findSubscription(
  db: Db,
  subscriptionId: string,
): Promise<GraphSubscription | undefined> {
  const row = await db
    .selectFrom("graph_subscriptions")
    .select(columns)
    .where("subscription_id", "=", subscriptionId)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** The subscription kept for a person (or a meeting's recordings), if any. */
export async function findSubscriptionOf(
  db: Db,
  tenantId: string,
  personId: string,
): Promise<GraphSubscription | undefined> {
  requireTenant(tenantId, "findSubscriptionOf");
  const row = await db
    .selectFrom("graph_subscriptions")
    .select(columns)
    .where("tenant_id", "=", tenantId)
    .where("person_id", "=", personId)
    .executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

export async function deleteSubscription(db: Db, tenantId: string, personId: string) {
  requireTenant(tenantId, "deleteSubscription");
  await db
    .deleteFrom("graph_subscriptions")
    .where("tenant_id", "=", tenantId)
    .where("person_id", "=", personId)
    .execute();
}

/**
 * Work for the subscription keeper, across tenants (a system task): people who talk to the bot
 * on Teams but whose calendar is not watched, and subscriptions that expire before `renewBefore`.
 */
export async function subscriptionWork(db: Db, renewBefore: Date) {
  const missing = await db
    .selectFrom("conversations as c")
    .leftJoin("graph_subscriptions as g", (j) =>
      j.onRef("g.tenant_id", "=", "c.tenant_id").onRef("g.person_id", "=", "c.person_id"),
    )
    .select(["c.tenant_id", "c.person_id"])
    .where("c.channel", "=", "teams")
    // People only: meeting chats are kept in conversations too (`meeting:<id>`), and have no calendar.
    .where("c.person_id", "like", "aad:%")
    .where("g.subscription_id", "is", null)
    .orderBy("c.updated_at")
    .limit(100)
    .execute();
  const expiring = await db
    .selectFrom("graph_subscriptions")
    .select(columns)
    .where("expires_at", "<", renewBefore.toISOString())
    // A meeting's recordings subscription lives as long as recordings can appear, no longer.
    .where("person_id", "not like", "meeting:%")
    .orderBy("expires_at")
    .limit(100)
    .execute();
  return {
    missing: missing.map((r) => ({ tenantId: r.tenant_id, personId: r.person_id })),
    expiring: expiring.map(fromRow),
  };
}
