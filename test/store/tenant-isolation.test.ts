import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { systemClock } from "../../src/clock.js";
import { Governor } from "../../src/governor/governor.js";
import { loadPolicy } from "../../src/policy/load.js";
import { Database } from "../../src/store/db.js";
import { governorStore } from "../../src/store/governor-store.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { draftInput } from "../_util.js";
import { PG_URL, freshConfig } from "./_util.js";

/**
 * One deployment serves many municipalities (R-TEN): on PostgreSQL, two app instances (two
 * pools on one schema), tenants A and B. A's log head is held by another connection's open
 * transaction for 2 s; B's governance turns on either instance answer at once, and A's turn
 * finishes after the hold, its chain intact. (With one group lock shared by every tenant, the
 * instance whose group waited on A's head held that lock, and B waited 2 s on the other one.)
 */

const A = "tenant-a.example.lg.jp";
const B = "tenant-b.example.lg.jp";
const policy = loadPolicy("kawasaki").policy;
const reachable = await new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 2000 })
  .connect()
  .then(
    (c) => c.end().then(() => true),
    () => false,
  );
if (!reachable)
  console.warn(`\n*** PostgreSQL at ${PG_URL} is unreachable: tenant isolation is SKIPPED ***\n`);

let n = 0;
const turn = (governor: Governor, tenantId: string) =>
  governor.handle(
    { eventId: `e-${String(++n)}`, tenantId, meetingId: `m-${String(n)}`, actor: "aad:someone" },
    draftInput(`会議 ${String(n)}`),
  );

describe.skipIf(!reachable)(
  "PostgreSQL: one tenant's stalled transaction delays that tenant only",
  () => {
    const { config, cleanup } = freshConfig("postgres");
    let one: Database;
    let two: Database;
    let holder: pg.Client;

    beforeAll(async () => {
      one = await Database.open(config);
      two = await Database.open(config);
      holder = new pg.Client({ connectionString: PG_URL });
      await holder.connect();
    });
    afterAll(async () => {
      await holder.end();
      await one.close();
      await two.close();
      await cleanup();
    });

    it("A's head held 2 s: B's turns on both instances answer in < 0.5 s each; A's turn then finishes, chain intact", async () => {
      const first = new Governor(governorStore(one, systemClock), () => policy, systemClock);
      const second = new Governor(governorStore(two, systemClock), () => policy, systemClock);
      // Both tenants have a log head to hold.
      await turn(first, A);
      await turn(second, B);

      const schema = config.kind === "postgres" ? config.schema : "";
      await holder.query(`set search_path to "${String(schema)}"`);
      await holder.query("begin");
      await holder.query("select seq from log_heads where tenant_id = $1 for update", [A]);
      const heldAt = Date.now();
      const release = new Promise<void>((resolve) => {
        setTimeout(() => {
          void holder.query("commit").then(() => {
            resolve();
          });
        }, 2_000);
      });

      // A's turn on instance one waits for the hold.
      const stalled = turn(first, A).then(() => Date.now() - heldAt);
      await new Promise((r) => setTimeout(r, 100));

      const timings: number[] = [];
      for (const governor of [second, first, second, first, second]) {
        const started = Date.now();
        const outcome = await turn(governor, B);
        expect(outcome.status).toBe("done");
        timings.push(Date.now() - started);
      }
      console.log(`B's turns during A's hold (ms): ${timings.join(", ")}`);
      for (const ms of timings) expect(ms).toBeLessThan(500);

      await release;
      const aWaited = await stalled;
      expect(aWaited).toBeGreaterThanOrEqual(1_900);
      for (const tenant of [A, B]) {
        const report = await verifyChain(one, tenant);
        expect(report.ok).toBe(true);
      }
      expect((await verifyChain(one, A)).entries).toBeGreaterThanOrEqual(2);
      expect((await verifyChain(two, B)).entries).toBeGreaterThanOrEqual(6);
    }, 30_000);
  },
);
