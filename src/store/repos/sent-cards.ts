import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

export async function recordSentCard(
  db: Db,
  c: { tenantId: string; messageId: string; addressee: string; meetingId: string | null; at: Date },
): Promise<void> {
  requireTenant(c.tenantId, "recordSentCard");
  await db
    .insertInto("sent_cards")
    .values({
      tenant_id: c.tenantId,
      message_id: c.messageId,
      addressee: c.addressee,
      meeting_id: c.meetingId,
      sent_at: c.at.toISOString(),
    })
    .onConflict((oc) => oc.columns(["tenant_id", "message_id"]).doNothing())
    .execute();
}

export async function addresseeOf(
  db: Db,
  tenantId: string,
  messageId: string,
): Promise<string | undefined> {
  requireTenant(tenantId, "addresseeOf");
  const row = await db
    .selectFrom("sent_cards")
    .select("addressee")
    .where("tenant_id", "=", tenantId)
    .where("message_id", "=", messageId)
    .executeTakeFirst();
  return row?.addressee;
}
