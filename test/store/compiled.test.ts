import { sql } from "kysely";
import { expect, it } from "vitest";
import { precompiled } from "../../src/store/compiled.js";
import type { Db } from "../../src/store/db.js";
import { forEachDialect } from "./_util.js";

forEachDialect("precompiled statements", (store) => {
  it("are built once per database and run with each call's own values", async () => {
    const db = await store.open();
    let built = 0;
    const insert = precompiled((d: Db, tenantId: string, eventId: string, at: string) => {
      built++;
      return d
        .insertInto("processed_events")
        .values({ tenant_id: tenantId, event_id: eventId, at });
    });
    const count = precompiled((d: Db, tenantId: string) => {
      built++;
      return d
        .selectFrom("processed_events")
        .select((eb) => eb.fn.countAll<number | string>().as("n"))
        .where("tenant_id", "=", tenantId);
    });
    await insert(db.kysely, "city-a", "e1", "2026-12-01T00:00:00.000Z");
    await db.transaction(async (trx) => {
      await insert(trx, "city-a", "e2", "2026-12-01T00:00:01.000Z");
      await insert(trx, "city-b", "e1", "2026-12-01T00:00:02.000Z");
    });
    const n = async (tenantId: string) =>
      Number((await count(db.kysely, tenantId)).rows[0]?.n ?? -1);
    expect([await n("city-a"), await n("city-b"), await n("city-c")]).toEqual([2, 1, 0]);
    expect(built).toBe(2);
    const rows = await db.kysely.selectFrom("processed_events").selectAll().orderBy("at").execute();
    expect(rows.map((r) => `${r.tenant_id}/${r.event_id}`)).toEqual([
      "city-a/e1",
      "city-a/e2",
      "city-b/e1",
    ]);
  });

  it("refuse a value used as SQL text instead of a parameter", async () => {
    const db = await store.open();
    const unsafe = precompiled((d: Db, column: string) =>
      d.selectFrom("processed_events").select(sql.raw<string>(column).as("x")),
    );
    await expect(unsafe(db.kysely, "event_id")).rejects.toThrow(/as SQL text/);
  });
});

forEachDialect("precompiled statements inside a transaction and outside it", (store) => {
  it("give the same results: rows, affected rows, errors", async () => {
    const db = await store.open();
    const insert = precompiled((d: Db, eventId: string) =>
      d
        .insertInto("processed_events")
        .values({ tenant_id: "city-a", event_id: eventId, at: "2026-12-01T00:00:00.000Z" })
        .onConflict((oc) => oc.columns(["tenant_id", "event_id"]).doNothing()),
    );
    const strict = precompiled((d: Db, eventId: string) =>
      d
        .insertInto("processed_events")
        .values({ tenant_id: "city-a", event_id: eventId, at: "2026-12-01T00:00:00.000Z" }),
    );
    const read = precompiled((d: Db, eventId: string) =>
      d
        .selectFrom("processed_events")
        .select(["event_id", "at"])
        .where("tenant_id", "=", "city-a")
        .where("event_id", "=", eventId),
    );
    const shape = (r: { rows: unknown[]; numAffectedRows?: bigint }) => ({
      rows: r.rows,
      affected: r.numAffectedRows,
    });
    const outside = [
      shape(await insert(db.kysely, "e1")),
      shape(await insert(db.kysely, "e1")),
      shape(await read(db.kysely, "e1")),
    ];
    const inside = await db.transaction(async (trx) => [
      shape(await insert(trx, "e2")),
      shape(await insert(trx, "e2")),
      shape(await read(trx, "e2")),
    ]);
    expect(inside).toEqual(
      outside.map((r) => ({
        ...r,
        rows: r.rows.map((row) => ({ ...(row as object), event_id: "e2" })),
      })),
    );
    expect(outside.map((r) => r.affected)).toEqual([1n, 0n, undefined]);
    // The same driver error either way (the transaction reports it by the driver's code).
    const outsideError = await strict(db.kysely, "e1").catch((e: unknown) => e);
    const code = String((outsideError as { code?: unknown }).code);
    expect(code).toMatch(/^(SQLITE_CONSTRAINT_PRIMARYKEY|23505)$/);
    await expect(db.transaction((trx) => strict(trx, "e2"))).rejects.toThrow(code);
  });
});
