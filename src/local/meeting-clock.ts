import { z } from "zod";
import type { Route } from "../http/server.js";
import { joinKey } from "../meetings/join-key.js";
import type { Database } from "../store/db.js";
import { findLinkedMeeting } from "../store/repos/links.js";
import { readMeeting } from "../store/repos/meetings.js";
import { listTimers, type TimerRecord } from "../store/timers/timers.js";
import type { PlaygroundClock } from "./clock.js";
import type { LocalMicrosoft, LocalTeamsMeeting } from "./microsoft.js";
import { PLAYGROUND_TENANT, personaSchema, teamsPerson, type Persona } from "./playground.js";
import {
  callRecording,
  meetingStartEnd,
  participantEvent,
  type TeamsMeetingRef,
} from "./teams-events.js";

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
 * The playground's meeting clock: for a Teams meeting the bot created, it makes the simulated
 * Teams send what Teams sends in a meeting (start, joins and leaves, end: signed activities to
 * /api/messages), lets recordings appear in the simulated Graph when a recording stops, and moves
 * the app's clock on to the meeting's next timer so the timer worker fires it. Nothing in the
 * bot is called directly.
 */
export function meetingClockRoutes(
  microsoft: LocalMicrosoft,
  clock: PlaygroundClock,
  target: () => ClockTarget | undefined,
): Route[] {
  let n = 0;
  const present = new Map<string, Set<Persona>>();
  const recordingSince = new Map<string, Date>();
  const ref = (m: LocalTeamsMeeting): TeamsMeetingRef => ({
    tenantId: PLAYGROUND_TENANT,
    serviceUrl: microsoft.serviceUrl,
    botId: `28:${microsoft.teams.appId}`,
    threadId: m.threadId,
    title: m.subject,
    joinUrl: m.joinUrl,
  });
  const activityId = () => `${String(clock.now().getTime())}${String(++n % 10)}`;

  async function post(app: ClockTarget, activity: object): Promise<number> {
    const res = await fetch(`${app.botUrl}/api/messages`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${microsoft.channelToken()}`,
      },
      body: JSON.stringify(activity),
    });
    await res.arrayBuffer();
    return res.status;
  }

  async function ourMeeting(app: ClockTarget, m: LocalTeamsMeeting) {
    const id = await findLinkedMeeting(
      app.db.kysely,
      PLAYGROUND_TENANT,
      "join",
      joinKey(m.joinUrl),
    );
    return id ? readMeeting(app.db.kysely, PLAYGROUND_TENANT, id) : undefined;
  }

  async function timersOf(app: ClockTarget, meetingId: string | undefined): Promise<TimerRecord[]> {
    if (!meetingId) return [];
    return (await listTimers(app.db.kysely, PLAYGROUND_TENANT)).filter(
      (t) => t.meetingId === meetingId && t.lastError === null,
    );
  }

  async function status(app: ClockTarget) {
    const meetings = await Promise.all(
      microsoft.meetings().map(async (m) => {
        const ours = await ourMeeting(app, m);
        const next = (await timersOf(app, ours?.id))[0];
        return {
          threadId: m.threadId,
          title: m.subject,
          startsAt: m.startsAt,
          state: ours?.state ?? null,
          present: [...(present.get(m.threadId) ?? [])],
          recording: recordingSince.has(m.threadId),
          recordings: m.recordings.length,
          next: next ? { kind: next.kind, key: next.key, runAt: next.runAt } : null,
        };
      }),
    );
    return { now: clock.now().toISOString(), ahead: clock.ahead, meetings };
  }

  /** Waits (up to 5 s) until the timer the clock moved to has been fired and committed. */
  async function fired(app: ClockTarget, meetingId: string, timer: TimerRecord) {
    for (let i = 0; i < 100; i++) {
      const still = (await timersOf(app, meetingId)).some(
        (t) => t.key === timer.key && t.runAt === timer.runAt,
      );
      if (!still) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  async function act(app: ClockTarget, input: z.infer<typeof actionSchema>) {
    const m = microsoft.meetings().find((x) => x.threadId === input.meeting);
    if (!m) return bad("その会議はありません", "no such meeting");
    const people = present.get(m.threadId) ?? new Set<Persona>();
    present.set(m.threadId, people);
    const at = clock.now();
    const organizer = teamsPerson("organizer");
    const join = async (persona: Persona) => {
      people.add(persona);
      const role = persona === "organizer" ? "Organizer" : "Attendee";
      return post(
        app,
        participantEvent("join", ref(m), teamsPerson(persona), role, activityId(), at),
      );
    };
    switch (input.action) {
      case "start":
        // Teams starts the meeting when the organizer joins: start, then the organizer's join.
        await post(app, meetingStartEnd("start", ref(m), organizer, activityId(), at));
        await join("organizer");
        break;
      case "join":
        if (people.has(input.persona)) return bad("もう参加しています", "already in the meeting");
        await join(input.persona);
        break;
      case "leave":
        if (!people.delete(input.persona)) return bad("参加していません", "not in the meeting");
        await post(
          app,
          participantEvent(
            "leave",
            ref(m),
            teamsPerson(input.persona),
            "Attendee",
            activityId(),
            at,
          ),
        );
        break;
      case "record-start":
        if (recordingSince.has(m.threadId)) return bad("録画中です", "already recording");
        recordingSince.set(m.threadId, at);
        break;
      case "record-stop": {
        const since = recordingSince.get(m.threadId);
        if (!since) return bad("録画していません", "not recording");
        recordingSince.delete(m.threadId);
        m.recordings.push(callRecording(PLAYGROUND_TENANT, m, since, at));
        break;
      }
      case "delete-recordings":
        // What the organizer does in Teams / OneDrive: Graph has no delete for recordings.
        m.recordings.length = 0;
        m.transcripts.length = 0;
        break;
      case "end":
        for (const persona of [...people].filter((p) => p !== "organizer")) {
          people.delete(persona);
          await post(
            app,
            participantEvent("leave", ref(m), teamsPerson(persona), "Attendee", activityId(), at),
          );
        }
        people.delete("organizer");
        await post(app, meetingStartEnd("end", ref(m), organizer, activityId(), at));
        break;
      case "advance": {
        const ours = await ourMeeting(app, m);
        const next = (await timersOf(app, ours?.id))[0];
        if (!ours || !next)
          return bad("この会議に予定された処理はありません", "nothing is due for this meeting");
        clock.advanceTo(new Date(new Date(next.runAt).getTime() + 1_000));
        app.wakeTimers();
        if (!(await fired(app, ours.id, next)))
          return { status: 504, body: { error: { code: "TIMER_NOT_FIRED" } } };
        break;
      }
    }
    return { status: 200, body: await status(app) };
  }

  const notReady = { status: 503, body: { error: { code: "NOT_READY" } } };
  return [
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
