import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

/** Saves (or refreshes) how to reach a person on a channel. */
export async function saveConversation(
  db: Db,
  c: {
    tenantId: string;
    personId: string;
    channel: "teams" | "webex";
    reference: unknown;
    at: Date;
  },
): Promise<void> {
  requireTenant(c.tenantId, "saveConversation");
  const values = { reference: JSON.stringify(c.reference), updated_at: c.at.toISOString() };
  await db
    .insertInto("conversations")
    .values({ tenant_id: c.tenantId, person_id: c.personId, channel: c.channel, ...values })
    .onConflict((oc) =>
      oc
        .columns(["tenant_id", "person_id", "channel"])
        .doUpdateSet(values)
        // An unchanged reference is not rewritten: `updated_at` is when it last changed.
        .where("conversations.reference", "<>", values.reference),
    )
    .execute();
}

export async function findConversation(
  db: Db,
  tenantId: string,
  personId: string,
  channel: "teams" | "webex",
): Promise<unknown> {
  requireTenant(tenantId, "findConversation");
  const row = await db
    .selectFrom("conversations")
    .select("reference")
    .where("tenant_id", "=", tenantId)
    .where("person_id", "=", personId)
    .where("channel", "=", channel)
    .executeTakeFirst();
  return row ? (JSON.parse(row.reference) as unknown) : undefined;
}

/** Any saved conversation of the tenant on a channel: where the tenant's service URL is found. */
export async function anyConversation(
  db: Db,
  tenantId: string,
  channel: "teams" | "webex",
): Promise<unknown> {
  requireTenant(tenantId, "anyConversation");
  const row = await db
    .selectFrom("conversations")
    .select("reference")
    .where("tenant_id", "=", tenantId)
    .where("channel", "=", channel)
    .where("person_id", "like", "aad:%")
    .orderBy("updated_at", "desc")
    .executeTakeFirst();
  return row ? (JSON.parse(row.reference) as unknown) : undefined;
}
