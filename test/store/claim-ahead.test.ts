import { beforeEach, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { Governor } from "../../src/governor/governor.js";
import type { Envelope } from "../../src/governor/inputs.js";
import type { Database } from "../../src/store/db.js";
import { governorStore } from "../../src/store/governor-store.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { claimEventAndLoad } from "../../src/store/repos/meetings.js";
import { draftInput, preset } from "../_util.js";
import { countStatements, forEachDialect } from "./_util.js";

/**
 * Claims ahead (group-commit.ts ClaimAhead, repos/claim-ahead.ts): on PostgreSQL a group's turns
 * claim their events and load their meetings in one statement after BEGIN, and each turn takes
 * its own claim from it — what it would have found claiming alone.
 */
const TENANT = "city-a";
const ORGANIZER = "aad:organizer";
const draft = draftInput("定例会議");
const env = (eventId: string, meetingId: string): Envelope => ({
  eventId,
  tenantId: TENANT,
  meetingId,
  actor: ORGANIZER,
});

const sent = countStatements();
const claimsSent = () => ({
  ahead: sent.filter((s) => s.includes("unnest($2::text[]")).length,
  alone: sent.filter((s) => s.startsWith("with claimed as (")).length,
});

forEachDialect(
  "claims ahead for a group",
  (store) => {
    let db: Database;
    let governor: Governor;
    beforeEach(async () => {
      db = await store.open();
      const clock = new FixedClock("2026-11-24T00:00:00.000Z");
      governor = new Governor(governorStore(db, clock), () => preset("kawasaki"), clock);
    });
    const states = async () =>
      Object.fromEntries(
        (await db.kysely.selectFrom("meetings").select(["id", "state"]).execute()).map((r) => [
          r.id,
          r.state,
        ]),
      );

    it("ten turns asked for together claim in one statement, each handled once", async () => {
      const outcomes = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          governor.handle(env(`e${String(i)}`, `m${String(i)}`), draft),
        ),
      );
      expect(outcomes.map((o) => o.status)).toEqual(Array(10).fill("done"));
      expect(claimsSent()).toEqual({ ahead: 1, alone: 0 });
      expect(Object.keys(await states())).toHaveLength(10);
      expect(await verifyChain(db, TENANT)).toMatchObject({ ok: true, entries: 10 });
    });

    it("a second turn on the same meeting in the group sees what the first one saved", async () => {
      const [drafted, declared] = await Promise.all([
        governor.handle(env("e1", "m1"), draft),
        governor.handle(env("e2", "m1"), { type: "tier-answered", tier: "II" }),
      ]);
      expect(claimsSent().ahead).toBe(1);
      expect(drafted.status).toBe("done");
      // Claimed ahead when m1 did not exist yet; read again after the draft saved it.
      expect(declared).toMatchObject({ status: "done", meeting: { state: "tier-declared" } });
      expect(await states()).toEqual({ m1: "tier-declared" });
    });

    it("the same event twice in one group is handled once", async () => {
      const outcomes = await Promise.all([
        governor.handle(env("same", "m1"), draft),
        governor.handle(env("other", "m2"), draft),
        governor.handle(env("same", "m1"), draft),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(["done", "done", "duplicate"]);
      expect(await verifyChain(db, TENANT)).toMatchObject({ ok: true, entries: 2 });
    });

    it("a turn that fails takes its claim with it; the others commit and its event can come again", async () => {
      const failing = db.transaction(
        async (trx) => {
          await claimEventAndLoad(trx, "postgres", new Date(), env("bad", "m9"));
          throw new Error("this turn's own failure");
        },
        {
          tenantId: TENANT,
          ahead: { eventId: "bad", meetingId: "m9", at: "2026-11-24T00:00:00.000Z" },
        },
      );
      const outcomes = await Promise.all([
        governor.handle(env("e1", "m1"), draft),
        failing.catch((error: unknown) => (error as Error).message),
        governor.handle(env("e2", "m2"), draft),
      ]);
      expect(outcomes[0]).toMatchObject({ status: "done" });
      expect(outcomes[1]).toMatch(/this turn's own failure/);
      expect(outcomes[2]).toMatchObject({ status: "done" });
      expect(Object.keys(await states()).sort()).toEqual(["m1", "m2"]);
      expect(await governor.handle(env("bad", "m9"), draft)).toMatchObject({ status: "done" });
    });

    it("a transaction that says it will claim an event and does not fails its group: no event is claimed unhandled", async () => {
      const forgetful = db.transaction(() => Promise.resolve("did nothing"), {
        tenantId: TENANT,
        ahead: { eventId: "forgotten", meetingId: "m5", at: "2026-11-24T00:00:00.000Z" },
      });
      const outcomes = await Promise.allSettled([
        governor.handle(env("e1", "m1"), draft),
        forgetful,
      ]);
      expect(outcomes.every((o) => o.status === "rejected")).toBe(true);
      const claimed = await db.kysely.selectFrom("processed_events").select("event_id").execute();
      expect(claimed).toEqual([]);
    });
  },
  ["postgres"],
);
