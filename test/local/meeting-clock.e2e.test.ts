import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PERSONAS } from "../../src/local/personas.js";
import { startLocalApp } from "../_local.js";

/**
 * The playground's meeting clock over HTTP, as the page uses it: the real app in local mode, the
 * simulated Teams sending meeting events, the app's clock moved on to the meeting's timers.
 */

let local: Awaited<ReturnType<typeof startLocalApp>>;
type Json = Record<string, unknown>;

beforeAll(async () => {
  local = await startLocalApp({ idleMs: 100 });
}, 60_000);
afterAll(async () => {
  await local.stop();
});

async function call(path: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(`${local.url}${path}`, {
    method: body === undefined ? "GET" : "POST",
    headers: { "content-type": "application/json" },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: res.status, json: (await res.json()) as Json };
}

const act = (persona: string, verb: string, data: Json, meeting?: string) =>
  call("/playground/send", { persona, action: { verb, data }, ...(meeting ? { meeting } : {}) });

async function replies(persona: string, meeting?: string): Promise<string[]> {
  const q = meeting ? `&meeting=${encodeURIComponent(meeting)}` : "";
  const { json } = await call(`/playground/replies?persona=${persona}&after=0${q}`);
  return (json.replies as { activity: Json }[]).map((r) => JSON.stringify(r.activity));
}

async function until<T>(probe: () => Promise<T | undefined>, ms = 10_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 100));
  }
}

const clockAction = (meeting: string, action: string, persona?: string) =>
  call("/playground/meeting", { meeting, action, ...(persona ? { persona } : {}) });

describe("the playground's meeting clock", () => {
  it("walks a tier II meeting with recording planned from start to the last reminder", async () => {
    const requestId = "clock-1";
    const tier = await act("organizer", "schedule.submit", {
      requestId,
      title: "時計の打合せ",
      date: "2026-12-10",
      time: "10:00",
      duration: "60",
      service: "teams",
      invitees: PERSONAS.participant.email,
      recording: "true",
    });
    expect(tier.status).toBe(200);
    const meetingId = /"requestId":"([^"]+)"/.exec(JSON.stringify(tier.json))?.[1] ?? "";
    const verdict = await act("organizer", "tier.submit", { requestId: meetingId, tier: "II" });
    expect(JSON.stringify(verdict.json)).toContain("meeting.confirm");
    await act("organizer", "meeting.confirm", { requestId: meetingId });
    const meetings = await until(async () => {
      const { json } = await call("/playground/meetings");
      const list = json.meetings as Json[];
      return list.length > 0 && list[0]?.state === "scheduled" ? list : undefined;
    });
    const thread = String(meetings[0]?.key);

    expect((await clockAction(thread, "start")).status).toBe(200);
    expect((await clockAction(thread, "join", "participant")).status).toBe(200);
    const consent = await until(async () =>
      (await replies("participant", thread)).find((r) => r.includes("consent.answer")),
    );
    expect(consent).toContain("29:playground-participant");
    const refused = await act(
      "participant",
      "consent.answer",
      { requestId: meetingId, answer: "refuse", card: "consent", cardVersion: 1 },
      thread,
    );
    expect(refused.status).toBe(200);
    const told = await until(async () =>
      (await replies("organizer")).find((r) => r.includes("録画に同意しませんでした")),
    );
    expect(told).toContain("佐藤 健（参加者） さんが録画に同意しませんでした");
    expect(told).toMatch(/〔KWS 4\(3\)エ〕/);

    expect((await clockAction(thread, "record-start")).status).toBe(200);
    expect((await clockAction(thread, "record-stop")).status).toBe(200);
    // Graph tells the bot's recordings subscription (made at the start): a recording without
    // everyone's consent is reported to the organizer at once (R-REC 3).
    const without = await until(async () =>
      (await replies("organizer")).find((r) => r.includes("録画が作成されましたが")),
    );
    expect(without).toContain("〔KWS 4(3)エ〕");
    const ended = await clockAction(thread, "end");
    expect(ended.status).toBe(200);
    await until(async () =>
      (await replies("organizer")).find((r) => r.includes("会議が終わりました")),
    );
    const first = await clockAction(thread, "advance");
    expect(first.status).toBe(200);
    await until(async () => (await replies("organizer")).find((r) => r.includes("1回目")));
    await clockAction(thread, "advance");
    const second = await until(async () =>
      (await replies("organizer")).find((r) => r.includes("2回目")),
    );
    expect(second).toContain("Teams にまだ録画 1 件");
    const items = [...second.matchAll(/"itemId":"([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(items.length).toBeGreaterThan(1);
    const confirm = (itemId: string) =>
      act("organizer", "cleanup.confirm", { requestId: meetingId, itemId });
    // Teams still lists the recording: the recordings item stays open until it is deleted there.
    const recordingItem = items.find((i) => i === "cloud-data") ?? "";
    expect(JSON.stringify((await confirm(recordingItem)).json)).toContain("残っています");
    expect((await clockAction(thread, "delete-recordings")).status).toBe(200);
    for (const item of items) expect((await confirm(item)).status).toBe(200);
    const closed = await until(async () => {
      const { json } = await call("/playground/meetings");
      const m = (json.meetings as Json[])[0];
      return m?.state === "closed" ? m : undefined;
    });
    expect(closed.next).toBeNull();
    expect((await clockAction(thread, "advance")).status).toBe(400);
  }, 60_000);

  it("a meeting scheduled in the Teams calendar, not through the bot, is caught and its tier asked", async () => {
    // The organizer has written to the bot (above): their calendar is watched within seconds.
    // Until then Graph has nobody to tell (the page says so): try once a second.
    let notified = 0;
    for (let i = 0; i < 15 && notified === 0; i++) {
      const { json } = await call("/playground/calendar", {
        title: i === 0 ? "予定表の打合せ" : `予定表の打合せ（${String(i + 1)}）`,
        startsAt: "2026-12-24T10:00",
      });
      notified = json.notified as number;
      if (notified === 0) await new Promise((r) => setTimeout(r, 1_000));
    }
    expect(notified).toBe(1);
    const asked = await until(async () =>
      (await replies("organizer")).find((r) => r.includes("カレンダーで予定された Teams 会議")),
    );
    expect(asked).toContain("予定表の打合せ");
    expect(asked).toContain("2026年12月24日");
    const meetingId = /"requestId":"([^"]+)"/.exec(asked)?.[1] ?? "";
    const verdict = await act("organizer", "tier.submit", { requestId: meetingId, tier: "I" });
    expect(JSON.stringify(verdict.json)).toContain("meeting.confirm");
    // Confirmed: the tier's settings go onto the meeting that is already in the calendar.
    await act("organizer", "meeting.confirm", { requestId: meetingId });
    const scheduled = await until(async () => {
      const { json } = await call("/playground/meetings");
      return (json.meetings as Json[]).find(
        (x) => String(x.title).startsWith("予定表の打合せ") && x.state === "scheduled",
      );
    });
    expect(scheduled.platform).toBe("teams");
  }, 60_000);
});
