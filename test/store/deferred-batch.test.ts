import { describe, expect, it } from "vitest";
import {
  asWaiting,
  combined,
  conflicts,
  deferrable,
  type Rows,
  type Waiting,
} from "../../src/store/deferred-batch.js";

const write = (table: string, sql: string, values: unknown[], rows?: Rows, turn = 0): Waiting => {
  const w = asWaiting(deferrable(table, sql, rows), values, turn);
  if (!w) throw new Error("not marked");
  return w;
};

const TIMER =
  'insert into "timers" ("tenant_id", "key", "kind") values ($1, $2, $3) on conflict ("tenant_id", "key") do nothing';
const timer = (tenant: string, key: string, turn = 0) =>
  write("timers", TIMER, [tenant, key, "remind"], { key: [0, 1] }, turn);
const cancel = (tenant: string, pattern: string) =>
  write(
    "timers",
    `delete from "timers" where "tenant_id" = $1 and key like $2 escape '\\'`,
    [tenant, pattern],
    { like: [0, 1] },
  );

describe("deferred writes sent together", () => {
  it("reads the marker: table, the key's values, and a statement without a marker is none", () => {
    const w = timer("city-a", "remind:m1");
    expect(w).toMatchObject({ table: "timers", key: ["city-a", "remind:m1"], like: false });
    expect(w.sql.startsWith("insert into")).toBe(true);
    expect(asWaiting('select 1 from "timers"', [], 0)).toBeUndefined();
  });

  it("two writes of one row conflict; of distinct rows, or of other tables, they do not", () => {
    expect(conflicts(timer("a", "k1"), timer("a", "k1"))).toBe(true);
    expect(conflicts(timer("a", "k1"), timer("a", "k2"))).toBe(false);
    expect(conflicts(timer("a", "k1"), timer("b", "k1"))).toBe(false);
    const meeting = write("meetings", "update x", ["a", "k1"], { key: [0, 1] });
    expect(conflicts(timer("a", "k1"), meeting)).toBe(false);
  });

  it("a delete by prefix conflicts with the writes of the rows it matches, either way round", () => {
    expect(conflicts(cancel("a", "remind:m1:%"), timer("a", "remind:m1:2"))).toBe(true);
    expect(conflicts(timer("a", "remind:m1:2"), cancel("a", "remind:m1:%"))).toBe(true);
    expect(conflicts(cancel("a", "remind:m1:%"), timer("a", "remind:m10:2"))).toBe(false);
    expect(conflicts(cancel("a", "remind:m1:%"), timer("b", "remind:m1:2"))).toBe(false);
    // LIKE's escapes and wildcards as PostgreSQL reads them.
    expect(conflicts(cancel("a", "50\\%\\_x%"), timer("a", "50%_x:1"))).toBe(true);
    expect(conflicts(cancel("a", "50\\%\\_x%"), timer("a", "509x:1"))).toBe(false);
    expect(conflicts(cancel("a", "a_c"), timer("a", "abc"))).toBe(true);
    expect(conflicts(cancel("a", "a.c%"), timer("a", "abc"))).toBe(false);
    // Characters a regular expression would read (ids hold dashes, dots, slashes).
    expect(conflicts(cancel("a", "m-1/x.(y)[z]+:%"), timer("a", "m-1/x.(y)[z]+:2"))).toBe(true);
    // Two deletes commute.
    expect(conflicts(cancel("a", "x%"), cancel("a", "x%"))).toBe(false);
  });

  it("a write that names no rows conflicts with every write to its table", () => {
    const any = write("timers", "delete from timers", []);
    expect(conflicts(any, timer("a", "k"))).toBe(true);
    expect(conflicts(timer("a", "k"), any)).toBe(true);
  });

  it("inserts of one text become one insert of several rows, the rest CTEs, parameters renumbered", () => {
    const upsert =
      'insert into "meetings" ("tenant_id", "id", "data") values ($1, $2, $3) on conflict ("tenant_id", "id") do update set "data" = "excluded"."data", "version" = "meetings"."version" + $4';
    const m = (id: string, turn: number) =>
      write("meetings", upsert, ["a", id, `{"id":"${id}"}`, 1], { key: [0, 1] }, turn);
    const [text, values] = combined([
      m("m1", 0),
      timer("a", "k1", 0),
      m("m2", 1),
      timer("a", "k2", 1),
      write("log_heads", 'update "log_heads" set "seq" = $1 where "tenant_id" = $2', [7, "a"]),
    ]);
    expect(text).toBe(
      'with w0 as (insert into "meetings" ("tenant_id", "id", "data") values ($2, $3, $4), ($5, $6, $7) on conflict ("tenant_id", "id") do update set "data" = "excluded"."data", "version" = "meetings"."version" + $1), ' +
        'w1 as (insert into "timers" ("tenant_id", "key", "kind") values ($8, $9, $10), ($11, $12, $13) on conflict ("tenant_id", "key") do nothing), ' +
        'w2 as (update "log_heads" set "seq" = $14 where "tenant_id" = $15) select 1',
    );
    expect(values).toEqual([
      1,
      "a",
      "m1",
      '{"id":"m1"}',
      "a",
      "m2",
      '{"id":"m2"}',
      "a",
      "k1",
      "remind",
      "a",
      "k2",
      "remind",
      7,
      "a",
    ]);
  });

  it("inserts whose parameters after the row differ stay apart, as CTEs of their own", () => {
    const sql = 'insert into "t" ("a") values ($1) on conflict ("a") do update set "b" = $2';
    const [text, values] = combined([
      write("t", sql, ["x", 1], { key: [0] }),
      write("t", sql, ["y", 2], { key: [0] }),
    ]);
    expect(text).toBe(
      'with w0 as (insert into "t" ("a") values ($1) on conflict ("a") do update set "b" = $2), w1 as (insert into "t" ("a") values ($3) on conflict ("a") do update set "b" = $4) select 1',
    );
    expect(values).toEqual(["x", 1, "y", 2]);
  });

  it("one write alone is sent as it is", () => {
    const w = timer("a", "k");
    expect(combined([w])).toEqual([w.sql, w.values]);
  });
});
