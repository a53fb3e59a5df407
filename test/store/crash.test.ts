import { spawn } from "node:child_process";
import { expect, it } from "vitest";
import type { StoreConfig } from "../../src/store/db.js";
import { scheduleTimer } from "../../src/store/timers/timers.js";
import { verifyChain } from "../../src/store/log/verify.js";
import { forEachDialect } from "./_util.js";

const CHILD = new URL("./fixtures/child.ts", import.meta.url).pathname;

interface Child {
  lines: string[];
  exited: Promise<number | null>;
  kill: () => void;
}

/** Starts the child; `stopAfter` kills it with SIGKILL once that many lines start with `prefix`. */
function child(args: string[], stopAfter?: { prefix: string; count: number }): Child {
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const lines: string[] = [];
  let buffer = "";
  proc.stdout.on("data", (chunk: Buffer) => {
    buffer += chunk.toString("utf8");
    const parts = buffer.split("\n");
    buffer = parts.pop() ?? "";
    lines.push(...parts);
    if (stopAfter && lines.filter((l) => l.startsWith(stopAfter.prefix)).length >= stopAfter.count)
      proc.kill("SIGKILL");
  });
  const exited = new Promise<number | null>((resolve) =>
    proc.on("exit", (code) => {
      resolve(code);
    }),
  );
  return { lines, exited, kill: () => proc.kill("SIGKILL") };
}

const keysOf = (lines: string[], prefix: string) =>
  lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));

forEachDialect("crash: SIGKILL mid-stream (R-POST 3, R-LOG 2)", (store) => {
  it("nothing committed is lost, no timer is lost, none fires twice, the chain verifies", async () => {
    const config: StoreConfig = store.fresh();
    const arg = JSON.stringify(config);

    const writer = child(["write", arg], { prefix: "committed ", count: 40 });
    await writer.exited;
    const committed = keysOf(writer.lines, "committed ");
    expect(committed.length).toBeGreaterThanOrEqual(40);

    const db = await store.open(config);
    const meetings = new Set(
      (
        await db.kysely
          .selectFrom("meetings")
          .select(["id", "state"])
          .where("state", "=", "scheduled")
          .execute()
      ).map((m) => m.id),
    );
    for (const id of committed) expect(meetings.has(id)).toBe(true);
    const timers = (await db.kysely.selectFrom("timers").select("key").execute()).map((t) => t.key);
    for (const id of committed) expect(timers).toContain(`${id}:end-fallback`);
    // Every committed meeting has its three log entries and its outbox rows, each exactly once.
    const logged = new Map<string, string[]>();
    for (const e of await db.kysely
      .selectFrom("log_entries")
      .select(["meeting_id", "action"])
      .orderBy("seq")
      .execute())
      logged.set(e.meeting_id ?? "", [...(logged.get(e.meeting_id ?? "") ?? []), e.action]);
    for (const id of committed)
      expect(logged.get(id), id).toEqual(["meeting.drafted", "tier.declared", "meeting.scheduled"]);
    const outboxKeys = (
      await db.kysely.selectFrom("outbox").select("idempotency_key").execute()
    ).map((o) => o.idempotency_key);
    for (const id of committed)
      expect(
        outboxKeys.filter((k) => k.startsWith(`${id}:confirm#`)),
        id,
      ).not.toEqual([]);
    expect((await verifyChain(db, "city-a")).ok).toBe(true);

    // Fire the timers and kill the firing process half-way; then start again after the lease.
    const firstFirer = child(["fire-governor", arg], {
      prefix: "fired ",
      count: Math.floor(timers.length / 2),
    });
    await firstFirer.exited;
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    const secondFirer = child(["fire-governor", arg]);
    expect(await secondFirer.exited).toBe(0);

    // What is left is each meeting's first cleanup reminder, due later: one per meeting.
    const left = (await db.kysely.selectFrom("timers").select("key").execute()).map((t) => t.key);
    expect(left.every((k) => k.endsWith(":reminder:1"))).toBe(true);
    expect(new Set(left).size).toBe(timers.length);
    const opened = await db.kysely
      .selectFrom("log_entries")
      .select("meeting_id")
      .where("action", "=", "cleanup.opened")
      .execute();
    expect(new Set(opened.map((o) => o.meeting_id)).size).toBe(opened.length);
    expect(opened.length).toBe(timers.length);
    const ended = await db.kysely
      .selectFrom("log_entries")
      .select("meeting_id")
      .where("action", "=", "meeting.ended")
      .execute();
    const perMeeting = new Map<string, number>();
    for (const e of ended)
      perMeeting.set(e.meeting_id ?? "", (perMeeting.get(e.meeting_id ?? "") ?? 0) + 1);
    expect(perMeeting.size).toBe(timers.length);
    expect([...perMeeting.values()].every((n) => n === 1)).toBe(true);
    expect((await verifyChain(db, "city-a")).ok).toBe(true);
  }, 90_000);

  if (store.dialect === "postgres") {
    it("two processes claim the same 1,000 due timers: each fires exactly once", async () => {
      const config = store.fresh();
      const db = await store.open(config);
      await db.transaction(async (trx) => {
        for (let i = 0; i < 1000; i++) {
          await scheduleTimer(trx, {
            tenantId: "city-a",
            key: `t${i}`,
            meetingId: null,
            kind: "test",
            payload: {},
            runAt: new Date(0),
          });
        }
      });
      const arg = JSON.stringify(config);
      const a = child(["fire-log", arg, "worker-a"]);
      const b = child(["fire-log", arg, "worker-b"]);
      expect(await Promise.all([a.exited, b.exited])).toEqual([0, 0]);
      const fired = await db.kysely
        .selectFrom("log_entries")
        .select(["payload", "actor"])
        .where("action", "=", "timer.fired")
        .execute();
      const keys = fired.map((f) => (JSON.parse(f.payload) as { key: string }).key);
      expect(keys).toHaveLength(1000);
      expect(new Set(keys).size).toBe(1000);
      // Both workers took a share.
      expect(new Set(fired.map((f) => f.actor))).toEqual(new Set(["worker-a", "worker-b"]));
      expect(keysOf(a.lines, "fired ").length + keysOf(b.lines, "fired ").length).toBe(1000);
      expect((await verifyChain(db, "city-a")).ok).toBe(true);
    }, 90_000);
  }
});
