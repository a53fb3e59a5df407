import { z } from "zod";
import type { Route } from "../http/server.js";
import type { Database } from "../store/db.js";
import { teamsMeetings, webexMeetings, type ClockMeeting } from "./clock-platforms.js";
import { fired, ourMeeting, timersOf } from "./clock-records.js";
import type { PlaygroundClock } from "./clock.js";
import type { LocalMicrosoft } from "./microsoft.js";
import { mockActivities } from "./mock-activity.js";
import { PERSONAS, personaSchema, type Persona } from "./personas.js";
import type { LocalWebex } from "./webex.js";

/** What the meeting clock needs of the running app, known once it listens. */
export interface ClockTarget {
  botUrl: string;
  db: Database;
  wakeTimers: () => void;
}

const actionSchema = z.object({
  meeting: z.string().min(1).max(200),
  action: z.enum([
    "start",
    "join",
    "leave",
    "record-start",
    "record-stop",
    "delete-recordings",
    "end",
    "advance",
  ]),
  persona: personaSchema.default("participant"),
});

const bad = (ja: string, en: string) => ({
  status: 400,
  body: { error: { code: "BAD_ARGUMENT", message: `${ja} / ${en}` } },
});

/**
 * The playground's meeting clock: for a meeting the bot created on Teams or Webex, it makes the
 * simulated platform send what the real one sends in a meeting (start, joins and leaves, a
 * recording, end: signed activities to /api/messages, signed webhooks to /api/webex), and moves
 * the app's clock on to the meeting's next timer so the timer worker fires it. Nothing in the bot
 * is called directly.
 */
export function meetingClockRoutes(
  microsoft: LocalMicrosoft,
  webex: LocalWebex | undefined,
  clock: PlaygroundClock,
  target: () => ClockTarget | undefined,
): Route[] {
  let n = 0;
  /** Who is in each meeting, since when. */
  const present = new Map<string, Map<Persona, Date>>();
  const recordingSince = new Map<string, Date>();
  const activityId = () => `${String(clock.now().getTime())}${String(++n % 10)}`;

  const meetings = (app: ClockTarget): ClockMeeting[] => {
    const post = async (activity: object) => {
      const res = await fetch(`${app.botUrl}/api/messages`, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          authorization: `Bearer ${microsoft.channelToken()}`,
        },
        body: JSON.stringify(activity),
      });
      await res.arrayBuffer();
    };
    return [...teamsMeetings(microsoft, post, activityId), ...(webex ? webexMeetings(webex) : [])];
  };

  async function status(app: ClockTarget) {
    const list = await Promise.all(
      meetings(app).map(async (m) => {
        const ours = await ourMeeting(app.db, m);
        const next = (await timersOf(app.db, ours?.id))[0];
        return {
          key: m.key,
          platform: m.platform,
          title: m.title,
          startsAt: m.startsAt,
          state: ours?.state ?? null,
          present: [...(present.get(m.key)?.keys() ?? [])],
          recording: recordingSince.has(m.key),
          recordings: m.recordings(),
          next: next ? { kind: next.kind, key: next.key, runAt: next.runAt } : null,
        };
      }),
    );
    return { now: clock.now().toISOString(), ahead: clock.ahead, meetings: list };
  }

  async function act(app: ClockTarget, input: z.infer<typeof actionSchema>) {
    const m = meetings(app).find((x) => x.key === input.meeting);
    if (!m) return bad("その会議はありません", "no such meeting");
    const people = present.get(m.key) ?? new Map<Persona, Date>();
    present.set(m.key, people);
    const at = clock.now();
    const leave = async (persona: Persona) => {
      const since = people.get(persona) ?? at;
      people.delete(persona);
      await m.leave(persona, since, at);
    };
    switch (input.action) {
      case "start":
        if (people.has("organizer")) return bad("開催中です", "already started");
        // The platform starts the meeting as the organizer joins: start, then their join.
        await m.start(at);
        people.set("organizer", at);
        await m.join("organizer", at);
        break;
      case "join":
        if (people.has(input.persona)) return bad("もう参加しています", "already in the meeting");
        people.set(input.persona, at);
        await m.join(input.persona, at);
        break;
      case "leave":
        if (!people.has(input.persona)) return bad("参加していません", "not in the meeting");
        await leave(input.persona);
        break;
      case "record-start":
        if (recordingSince.has(m.key)) return bad("録画中です", "already recording");
        recordingSince.set(m.key, at);
        break;
      case "record-stop": {
        const since = recordingSince.get(m.key);
        if (!since) return bad("録画していません", "not recording");
        recordingSince.delete(m.key);
        await m.recorded(since, at);
        break;
      }
      case "delete-recordings":
        // What the organizer does in the platform itself (Graph has no delete for recordings).
        m.deleteRecordings();
        break;
      case "end":
        for (const persona of [...people.keys()].filter((p) => p !== "organizer"))
          await leave(persona);
        people.delete("organizer");
        await m.end(at);
        break;
      case "advance": {
        const ours = await ourMeeting(app.db, m);
        const next = (await timersOf(app.db, ours?.id))[0];
        if (!ours || !next)
          return bad("この会議に予定された処理はありません", "nothing is due for this meeting");
        clock.advanceTo(new Date(new Date(next.runAt).getTime() + 1_000));
        app.wakeTimers();
        if (!(await fired(app.db, ours.id, next)))
          return { status: 504, body: { error: { code: "TIMER_NOT_FIRED" } } };
        break;
      }
    }
    return { status: 200, body: await status(app) };
  }

  const notReady = { status: 503, body: { error: { code: "NOT_READY" } } };
  const calendarSchema = z.object({
    title: z.string().trim().min(1).max(200),
    /** Japan time, `2026-12-10T10:00`. */
    startsAt: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/),
  });
  return [
    {
      method: "get",
      path: "/playground/mock-activity",
      /**
       * What to paste into Agents Playground's "Mock an Activity" (custom activity) for a Teams
       * meeting: its template fills from, conversation, recipient and serviceUrl.
       */
      handle: (_body, req) => {
        const url = new URL(req.url ?? "/", "http://localhost");
        const m = microsoft.meetings().find((x) => x.threadId === url.searchParams.get("meeting"));
        if (!m) return bad("その会議はありません", "no such meeting");
        return { status: 200, body: mockActivities(microsoft, m, clock.now()) };
      },
    },
    {
      method: "post",
      path: "/playground/calendar",
      /**
       * The organizer schedules a Teams meeting in their own calendar, not through the bot:
       * Outlook notifies the bot's calendar subscription, as Graph would (R-SET: caught).
       */
      handle: async (body) => {
        if (!target()) return notReady;
        const input = calendarSchema.safeParse(body);
        const start = input.success ? new Date(`${input.data.startsAt}:00+09:00`) : undefined;
        if (!input.success || !start || Number.isNaN(start.getTime()))
          return bad("会議名と開始日時を入れてください", "give a title and a start time");
        const watched = await microsoft.graph.scheduleInCalendar(
          PERSONAS.organizer.aad,
          input.data.title,
          start.toISOString(),
          [PERSONAS.participant.email],
        );
        // Graph only tells subscribers: the bot watches a calendar once its owner wrote to it.
        return { status: 202, body: { notified: watched } };
      },
    },
    {
      method: "get",
      path: "/playground/meetings",
      handle: async () => {
        const app = target();
        return app ? { status: 200, body: await status(app) } : notReady;
      },
    },
    {
      method: "post",
      path: "/playground/meeting",
      handle: async (body) => {
        const app = target();
        if (!app) return notReady;
        const input = actionSchema.safeParse(body);
        if (!input.success) return bad("操作が正しくありません", "not a meeting-clock action");
        return act(app, input.data);
      },
    },
  ];
}
