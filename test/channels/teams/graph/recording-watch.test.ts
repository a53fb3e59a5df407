import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  recordingNotification,
  recordingWatchId,
} from "../../../../src/channels/teams/graph/recording-watch.js";
import { Database } from "../../../../src/store/db.js";
import { saveConversation } from "../../../../src/store/repos/conversations.js";
import {
  saveSubscription,
  subscriptionWork,
} from "../../../../src/store/repos/graph-subscriptions.js";

const TENANT = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";
/** A meeting's recordings subscription, as recordingWatch saves it. */
const sub = {
  tenantId: TENANT,
  personId: recordingWatchId("m-2"),
  subscriptionId: "sub-rec",
  clientState: "kg-x",
  resource: "communications/onlineMeetings/MSo/recordings",
  expiresAt: "2026-12-02T00:00:00.000Z",
};
let db: Database;
let dir = "";

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-recwatch-"));
  db = await Database.open({ kind: "sqlite", path: join(dir, "store.sqlite") });
});
afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("a meeting's recordings subscription (R-REC 3 on Teams)", () => {
  it("the calendar keeper watches people only, and leaves a meeting's recordings subscription to expire", async () => {
    const at = new Date("2026-12-01T00:00:00Z");
    for (const personId of ["aad:organizer", "meeting:m-1"])
      await saveConversation(db.kysely, {
        tenantId: TENANT,
        personId,
        channel: "teams",
        reference: { serviceUrl: "https://smba.example/" },
        at,
      });
    await saveSubscription(db.kysely, sub, at);
    const work = await subscriptionWork(db.kysely, new Date("2026-12-05T00:00:00Z"));
    // Before: the meeting chat `meeting:m-1` was taken for a person and `users/meeting:m-1/events`
    // subscribed every pass (Graph refuses it).
    expect(work.missing.map((m) => m.personId)).toEqual(["aad:organizer"]);
    expect(work.expiring).toEqual([]);
  });

  it("a notification of that subscription becomes one outbox row per recording; others are not its", () => {
    expect(recordingNotification(sub, "created", "rec-1")).toEqual({
      tenantId: TENANT,
      idempotencyKey: `graph-recording:${TENANT}:rec-1`,
      kind: "platform",
      payload: { action: "recording-reported", meetingId: "m-2", recordingId: "rec-1" },
    });
    expect(recordingNotification(sub, "updated", "rec-1")).toBeUndefined();
    expect(recordingNotification(sub, "created", undefined)).toBeUndefined();
    expect(
      recordingNotification({ ...sub, personId: "aad:organizer" }, "created", "ev-1"),
    ).toBeUndefined();
  });
});
