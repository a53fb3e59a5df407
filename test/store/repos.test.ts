import { beforeEach, expect, it } from "vitest";
import type { Meeting } from "../../src/meetings/types.js";
import type { Database, Db } from "../../src/store/db.js";
import { listApprovals } from "../../src/store/repos/approvals.js";
import { listCleanupItems } from "../../src/store/repos/cleanup.js";
import {
  deviceLogbook,
  finishDeviceUse,
  listDevices,
  recordDeviceUse,
  upsertDevice,
} from "../../src/store/repos/devices.js";
import {
  claimEvent,
  claimEventAndLoad,
  listMeetings,
  readMeeting,
  saveMeeting,
} from "../../src/store/repos/meetings.js";
import {
  latestConsents,
  listParticipants,
  recordConsent,
  upsertParticipant,
} from "../../src/store/repos/participants.js";
import { getTenant, upsertTenant } from "../../src/store/repos/tenants.js";
import { forEachDialect } from "./_util.js";

const T0 = new Date("2026-12-01T01:00:00.000Z");
const T1 = new Date("2026-12-01T02:00:00.000Z");

const meeting = (tenantId: string, id: string, patch: Partial<Meeting> = {}): Meeting => ({
  id,
  tenantId,
  organizerId: "aad:organizer",
  state: "draft",
  approvals: [],
  cleanup: [],
  remindersSent: 0,
  ...patch,
});

forEachDialect("repositories: every query scoped by tenant (R-TEN 1, ARCHITECTURE)", (store) => {
  let db: Database;
  let k: Db;
  const tx = <T>(fn: (trx: Db) => Promise<T>) => db.transaction((trx) => fn(trx));

  beforeEach(async () => {
    db = await store.open();
    k = db.kysely;
  });

  it("tenants: a municipality is registered once and updated in place", async () => {
    await tx((t) =>
      upsertTenant(t, {
        id: "city-a",
        name: "A市",
        policyRef: "kawasaki",
        createdAt: T0.toISOString(),
      }),
    );
    await tx((t) =>
      upsertTenant(t, {
        id: "city-a",
        name: "A市役所",
        policyRef: "musashino",
        createdAt: T1.toISOString(),
      }),
    );
    expect(await getTenant(k, "city-a")).toEqual({
      id: "city-a",
      name: "A市役所",
      policyRef: "musashino",
      createdAt: T0.toISOString(),
    });
    expect(await getTenant(k, "city-b")).toBeUndefined();
  });

  it("meetings: the same meeting id in two tenants are two meetings", async () => {
    await tx((t) => saveMeeting(t, meeting("city-a", "m1", { title: "A" }), T0));
    await tx((t) =>
      saveMeeting(t, meeting("city-b", "m1", { title: "B", state: "scheduled" }), T0),
    );
    await tx((t) =>
      saveMeeting(t, meeting("city-a", "m1", { title: "A2", state: "scheduled" }), T1),
    );
    expect((await tx((t) => readMeeting(t, "city-a", "m1")))?.title).toBe("A2");
    expect((await tx((t) => readMeeting(t, "city-b", "m1")))?.title).toBe("B");
    expect(await tx((t) => readMeeting(t, "city-c", "m1"))).toBeUndefined();
    expect((await listMeetings(k, "city-a", { state: "scheduled" })).map((m) => m.title)).toEqual([
      "A2",
    ]);
    const row = await k
      .selectFrom("meetings")
      .select(["version", "updated_at"])
      .where("tenant_id", "=", "city-a")
      .executeTakeFirst();
    expect(row).toEqual({ version: 2, updated_at: T1.toISOString() });
  });

  it("meetings: an inbound event is claimed once per tenant", async () => {
    expect(await tx((t) => claimEvent(t, "city-a", "evt-1", T0))).toBe(true);
    expect(await tx((t) => claimEvent(t, "city-a", "evt-1", T1))).toBe(false);
    expect(await tx((t) => claimEvent(t, "city-b", "evt-1", T1))).toBe(true);
  });

  it("meetings: claim and load in one step — the tenant's own meeting once, nothing for a duplicate", async () => {
    await tx((t) => saveMeeting(t, meeting("city-a", "m1", { title: "A" }), T0));
    const claim = (tenantId: string, eventId: string, meetingId: string) =>
      tx((t) => claimEventAndLoad(t, db.dialect, T1, { tenantId, eventId, meetingId }));
    const first = await claim("city-a", "evt-1", "m1");
    expect(first.claimed).toBe(true);
    expect(first.meeting?.title).toBe("A");
    expect(await claim("city-a", "evt-1", "m1")).toEqual({ claimed: false, meeting: undefined });
    // Another tenant's meeting of the same id is not found; its event id is its own.
    expect(await claim("city-b", "evt-1", "m1")).toEqual({ claimed: true, meeting: undefined });
    expect(await claim("city-a", "evt-2", "absent")).toEqual({ claimed: true, meeting: undefined });
  });

  it("approvals follow the meeting: requested, decided, withdrawn (R-EXT 1, R-EXT 3)", async () => {
    const pending = meeting("city-a", "m1", {
      state: "awaiting-approval",
      approvals: [
        { kind: "external-participants", status: "pending" },
        { kind: "personal-information-consultation", status: "pending" },
      ],
    });
    await tx((t) => saveMeeting(t, pending, T0));
    await tx((t) => saveMeeting(t, meeting("city-b", "m9", { approvals: pending.approvals }), T0));
    expect(
      (await listApprovals(k, "city-a", { status: "pending" })).map((a) => [a.meetingId, a.kind]),
    ).toEqual([
      ["m1", "external-participants"],
      ["m1", "personal-information-consultation"],
    ]);
    const decided = {
      ...pending,
      approvals: [
        {
          kind: "external-participants" as const,
          status: "approved" as const,
          decidedBy: "aad:approver",
          decidedAt: T1.toISOString(),
        },
      ],
    };
    await tx((t) => saveMeeting(t, decided, T1));
    expect(await listApprovals(k, "city-a")).toEqual([
      {
        tenantId: "city-a",
        meetingId: "m1",
        kind: "external-participants",
        status: "approved",
        requestedBy: "aad:organizer",
        requestedAt: T0.toISOString(),
        decidedBy: "aad:approver",
        decidedAt: T1.toISOString(),
        reason: null,
      },
    ]);
    expect(await listApprovals(k, "city-b", { status: "pending" })).toHaveLength(2);
  });

  it("cleanup items follow the meeting until each is confirmed (R-POST 1, R-POST 3)", async () => {
    const open = meeting("city-a", "m1", {
      state: "cleanup-pending",
      cleanup: [
        { id: "local-files", done: false },
        { id: "cloud-recordings", done: false },
      ],
    });
    await tx((t) => saveMeeting(t, open, T0));
    const confirmed = {
      ...open,
      cleanup: [
        {
          id: "local-files",
          done: true,
          confirmedBy: "aad:organizer",
          confirmedAt: T1.toISOString(),
        },
        { id: "cloud-recordings", done: false },
      ],
    };
    await tx((t) => saveMeeting(t, confirmed, T1));
    expect(await listCleanupItems(k, "city-a", { done: false })).toEqual([
      {
        tenantId: "city-a",
        meetingId: "m1",
        itemId: "cloud-recordings",
        done: false,
        confirmedBy: null,
        confirmedAt: null,
      },
    ]);
    expect(await listCleanupItems(k, "city-a", { meetingId: "m1", done: true })).toMatchObject([
      { itemId: "local-files", confirmedBy: "aad:organizer" },
    ]);
    expect(await listCleanupItems(k, "city-b")).toEqual([]);
  });

  it("participants and consent answers: the latest answer per person counts (R-REC 2, R-ATT)", async () => {
    const p = { meetingId: "m1", personId: "aad:p1", displayName: "P1", invited: true };
    await tx((t) => upsertParticipant(t, "city-a", { ...p, joinedAt: T0.toISOString() }));
    await tx((t) => upsertParticipant(t, "city-a", { ...p, leftAt: T1.toISOString() }));
    await tx((t) => upsertParticipant(t, "city-b", { ...p, personId: "aad:other" }));
    expect(await listParticipants(k, "city-a", "m1")).toEqual([
      {
        tenantId: "city-a",
        meetingId: "m1",
        personId: "aad:p1",
        displayName: "P1",
        invited: true,
        joinedAt: T0.toISOString(),
        leftAt: T1.toISOString(),
      },
    ]);
    const answer = { meetingId: "m1", cardVersion: 1, at: T0.toISOString() };
    await tx((t) => recordConsent(t, "city-a", { ...answer, personId: "aad:p1", answer: "agree" }));
    await tx((t) => recordConsent(t, "city-a", { ...answer, personId: "aad:p2", answer: "agree" }));
    await tx((t) =>
      recordConsent(t, "city-a", {
        ...answer,
        personId: "aad:p1",
        answer: "refuse",
        cardVersion: 2,
      }),
    );
    await tx((t) => recordConsent(t, "city-b", { ...answer, personId: "aad:p3", answer: "agree" }));
    expect(
      (await latestConsents(k, "city-a", "m1")).map((c) => [c.personId, c.answer, c.cardVersion]),
    ).toEqual([
      ["aad:p1", "refuse", 2],
      ["aad:p2", "agree", 1],
    ]);
  });

  it("device logbook per device, exportable, closed lines stay closed (R-DEV 1)", async () => {
    await tx((t) =>
      upsertDevice(t, "city-a", { id: "tab-01", label: "タブレット1", department: "総務課" }),
    );
    await tx((t) =>
      upsertDevice(t, "city-a", { id: "wifi-02", label: "モバイルWi-Fi 2", department: "総務課" }),
    );
    await tx((t) => upsertDevice(t, "city-b", { id: "tab-01", label: "other", department: "x" }));
    const use = {
      meetingId: "m1",
      department: "消防局総務課",
      userName: "山田 花子",
      usedFrom: T0.toISOString(),
      usedTo: null,
    };
    const first = await tx((t) => recordDeviceUse(t, "city-a", { ...use, deviceId: "tab-01" }));
    await tx((t) =>
      recordDeviceUse(t, "city-a", { ...use, deviceId: "wifi-02", usedTo: T1.toISOString() }),
    );
    expect(await tx((t) => finishDeviceUse(t, "city-b", first, T1.toISOString()))).toBe(false);
    expect(await tx((t) => finishDeviceUse(t, "city-a", first, T1.toISOString()))).toBe(true);
    expect(await tx((t) => finishDeviceUse(t, "city-a", first, T1.toISOString()))).toBe(false);
    expect(await deviceLogbook(k, "city-a", { deviceId: "tab-01" })).toEqual([
      {
        id: first,
        deviceId: "tab-01",
        deviceLabel: "タブレット1",
        meetingId: "m1",
        department: "消防局総務課",
        userName: "山田 花子",
        usedFrom: T0.toISOString(),
        usedTo: T1.toISOString(),
      },
    ]);
    expect(await deviceLogbook(k, "city-a")).toHaveLength(2);
    expect(await deviceLogbook(k, "city-b")).toEqual([]);
    expect((await listDevices(k, "city-b")).map((d) => d.label)).toEqual(["other"]);
  });

  it("a call without a tenant is refused before any query (TENANT_REQUIRED)", async () => {
    const calls: [string, (t: Db) => Promise<unknown>][] = [
      ["getTenant", (t) => getTenant(t, "")],
      ["readMeeting", (t) => readMeeting(t, "", "m1")],
      ["saveMeeting", (t) => saveMeeting(t, meeting(" ", "m1"), T0)],
      ["listMeetings", (t) => listMeetings(t, "")],
      ["claimEvent", (t) => claimEvent(t, "", "e", T0)],
      [
        "claimEventAndLoad",
        (t) => claimEventAndLoad(t, db.dialect, T0, { tenantId: "", eventId: "e", meetingId: "m" }),
      ],
      ["listApprovals", (t) => listApprovals(t, "")],
      ["listCleanupItems", (t) => listCleanupItems(t, "")],
      [
        "upsertParticipant",
        (t) =>
          upsertParticipant(t, "", {
            meetingId: "m",
            personId: "p",
            displayName: null,
            invited: false,
          }),
      ],
      ["listParticipants", (t) => listParticipants(t, "", "m1")],
      ["latestConsents", (t) => latestConsents(t, "", "m1")],
      ["upsertDevice", (t) => upsertDevice(t, "", { id: "d", label: "d", department: "d" })],
      ["listDevices", (t) => listDevices(t, "")],
      ["deviceLogbook", (t) => deviceLogbook(t, "")],
      ["finishDeviceUse", (t) => finishDeviceUse(t, "", 1, T0.toISOString())],
    ];
    for (const [name, call] of calls) {
      const error: unknown = await tx(call).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toMatchObject({ code: "TENANT_REQUIRED", details: { operation: name } });
    }
  });
});
