import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { FixedClock } from "../../src/clock.js";
import { Governor } from "../../src/governor/governor.js";
import { exportTenant, importTenant, type TenantArchive } from "../../src/store/archive.js";
import { Database } from "../../src/store/db.js";
import { governorStore } from "../../src/store/governor-store.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { readMeeting } from "../../src/store/repos/meetings.js";
import { upsertDevice } from "../../src/store/repos/devices.js";
import { draftInput, preset } from "../_util.js";
import { forEachDialect } from "./_util.js";

const TENANT = "city-archive";
let source: Database;
let dir = "";
let archive: TenantArchive;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "kaigi-guard-archive-"));
  source = await Database.open({ kind: "sqlite", path: join(dir, "source.sqlite") });
  const clock = new FixedClock("2026-11-24T00:00:00.000Z");
  const policy = () => ({
    ...preset("kawasaki"),
    directory: { approvers: { "external-participants": "aad:approver" } },
  });
  const governor = new Governor(governorStore(source, clock), policy, clock);
  const env = (n: string, actor = "aad:org") => ({
    eventId: n,
    tenantId: TENANT,
    meetingId: "m1",
    actor,
  });
  await governor.handle(env("1"), {
    ...draftInput("外部講師との打合せ"),
    plan: { ...draftInput("x").plan, external: true },
  });
  await governor.handle(env("2"), { type: "tier-answered", tier: "II" });
  await governor.handle(env("3"), { type: "confirm" });
  await governor.handle(env("4", "aad:approver"), {
    type: "approval-answered",
    kind: "external-participants",
    decision: "approved",
  });
  await upsertDevice(source.kysely, TENANT, {
    id: "tab-01",
    label: "タブレット",
    department: "総務課",
  });
  await governor.handle({ ...env("5"), tenantId: "someone-else" }, draftInput("別テナント"));
  archive = await exportTenant(source.kysely, TENANT, clock);
});

afterAll(async () => {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
});

it("the archive holds the tenant's rows only, the log with its hashes, and no credentials", () => {
  expect(archive.tables.meetings.map((m) => m.id)).toEqual(["m1"]);
  expect(archive.tables.log_entries.length).toBeGreaterThanOrEqual(5);
  expect(archive.tables.log_entries.every((e) => typeof e.hash === "string")).toBe(true);
  expect(archive.tables.outbox.length).toBeGreaterThan(0);
  expect(archive.tables.timers.length).toBeGreaterThan(0);
  expect(JSON.stringify(archive)).not.toContain("別テナント");
  expect(Object.keys(archive.tables)).not.toContain("admin_accounts");
});

forEachDialect("tenant archive: export from one deployment, import into another (LGC)", (store) => {
  it("imports into an empty store in one go; the chain verifies and the meeting reads the same", async () => {
    const target = await store.open();
    const counts = await importTenant(target, JSON.parse(JSON.stringify(archive)));
    expect(counts.log_entries).toBe(archive.tables.log_entries.length);
    const report = await verifyChain(target, TENANT);
    expect(report).toMatchObject({ ok: true, entries: archive.tables.log_entries.length });
    expect(await readMeeting(target.kysely, TENANT, "m1")).toEqual(
      await readMeeting(source.kysely, TENANT, "m1"),
    );
  });

  it("a tenant the store already has, or a row of another tenant, is refused with nothing written", async () => {
    const target = await store.open();
    await importTenant(target, archive);
    await expect(importTenant(target, archive)).rejects.toMatchObject({ code: "BAD_ARGUMENT" });
    const other = await store.open();
    const forged = structuredClone(archive);
    forged.tables.log_entries.push({
      ...forged.tables.log_entries[0],
      tenant_id: "victim",
      seq: 99,
    });
    await expect(importTenant(other, forged)).rejects.toMatchObject({ code: "BAD_ARGUMENT" });
    expect(await other.kysely.selectFrom("meetings").select("id").execute()).toEqual([]);
    expect(await other.kysely.selectFrom("log_entries").select("seq").execute()).toEqual([]);
    await expect(importTenant(other, { format: "something else" })).rejects.toMatchObject({
      code: "BAD_ARGUMENT",
    });
  });
});
