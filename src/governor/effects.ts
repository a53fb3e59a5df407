import type { Effect } from "../meetings/types.js";
import type { Envelope } from "./inputs.js";
import type { GovernorTx } from "./port.js";

/**
 * Writes a transition's effects in the caller's transaction: log entries, outbox rows (messages
 * and platform calls, delivered after commit), timers set or cancelled, device logbook lines.
 * Each outbox row is keyed by the event id and the effect's place in the list.
 */
export async function performEffects(
  tx: GovernorTx,
  env: Envelope,
  effects: Effect[],
): Promise<void> {
  const { tenantId, meetingId, actor } = env;
  for (const [index, effect] of effects.entries()) {
    const idempotencyKey = `${env.eventId}#${index}`;
    switch (effect.type) {
      case "log":
        await tx.appendLog({
          tenantId,
          meetingId,
          actor,
          action: effect.action,
          payload: effect.payload,
          ...(effect.sensitive ? { sensitive: effect.sensitive } : {}),
        });
        break;
      case "message":
        await tx.enqueue({
          tenantId,
          idempotencyKey,
          kind: "message",
          payload: { meetingId, ...effect },
        });
        break;
      case "platform":
        await tx.enqueue({
          tenantId,
          idempotencyKey,
          kind: "platform",
          payload: { meetingId, ...effect },
        });
        break;
      case "set-timer":
        await tx.setTimer({
          tenantId,
          key: effect.key,
          runAt: new Date(effect.runAt),
          meetingId,
          event: effect.event,
        });
        break;
      case "cancel-timers":
        await tx.cancelTimers(tenantId, effect.keyPrefix);
        break;
      case "record-device-use": {
        const { deviceId, department, userName, from, to } = effect;
        await tx.recordDeviceUse({
          tenantId,
          meetingId,
          deviceId,
          department,
          userName,
          from,
          to,
        });
        break;
      }
    }
  }
}
