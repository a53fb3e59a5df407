import { expect, it } from "vitest";
import type { Meeting } from "../../src/meetings/types.js";
import type { Database } from "../../src/store/db.js";
import {
  listMeetings,
  loadMeeting,
  readMeeting,
  saveMeeting,
} from "../../src/store/repos/meetings.js";
import { preset, testClock, verdictFor } from "../_util.js";
import { forEachDialect } from "./_util.js";

const clock = testClock();
const verdict = verdictFor(preset("kawasaki"), { service: "webex", participants: 5, tier: "II" });
const meeting = (id: string, tenantId = "city-a"): Meeting => ({
  id,
  tenantId,
  organizerId: "aad:o",
  state: "tier-declared",
  approvals: [],
  cleanup: [],
  remindersSent: 0,
  verdict,
});
const rows = async (db: Database, table: "verdict_texts" | "meetings") =>
  (await db.kysely.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];

forEachDialect("a verdict's texts are kept once per tenant, apart from the meeting", (store) => {
  it("the meeting reads back exactly as written, by this instance and another; the stored document holds references", async () => {
    const config = store.fresh();
    const db = await store.open(config);
    await db.transaction((trx, onCommit) =>
      saveMeeting(trx, meeting("m1"), clock.now(), undefined, onCommit),
    );
    await db.transaction((trx, onCommit) =>
      saveMeeting(trx, meeting("m2"), clock.now(), undefined, onCommit),
    );
    await saveMeeting(db.kysely, meeting("m3", "city-b"), clock.now());
    expect(await readMeeting(db.kysely, "city-a", "m1")).toEqual(meeting("m1"));
    expect(await db.transaction((trx) => loadMeeting(trx, db.dialect, "city-a", "m2"))).toEqual(
      meeting("m2"),
    );
    expect(await listMeetings(db.kysely, "city-b")).toEqual([meeting("m3", "city-b")]);
    // Another instance knows no text yet: it reads them from the store.
    const other = await store.open(config);
    expect(await readMeeting(other.kysely, "city-a", "m2")).toEqual(meeting("m2"));
    const texts = await rows(db, "verdict_texts");
    const perTenant = texts.filter((t) => t.tenant_id === "city-a").length;
    expect(perTenant).toBeGreaterThan(10);
    expect(texts.length).toBe(2 * perTenant); // the second meeting added none; city-b its own
    const stored = await rows(db, "meetings");
    for (const row of stored) {
      expect(row.data).toContain('"$text"');
      expect(row.data).not.toContain(verdict.settings.lobby.text.ja);
      const bytes = (text: string) => Buffer.byteLength(text);
      expect(bytes(String(row.data))).toBeLessThan(bytes(JSON.stringify(meeting("m1"))) / 2);
    }
  });

  it("texts written by a transaction that rolled back are written again by the next", async () => {
    const db = await store.open();
    await expect(
      db.transaction(async (trx, onCommit) => {
        await saveMeeting(trx, meeting("m1"), clock.now(), undefined, onCommit);
        throw new Error("refused after writing");
      }),
    ).rejects.toThrow("refused after writing");
    expect(await rows(db, "verdict_texts")).toEqual([]);
    await db.transaction((trx, onCommit) =>
      saveMeeting(trx, meeting("m2"), clock.now(), undefined, onCommit),
    );
    expect(await readMeeting(db.kysely, "city-a", "m2")).toEqual(meeting("m2"));
  });

  it("a meeting stored with its texts inline (before migration 009) still reads", async () => {
    const db = await store.open();
    await db.kysely
      .insertInto("meetings")
      .values({
        tenant_id: "city-a",
        id: "old",
        state: "tier-declared",
        organizer_id: "aad:o",
        starts_at: null,
        data: JSON.stringify(meeting("old")),
        version: 1,
        updated_at: clock.now().toISOString(),
      })
      .execute();
    expect(await readMeeting(db.kysely, "city-a", "old")).toEqual(meeting("old"));
  });
});
