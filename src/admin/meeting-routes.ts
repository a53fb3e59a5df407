import type { IncomingMessage } from "node:http";
import { attendanceCsv } from "../csv.js";
import type { Route } from "../http/server.js";
import type { Policy } from "../policy/schema.js";
import type { Db } from "../store/db.js";
import { listMeetings, readMeeting } from "../store/repos/meetings.js";
import { listParticipants } from "../store/repos/participants.js";
import type { AdminSession } from "./accounts.js";
import { matches, parseMeetingFilter, stateOf } from "./filters.js";
import { layout, tr, type Lang } from "./html.js";
import { adminKit, html, type AdminDeps } from "./kit.js";
import { meetingsPage, timelinePage, type TimelineRow } from "./meeting-pages.js";
import { isPerson, namesOf, personText, type Names } from "./people.js";
import type { Who } from "./sentence-kit.js";
import { sentenceOf } from "./sentences.js";

const notFound = (lang: Lang, s: AdminSession) =>
  html(
    layout(
      lang,
      "404",
      `<p class="bad">${tr(lang, "この会議は見つかりません。", "No such meeting.")}</p>`,
      s,
    ),
    {},
    404,
  );

const idParam = (req: IncomingMessage) =>
  (req as IncomingMessage & { params?: { id?: string } }).params?.id ?? "";

/** The page's own address, so the language link reopens it. */
export const hereOf = (req: IncomingMessage) => req.url ?? "/admin/dashboard";

const who = (id: string, names: Names): Who => {
  const [ja, en] = [personText("ja", id, names), personText("en", id, names)];
  return { ja: isPerson(id, names) ? `${ja} さん` : ja, en };
};

/** A meeting's log entries as sentences, each with the person it is about named. */
async function timelineRows(
  db: Db,
  policy: Policy,
  tenantId: string,
  meeting: { id: string; tier?: string | undefined; organizerId: string },
): Promise<{ rows: TimelineRow[]; names: Names }> {
  const entries = await db
    .selectFrom("log_entries as e")
    .leftJoin("log_sensitive as p", (j) =>
      j.onRef("p.tenant_id", "=", "e.tenant_id").onRef("p.seq", "=", "e.seq"),
    )
    .select(["e.seq", "e.at", "e.actor", "e.action", "e.payload", "e.hash", "p.data as personal"])
    .where("e.tenant_id", "=", tenantId)
    .where("e.meeting_id", "=", meeting.id)
    .orderBy("e.seq")
    .execute();
  const personal = entries.map(
    (e) =>
      (e.personal ? JSON.parse(e.personal) : {}) as { personId?: string; name?: string | null },
  );
  const known = new Map(
    await namesOf(db, tenantId, [
      meeting.organizerId,
      ...entries.map((e) => e.actor),
      ...personal.flatMap((p) => (p.personId ? [p.personId] : [])),
    ]),
  );
  // A name reported with a join is known for that person's other entries too.
  for (const p of personal)
    if (p.personId && p.name && !known.has(p.personId)) known.set(p.personId, p.name);
  const rows = entries.map((e, i): TimelineRow => {
    const payload = JSON.parse(e.payload) as Record<string, unknown>;
    const by = who(e.actor, known);
    const aboutId = personal[i]?.personId;
    const sentence = sentenceOf(e.action, {
      payload,
      by,
      about: aboutId ? who(aboutId, known) : by,
      policy,
      tier: meeting.tier,
    });
    const raw = { seq: e.seq, at: e.at, actor: e.actor, action: e.action, payload, hash: e.hash };
    return {
      seq: e.seq,
      at: e.at,
      actor: e.actor,
      action: e.action,
      sentence: [sentence.ja, sentence.en],
      cite: sentence.cite,
      raw: JSON.stringify(raw, null, 2),
    };
  });
  return { rows, names: known };
}

/** The meeting list (filters as selects and date pickers, checked here) and one meeting's timeline. */
export function meetingRoutes(deps: AdminDeps): Route[] {
  const { page, download } = adminKit(deps);
  return [
    {
      method: "get",
      path: "/admin/meetings",
      handle: page(async (s, req, lang) => {
        const q = new URL(req.url ?? "/", "http://x").searchParams;
        const { filter, problems } = parseMeetingFilter(q);
        const all = await listMeetings(deps.db.kysely, s.tenantId);
        const organizers = [...new Set(all.map((m) => m.organizerId))];
        const names = await namesOf(deps.db.kysely, s.tenantId, organizers);
        const state = stateOf(filter);
        const shown =
          problems.length > 0
            ? []
            : all.filter((m) => (!state || m.state === state) && matches(m, filter));
        const policy = deps.policies.policyFor(s.tenantId);
        const view = {
          policy,
          meetings: shown,
          filter,
          problems,
          names,
          organizers,
          here: hereOf(req),
        };
        return html(meetingsPage(lang, s, view), {}, problems.length > 0 ? 400 : 200);
      }),
    },
    {
      method: "get",
      path: "/admin/meetings/:id",
      handle: page(async (s, req, lang) => {
        const meeting = await readMeeting(deps.db.kysely, s.tenantId, idParam(req));
        if (!meeting) return notFound(lang, s);
        const policy = deps.policies.policyFor(s.tenantId);
        const { rows, names } = await timelineRows(deps.db.kysely, policy, s.tenantId, meeting);
        const people = await listParticipants(deps.db.kysely, s.tenantId, meeting.id);
        return html(
          timelinePage(lang, s, { policy, meeting, rows, people, names, here: hereOf(req) }),
        );
      }),
    },
    {
      method: "get",
      path: "/admin/meetings/:id/attendance.csv",
      // Attendance for the minutes (MWG 6); another tenant's meeting is simply not found.
      handle: page(async (s, req, lang) => {
        const meeting = await readMeeting(deps.db.kysely, s.tenantId, idParam(req));
        if (!meeting) return notFound(lang, s);
        const people = await listParticipants(deps.db.kysely, s.tenantId, meeting.id);
        return download(s, "attendance.csv", attendanceCsv(meeting, people));
      }),
    },
  ];
}
