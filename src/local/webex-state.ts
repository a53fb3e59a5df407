import { randomUUID } from "node:crypto";
import type { WebexMeetingRef } from "./webex-events.js";

/**
 * The simulated Webex's state (src/local/webex-api.ts answers its REST API from it, and
 * src/local/webex.ts sends its webhooks). Shapes follow developer.webex.com.
 */

export interface WebexPerson {
  id: string;
  emails: string[];
  displayName: string;
  orgId: string;
  type: "person" | "bot";
}

export interface LocalWebexMeeting extends WebexMeetingRef {
  recordings: Record<string, unknown>[];
  /** The options the bot created it with, as GET /meetings/{id} reads them back. */
  options: Record<string, unknown>;
  /** When the meeting clock started this occurrence. */
  startedAt?: Date;
}

/** Webex ids: base64 of `ciscospark://us/<TYPE>/<uuid>`, padding stripped. */
export const webexId = (type: string, uuid: string = randomUUID()) =>
  Buffer.from(`ciscospark://us/${type}/${uuid}`).toString("base64").replace(/=+$/, "");

/** What the simulated Webex keeps: people, direct spaces, messages, card actions, webhooks, meetings. */
export function webexState(orgId: string, people: { email: string; name: string; uuid: string }[]) {
  const me: WebexPerson = {
    id: webexId("PEOPLE"),
    emails: ["kaigi-guard@webex.bot"],
    displayName: "会議ガード",
    orgId,
    type: "bot",
  };
  const persons = new Map<string, WebexPerson>([[me.id, me]]);
  for (const p of people) {
    const person: WebexPerson = {
      id: webexId("PEOPLE", p.uuid),
      emails: [p.email],
      displayName: p.name,
      orgId,
      type: "person",
    };
    persons.set(person.id, person);
  }
  const byEmail = (email: string) =>
    [...persons.values()].find((p) => p.emails[0]?.toLowerCase() === email.toLowerCase());
  const rooms = new Map<string, string>(); // personId → direct room id
  const roomOf = (personId: string) => {
    let room = rooms.get(personId);
    if (!room) {
      room = webexId("ROOM");
      rooms.set(personId, room);
    }
    return room;
  };
  const messages = new Map<string, Record<string, unknown>>();
  const sent: { seq: number; roomId: string; message: Record<string, unknown> }[] = [];
  const actions = new Map<string, Record<string, unknown>>();
  const webhooks: Record<string, string>[] = [];
  const meetings: LocalWebexMeeting[] = [];
  const appId = webexId("APPLICATION");
  let seq = 0;

  return {
    orgId,
    me,
    persons,
    byEmail,
    rooms,
    roomOf,
    messages,
    sent,
    actions,
    webhooks,
    meetings,
    appId,
    nextSeq: () => ++seq,
  };
}

export type WebexState = ReturnType<typeof webexState>;
