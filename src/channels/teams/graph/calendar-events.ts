import { createHash } from "node:crypto";
import type { CalendarEventDetail } from "./schemas.js";

/** Events the bot itself creates carry this prefix in `transactionId`, so they are not caught. */
export const OWN_TRANSACTION_PREFIX = "kaigi-guard:";

/** The kaigi-guard meeting id for a calendar event: stable, so a repeated notification is one meeting. */
export const meetingIdForEvent = (tenantId: string, eventId: string) =>
  `cal-${createHash("sha256").update(`${tenantId}\n${eventId}`).digest("hex").slice(0, 32)}`;

/** Attendees outside the organizer's mail domain count as external participants (KSS 第9章2(5)イ). */
export function planOf(event: CalendarEventDetail) {
  const domainOf = (address: string | undefined) => address?.split("@")[1]?.toLowerCase();
  const own = domainOf(event.organizer?.emailAddress?.address);
  const addresses = event.attendees
    .map((a) => a.emailAddress?.address)
    .filter((a): a is string => Boolean(a));
  return {
    invitees: addresses,
    plan: {
      service: "teams",
      participants: addresses.length + 1,
      external: addresses.some((a) => own === undefined || domainOf(a) !== own),
      externalHost: false,
      personalInfo: false,
      recording: false,
      transcription: false,
      departmentDevice: false,
    },
  };
}
