import { KaigiError } from "../errors.js";
import type { Governor } from "../governor/governor.js";
import type { OutboxItem } from "../store/outbox/outbox.js";

export type PlatformOutcome =
  | {
      joinUrl: string;
      platformMeetingId: string;
      mismatches: { field: string; wanted: unknown; actual: unknown }[];
      drift?: { field: string; wanted: unknown; actual: unknown }[];
    }
  | { error: string };

/**
 * Runs a platform call for an outbox row and hands what it came to back to the governor (which
 * logs it and tells the organizer). A refusal (4xx other than 429: missing permission, say) is
 * an outcome, told at once; anything else is thrown so the outbox retries.
 */
export async function reportPlatformResult(
  governor: Governor,
  item: OutboxItem,
  meetingId: string,
  platform: "graph" | "webex",
  action: "create-meeting" | "apply-settings" | "verify-settings",
  call: () => Promise<PlatformOutcome>,
): Promise<void> {
  const outcome = await call().catch((error: unknown) => {
    if (error instanceof KaigiError && error.code === "PLATFORM_REJECTED")
      return { error: error.message };
    throw error;
  });
  await governor.handle(
    {
      eventId: `platform:${item.idempotencyKey}`,
      tenantId: item.tenantId,
      meetingId,
      actor: `system:${platform}`,
    },
    {
      type: "platform-result",
      action,
      ...("error" in outcome ? { error: outcome.error, mismatches: [] } : outcome),
    },
  );
}
