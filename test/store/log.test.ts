import { beforeEach, expect, it } from "vitest";
import { sql } from "kysely";
import type { Database } from "../../src/store/db.js";
import { appendLog, redactEntry, type NewLogEntry } from "../../src/store/log/append.js";
import { withChainSnapshot } from "../../src/store/log/snapshot.js";
import { chainTenants, verifyChain } from "../../src/store/log/verify.js";
import { testClock } from "../_util.js";
import { forEachDialect } from "./_util.js";

const entry = (tenantId: string, i: number): NewLogEntry => ({
  tenantId,
  meetingId: `m${i % 3}`,
  actor: "aad:organizer",
  action: "tier.declared",
  payload: { tier: "I", n: i, nested: { b: 2, a: 1 } },
  sensitive: { name: "山田 花子", email: "hanako.yamada@city.example.lg.jp" },
});

async function seed(db: Database, tenantId: string, count: number) {
  const clock = testClock();
  for (let i = 1; i <= count; i++) {
    await db.transaction((trx) => appendLog(trx, clock, [entry(tenantId, i)]));
    clock.advance(1);
  }
}

forEachDialect("meeting log (R-LOG 2)", (store) => {
  let db: Database;
  beforeEach(async () => {
    db = await store.open();
    await seed(db, "city-a", 10);
    await seed(db, "city-b", 3);
  });

  it("chains per tenant from sequence 1 and verifies end to end", async () => {
    expect(await chainTenants(db.kysely)).toEqual(["city-a", "city-b"]);
    expect(await verifyChain(db, "city-a")).toEqual({
      tenantId: "city-a",
      ok: true,
      entries: 10,
      headSeq: 10,
    });
    expect(await verifyChain(db, "city-b")).toMatchObject({ ok: true, entries: 3 });
  });

  it("entries carry UTC time with milliseconds", async () => {
    const rows = await db.kysely
      .selectFrom("log_entries")
      .select("at")
      .where("tenant_id", "=", "city-a")
      .execute();
    for (const r of rows) expect(r.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it("a changed entry is named", async () => {
    await sql`update log_entries set payload = ${'{"tier":"III"}'} where tenant_id = 'city-a' and seq = 4`.execute(
      db.kysely,
    );
    expect((await verifyChain(db, "city-a")).firstBad).toEqual({
      seq: 4,
      reason: "altered",
    });
    expect((await verifyChain(db, "city-b")).ok).toBe(true);
  });

  it("a deleted entry is named", async () => {
    await sql`delete from log_entries where tenant_id = 'city-a' and seq = 6`.execute(db.kysely);
    expect((await verifyChain(db, "city-a")).firstBad).toEqual({
      seq: 6,
      reason: "missing",
    });
  });

  it("a deleted last entry is named (the head remembers)", async () => {
    await sql`delete from log_entries where tenant_id = 'city-a' and seq = 10`.execute(db.kysely);
    expect((await verifyChain(db, "city-a")).firstBad).toEqual({
      seq: 10,
      reason: "missing",
    });
  });

  it("reordered entries are named", async () => {
    await sql`update log_entries set seq = -3 where tenant_id = 'city-a' and seq = 3`.execute(
      db.kysely,
    );
    await sql`update log_entries set seq = 3 where tenant_id = 'city-a' and seq = 5`.execute(
      db.kysely,
    );
    await sql`update log_entries set seq = 5 where tenant_id = 'city-a' and seq = -3`.execute(
      db.kysely,
    );
    expect((await verifyChain(db, "city-a")).firstBad?.seq).toBe(3);
  });

  it("an inserted entry is named", async () => {
    await sql`update log_entries set seq = seq + 100 where tenant_id = 'city-a' and seq >= 7`.execute(
      db.kysely,
    );
    await sql`update log_entries set seq = seq - 99 where tenant_id = 'city-a' and seq >= 107`.execute(
      db.kysely,
    );
    await sql`insert into log_entries (tenant_id, seq, meeting_id, actor, action, payload, sensitive_hash, at, prev_hash, hash)
      select tenant_id, 7, meeting_id, actor, 'cleanup.confirmed', payload, sensitive_hash, at, prev_hash, hash from log_entries where tenant_id = 'city-a' and seq = 6`.execute(
      db.kysely,
    );
    expect((await verifyChain(db, "city-a")).firstBad?.seq).toBe(7);
  });

  it("an entry appended behind the head's back is named", async () => {
    await sql`insert into log_entries (tenant_id, seq, meeting_id, actor, action, payload, sensitive_hash, at, prev_hash, hash)
      select tenant_id, 11, meeting_id, actor, action, payload, sensitive_hash, at, hash, hash from log_entries where tenant_id = 'city-a' and seq = 10`.execute(
      db.kysely,
    );
    expect((await verifyChain(db, "city-a")).firstBad).toEqual({
      seq: 11,
      reason: "beyond-head",
    });
  });

  it("personal data can be redacted without breaking the chain, but not altered", async () => {
    expect(await db.transaction((trx) => redactEntry(trx, "city-a", 2))).toBe(true);
    expect(
      await db.kysely
        .selectFrom("log_sensitive")
        .select("seq")
        .where("tenant_id", "=", "city-a")
        .where("seq", "=", 2)
        .execute(),
    ).toEqual([]);
    expect((await verifyChain(db, "city-a")).ok).toBe(true);
    await sql`update log_sensitive set data = ${'{"name":"someone else"}'} where tenant_id = 'city-a' and seq = 3`.execute(
      db.kysely,
    );
    expect((await verifyChain(db, "city-a")).firstBad).toEqual({
      seq: 3,
      reason: "personal-data-altered",
    });
  });

  it("personal data never reaches the chained part of an entry", async () => {
    const rows = await db.kysely.selectFrom("log_entries").select("payload").execute();
    expect(rows.map((r) => r.payload).join("\n")).not.toMatch(/山田|hanako/);
  });

  it("a log write without a tenant is refused", async () => {
    await expect(
      db.transaction((trx) => appendLog(trx, testClock(), [entry("", 1)])),
    ).rejects.toMatchObject({ code: "TENANT_REQUIRED" });
  });

  it("concurrent appenders never fork a chain", async () => {
    const clock = testClock();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        db.transaction((trx) =>
          appendLog(trx, clock, [entry("city-c", i), entry("city-c", i + 100)]),
        ),
      ),
    );
    expect(await verifyChain(db, "city-c")).toMatchObject({ ok: true, entries: 40 });
  });

  it("verify reads one snapshot: appends committed meanwhile are neither half-seen nor tampering", async () => {
    const clock = testClock();
    const bulk = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ ...entry("city-d", i), sensitive: {} }));
    for (let i = 0; i < 3; i++) await db.transaction((trx) => appendLog(trx, clock, bulk(5_000)));
    const [report] = await Promise.all([
      verifyChain(db, "city-d"),
      (async () => {
        for (let i = 0; i < 30; i++) await db.transaction((trx) => appendLog(trx, clock, bulk(1)));
      })(),
    ]);
    expect(report).toMatchObject({ ok: true });
    expect(report.entries).toBeGreaterThanOrEqual(15_000);
    expect(await verifyChain(db, "city-d")).toMatchObject({ ok: true, entries: 15_030 });
  });

  it("the database's own pass agrees with the exact rules on awkward text, and flags the right entry", async () => {
    const texts = [
      'quote " backslash \\',
      "control \u0001\b\t\n\r",
      "会議ガード 😀",
      "\u2028\u007f",
    ];
    await db.transaction((trx) =>
      appendLog(
        trx,
        testClock(),
        texts.map((t, i) => ({
          tenantId: "city-t",
          meetingId: i === 0 ? null : t,
          actor: t,
          action: `odd.${String(i)}`,
          payload: { t },
          sensitive: { t },
        })),
      ),
    );
    const suspect = () => withChainSnapshot(db, "city-t", (s) => s.firstSuspect(s.head?.seq ?? 0));
    expect(await suspect()).toBeUndefined();
    await sql`update log_entries set actor = 'someone else' where tenant_id = 'city-t' and seq = 3`.execute(
      db.kysely,
    );
    const second = await db.kysely
      .selectFrom("log_entries")
      .select(["seq", "hash"])
      .where("tenant_id", "=", "city-t")
      .where("seq", "=", 2)
      .executeTakeFirstOrThrow();
    expect(await suspect()).toEqual({ seq: 3, before: second });
    expect((await verifyChain(db, "city-t")).firstBad).toEqual({ seq: 3, reason: "altered" });
  });

  it("an entry numbered below 1 does not belong to the chain and is named", async () => {
    await sql`insert into log_entries (tenant_id, seq, meeting_id, actor, action, payload, sensitive_hash, at, prev_hash, hash)
      select tenant_id, 0, meeting_id, actor, action, payload, sensitive_hash, at, prev_hash, hash from log_entries where tenant_id = 'city-a' and seq = 1`.execute(
      db.kysely,
    );
    expect((await verifyChain(db, "city-a")).firstBad).toEqual({ seq: 0, reason: "beyond-head" });
  });
});
