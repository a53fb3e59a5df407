import { createHash } from "node:crypto";
import { expect, it } from "vitest";
import type { Meeting } from "../../src/meetings/types.js";
import { evaluateRemembered } from "../../src/policy/evaluate.js";
import { meetingPlanSchema } from "../../src/policy/plan.js";
import type { Database } from "../../src/store/db.js";
import { listMeetings, readMeeting, saveMeeting } from "../../src/store/repos/meetings.js";
import { preset, testClock, verdictFor } from "../_util.js";
import { forEachDialect } from "./_util.js";

const clock = testClock();
const policy = preset("kawasaki");
const verdict = verdictFor(policy, { service: "webex", participants: 5, tier: "II" });
const other = verdictFor(policy, { service: "webex", participants: 5, tier: "I" });
const meeting = (id: string, tenantId = "city-a", v = verdict): Meeting => ({
  id,
  tenantId,
  organizerId: "aad:o",
  state: "tier-declared",
  approvals: [],
  cleanup: [],
  remindersSent: 0,
  verdict: v,
});
const rows = async (db: Database, table: "verdicts" | "verdict_texts" | "meetings") =>
  (await db.kysely.selectFrom(table).selectAll().execute()) as Record<string, unknown>[];
const bytes = (text: string) => Buffer.byteLength(text);

/** A meeting row as an earlier version wrote it: `data` as given. */
const insertRaw = (db: Database, id: string, data: unknown) =>
  db.kysely
    .insertInto("meetings")
    .values({
      tenant_id: "city-a",
      id,
      state: "tier-declared",
      organizer_id: "aad:o",
      starts_at: null,
      data: JSON.stringify(data),
      version: 1,
      updated_at: clock.now().toISOString(),
    })
    .execute();

forEachDialect(
  "a verdict is kept once per tenant, apart from the meetings that have it",
  (store) => {
    it("meetings read back exactly as written, by this instance and another; their documents hold a reference", async () => {
      const config = store.fresh();
      const db = await store.open(config);
      await db.transaction((trx, onCommit) =>
        saveMeeting(trx, meeting("m1"), clock.now(), undefined, onCommit),
      );
      await db.transaction((trx, onCommit) =>
        saveMeeting(trx, meeting("m2"), clock.now(), undefined, onCommit),
      );
      await db.transaction((trx, onCommit) =>
        saveMeeting(trx, meeting("m3", "city-a", other), clock.now(), undefined, onCommit),
      );
      await saveMeeting(db.kysely, meeting("m4", "city-b"), clock.now());
      expect(await readMeeting(db.kysely, "city-a", "m1")).toEqual(meeting("m1"));
      expect(await db.transaction((trx) => readMeeting(trx, "city-a", "m2"))).toEqual(
        meeting("m2"),
      );
      expect(await readMeeting(db.kysely, "city-a", "m3")).toEqual(meeting("m3", "city-a", other));
      expect(await listMeetings(db.kysely, "city-b")).toEqual([meeting("m4", "city-b")]);
      // Another instance has read no verdict yet: it reads them from the store.
      const second = await store.open(config);
      expect(await readMeeting(second.kysely, "city-a", "m2")).toEqual(meeting("m2"));
      expect(await readMeeting(second.kysely, "city-a", "m3")).toEqual(
        meeting("m3", "city-a", other),
      );
      // Two verdicts for city-a (m1 and m2 share one), one for city-b.
      const stored = await rows(db, "verdicts");
      expect(stored).toHaveLength(3);
      expect(stored.filter((r) => r.tenant_id === "city-a")).toHaveLength(2);
      for (const row of await rows(db, "meetings")) {
        expect(row.data).toMatch(/"verdict":\{"\$verdict":"[0-9a-f]{32}"\}/);
        expect(row.data).not.toContain(verdict.settings.lobby.text.ja);
        expect(bytes(String(row.data))).toBeLessThan(bytes(JSON.stringify(meeting("m1"))) / 4);
      }
    });

    it("a verdict read back is frozen and shared: changing it throws, other meetings keep theirs", async () => {
      const db = await store.open();
      await saveMeeting(db.kysely, meeting("m1"), clock.now());
      await saveMeeting(db.kysely, meeting("m2"), clock.now());
      const m1 = await readMeeting(db.kysely, "city-a", "m1");
      const m2 = await readMeeting(db.kysely, "city-a", "m2");
      expect(m1?.verdict).toBe(m2?.verdict);
      expect(() => {
        (m1?.verdict as { allowed: boolean }).allowed = false;
      }).toThrow(TypeError);
      expect(await readMeeting(db.kysely, "city-a", "m2")).toEqual(meeting("m2"));
    });

    it("a verdict written by a transaction that rolled back is written again by the next", async () => {
      const db = await store.open();
      await expect(
        db.transaction(async (trx, onCommit) => {
          await saveMeeting(trx, meeting("m1"), clock.now(), undefined, onCommit);
          throw new Error("refused after writing");
        }),
      ).rejects.toThrow("refused after writing");
      expect(await rows(db, "verdicts")).toEqual([]);
      await db.transaction((trx, onCommit) =>
        saveMeeting(trx, meeting("m2"), clock.now(), undefined, onCommit),
      );
      expect(await rows(db, "verdicts")).toHaveLength(1);
      expect(await readMeeting(db.kysely, "city-a", "m2")).toEqual(meeting("m2"));
    });

    it("meetings written before migration 010 — verdict inline, or its texts by reference (009) — still read", async () => {
      const db = await store.open();
      await insertRaw(db, "inline", meeting("inline"));
      // As 009 wrote them: each { ja, en } text in verdict_texts, { $text: id } in its place.
      const texts = new Map<string, { ja: string; en: string }>();
      const refer = (value: unknown): unknown => {
        if (Array.isArray(value)) return value.map(refer);
        if (typeof value !== "object" || value === null) return value;
        const { ja, en } = value as { ja?: unknown; en?: unknown };
        if (typeof ja === "string" && typeof en === "string" && Object.keys(value).length === 2) {
          const id = createHash("sha256").update(`${ja}\u0000${en}`).digest("hex").slice(0, 32);
          texts.set(id, { ja, en });
          return { $text: id };
        }
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, refer(v)]));
      };
      await insertRaw(db, "texts", { ...meeting("texts"), verdict: refer(verdict) });
      await db.kysely
        .insertInto("verdict_texts")
        .values([...texts].map(([id, t]) => ({ tenant_id: "city-a", id, ...t })))
        .execute();
      expect(texts.size).toBeGreaterThan(10);
      expect(await readMeeting(db.kysely, "city-a", "inline")).toEqual(meeting("inline"));
      expect(await readMeeting(db.kysely, "city-a", "texts")).toEqual(meeting("texts"));
    });
  },
);

it("the same plan under the same policy is evaluated once: the very same verdict, frozen", () => {
  const plan = meetingPlanSchema.parse({ service: "webex", participants: 5, tier: "II" });
  const first = evaluateRemembered(plan, policy);
  expect(evaluateRemembered({ ...plan }, policy)).toBe(first);
  expect(first).toEqual(verdict);
  expect(Object.isFrozen(first.settings.lobby)).toBe(true);
  expect(evaluateRemembered({ ...plan, tier: "I" }, policy)).not.toBe(first);
});
