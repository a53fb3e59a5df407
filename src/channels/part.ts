import type { Clock } from "../clock.js";
import type { Governor } from "../governor/governor.js";
import type { Route } from "../http/server.js";
import type { Logger } from "../logger.js";
import type { Policy } from "../policy/schema.js";
import type { Database } from "../store/db.js";
import type { PollLoop } from "../store/poll-loop.js";
import { listDevices } from "../store/repos/devices.js";
import { findLinkedMeeting, linkMeeting, type LinkKind } from "../store/repos/links.js";
import { readMeeting } from "../store/repos/meetings.js";
import type { ConversationDeps } from "./conversation.js";
import type { Channels } from "./dispatch.js";
import type { MeetingLinks } from "./meeting-links.js";

/** Background work every `ms` (and at start), its failure logged as `failed` (see createApp). */
export type Every = (ms: number, failed: string, pass: () => Promise<number>) => PollLoop;

/** What the app gives a platform's part (channels/teams/part.ts, channels/webex/part.ts). */
export interface PartDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  governor: Governor;
  policyFor: (tenantId: string) => Policy;
  /** Meeting ids; tests make them predictable. */
  newId: () => string;
  /** For work a part queues outside a turn (a Graph notification): the outbox need not wait. */
  wakeOutbox: () => void;
  every: Every;
}

/**
 * What a platform's part gives the app to wire in; the app knows no platform beyond this (and
 * what it shows tests of Teams).
 */
export interface ChannelPart {
  /** Its HTTP endpoints: the platform's activities, webhooks, notifications. */
  routes: Route[];
  /** What delivers its outbox rows (see dispatch). */
  channels: Channels;
  /** Its background work, started with the app's and stopped with it. */
  loops: PollLoop[];
  /** Once the server listens: what the platform must be able to call back is answered by then. */
  start?: () => Promise<void>;
  stop?: () => Promise<void>;
}

/**
 * What either platform's conversation takes of the app: the governor, the tenants' policies, and
 * the store's meetings, devices and links between platform ids and our meetings.
 */
export function conversationDeps(deps: PartDeps): Pick<
  ConversationDeps,
  "governor" | "policyFor" | "newId" | "logger" | "readMeeting" | "devices"
> & {
  links: MeetingLinks;
} {
  const { db } = deps;
  return {
    governor: deps.governor,
    policyFor: deps.policyFor,
    newId: deps.newId,
    logger: deps.logger,
    readMeeting: (tenantId, meetingId) => readMeeting(db.kysely, tenantId, meetingId),
    devices: (tenantId) => listDevices(db.kysely, tenantId),
    links: {
      find: (tenantId: string, kind: LinkKind, externalId: string) =>
        findLinkedMeeting(db.kysely, tenantId, kind, externalId),
      link: (tenantId: string, kind: LinkKind, externalId: string, meetingId: string) =>
        linkMeeting(db.kysely, tenantId, kind, externalId, meetingId),
    },
  };
}
