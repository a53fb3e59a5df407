import { randomBytes } from "node:crypto";
import type { Policy } from "../policy/schema.js";
import { incidentContactsOf } from "./directory.js";
import type { Envelope, IncidentKind } from "./inputs.js";
import type { GovernorTx } from "./port.js";

/** What the reporter tells of an incident (R-INC, MWG 8(2)(5)). */
export interface IncidentReport {
  kind: IncidentKind;
  meetingRef?: string;
  description: string;
  department?: string;
}

/**
 * Writes a claimed incident report: its log entry (the description and the meeting named kept
 * in the redactable part) and one message to each contact, all in the caller's transaction.
 */
export async function recordIncident(
  tx: GovernorTx,
  env: Omit<Envelope, "meetingId">,
  incident: IncidentReport,
  at: Date,
  policy: Policy,
): Promise<{ status: "done"; receipt: string; contacts: number }> {
  const receipt = `INC-${at.toISOString().slice(0, 10).replace(/-/g, "")}-${randomBytes(3).toString("hex").toUpperCase()}`;
  const contacts = incidentContactsOf(policy, incident.department);
  await tx.appendLog({
    tenantId: env.tenantId,
    meetingId: null,
    actor: env.actor,
    action: "incident.reported",
    payload: { receipt, kind: incident.kind, contacts: contacts.length, cite: "MWG 8(2)" },
    sensitive: {
      description: incident.description,
      meetingRef: incident.meetingRef ?? null,
    },
  });
  for (const [index, personId] of contacts.entries()) {
    await tx.enqueue({
      tenantId: env.tenantId,
      idempotencyKey: `${env.eventId}#${String(index)}`,
      kind: "message",
      payload: {
        meetingId: "",
        to: { kind: "contact", personId },
        template: "incident",
        data: { receipt, ...incident, reporter: env.actor, at: at.toISOString() },
      },
    });
  }
  return { status: "done", receipt, contacts: contacts.length };
}
