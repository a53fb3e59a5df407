import { beforeEach, expect, it } from "vitest";
import type { Database } from "../../src/store/db.js";
import { appendLog } from "../../src/store/log/append.js";
import { exportLog } from "../../src/store/log/export.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { applyRetention, retentionPass } from "../../src/store/retention.js";
import { testClock } from "../_util.js";
import { forEachDialect } from "./_util.js";

const DAY = 86_400_000;
const NAME = "山田 花子";

forEachDialect(
  "retention: personal data erased after the policy's period (R-LOG 4, KSS 第8章3(2)エ)",
  (store) => {
    let db: Database;
    const clock = testClock();

    beforeEach(async () => {
      db = await store.open();
      // Ten entries a day apart, each with a participant's name kept beside the chain.
      for (let i = 1; i <= 10; i++) {
        await db.transaction(async (trx) => {
          await appendLog(trx, clock, [
            {
              tenantId: "city-a",
              meetingId: `m${String(i)}`,
              actor: "system:teams",
              action: "participant.joined",
              payload: { n: i },
              sensitive: { name: NAME },
            },
          ]);
          await trx
            .insertInto("participants")
            .values({
              tenant_id: "city-a",
              meeting_id: `m${String(i)}`,
              person_id: `aad:p${String(i)}`,
              display_name: NAME,
              invited: 1,
              joined_at: clock.now().toISOString(),
              left_at: null,
            })
            .execute();
        });
        await db.transaction((trx) =>
          appendLog(trx, clock, [
            {
              tenantId: "city-b",
              meetingId: null,
              actor: "system:teams",
              action: "participant.joined",
              payload: { n: i },
              sensitive: { name: NAME },
            },
          ]),
        );
        clock.advance(DAY);
      }
    });

    const kept = (tenantId: string) =>
      db.kysely
        .selectFrom("log_sensitive")
        .select("seq")
        .where("tenant_id", "=", tenantId)
        .execute();

    it("erases what is older than the period, keeps the rest, logs what it did, and the chain still verifies", async () => {
      // Now = day 10; a 5-day period erases the entries of days 0–4.
      const result = await applyRetention(db, clock, "city-a", 5);
      expect(result).toMatchObject({ logPersonalData: 5, participantNames: 5 });
      expect((await kept("city-a")).map((r) => r.seq)).toEqual([6, 7, 8, 9, 10]);
      const names = await db.kysely
        .selectFrom("participants")
        .select(["meeting_id", "display_name"])
        .where("tenant_id", "=", "city-a")
        .orderBy("meeting_id")
        .execute();
      expect(
        names
          .filter((n) => n.display_name === null)
          .map((n) => n.meeting_id)
          .sort(),
      ).toEqual(["m1", "m2", "m3", "m4", "m5"]);
      const report = await verifyChain(db, "city-a");
      expect(report.ok).toBe(true);
      expect(report.entries).toBe(11); // the ten, and the retention entry
      const logged = await db.kysely
        .selectFrom("log_entries")
        .select(["actor", "payload"])
        .where("tenant_id", "=", "city-a")
        .where("action", "=", "retention.applied")
        .execute();
      expect(logged).toHaveLength(1);
      expect(JSON.parse(logged[0]?.payload ?? "{}")).toMatchObject({ days: 5, logPersonalData: 5 });
      // The export with personal data shows it only for the entries still within the period.
      let json = "";
      await exportLog(db.kysely, "city-a", { format: "json", personal: true }, (c) => (json += c));
      expect(json.split(NAME).length - 1).toBe(5);
      // Another tenant is untouched.
      expect(await kept("city-b")).toHaveLength(10);
    });

    it("a second run finds nothing and writes nothing", async () => {
      await applyRetention(db, clock, "city-a", 5);
      const again = await applyRetention(db, clock, "city-a", 5);
      expect(again).toMatchObject({ logPersonalData: 0, participantNames: 0 });
      const entries = await db.kysely
        .selectFrom("log_entries")
        .select("seq")
        .where("tenant_id", "=", "city-a")
        .execute();
      expect(entries).toHaveLength(11);
    });

    it("a pass applies each tenant's own period and skips a tenant without one", async () => {
      const touched = await retentionPass(db, clock, (t) => (t === "city-b" ? 2 : undefined));
      expect(touched).toBe(1);
      expect(await kept("city-a")).toHaveLength(10);
      expect(await kept("city-b")).toHaveLength(2);
      expect((await verifyChain(db, "city-b")).ok).toBe(true);
    });
  },
);
