import { joinKey } from "../../meetings/join-key.js";
import type { Meeting } from "../../meetings/types.js";
import type { Db } from "../db.js";
import { requireTenant } from "../errors.js";

/** `join`: the normalized join URL; `teams-meeting`: Teams' meeting id; `platform`: the id the platform's meeting API gave. */
export type LinkKind = "join" | "teams-meeting" | "platform";

export async function linkMeeting(
  db: Db,
  tenantId: string,
  kind: LinkKind,
  externalId: string,
  meetingId: string,
): Promise<void> {
  requireTenant(tenantId, "linkMeeting");
  await db
    .insertInto("meeting_links")
    .values({ tenant_id: tenantId, kind, external_id: externalId, meeting_id: meetingId })
    .onConflict((oc) =>
      oc.columns(["tenant_id", "kind", "external_id"]).doUpdateSet({ meeting_id: meetingId }),
    )
    .execute();
}

export async function findLinkedMeeting(
  db: Db,
  tenantId: string,
  kind: LinkKind,
  externalId: string,
): Promise<string | undefined> {
  requireTenant(tenantId, "findLinkedMeeting");
  const row = await db
    .selectFrom("meeting_links")
    .select("meeting_id")
    .where("tenant_id", "=", tenantId)
    .where("kind", "=", kind)
    .where("external_id", "=", externalId)
    .executeTakeFirst();
  return row?.meeting_id;
}

/** Keeps the join-URL link of a meeting that has a platform meeting (in the caller's transaction). */
export async function syncJoinLink(trx: Db, meeting: Meeting): Promise<void> {
  const platform = meeting.platformMeeting;
  if (!platform) return;
  await linkMeeting(trx, meeting.tenantId, "join", joinKey(platform.joinUrl), meeting.id);
  // The platform's own meeting id (Graph onlineMeeting, Webex meeting series) leads back too.
  await linkMeeting(trx, meeting.tenantId, "platform", platform.id, meeting.id);
}
