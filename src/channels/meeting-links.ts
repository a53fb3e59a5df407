import type { LinkKind } from "../store/repos/links.js";

/**
 * Which of our meetings a platform's meeting, event or recording is (R-PLAT): each channel links
 * the ids its platform gives to the meeting the governor keeps, per tenant.
 */
export interface MeetingLinks {
  find(tenantId: string, kind: LinkKind, externalId: string): Promise<string | undefined>;
  link(tenantId: string, kind: LinkKind, externalId: string, meetingId: string): Promise<void>;
}
