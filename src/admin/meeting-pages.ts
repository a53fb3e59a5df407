import { meetingStates } from "../meetings/state.js";
import type { Meeting } from "../meetings/types.js";
import type { Policy } from "../policy/schema.js";
import { serviceIds } from "../policy/schema.js";
import type { ParticipantRecord } from "../store/repos/participants.js";
import type { AdminSession } from "./accounts.js";
import { tierChoices, type FilterProblem, type MeetingFilter } from "./filters.js";
import { h, layout, pick, tr, type Lang, type Text } from "./html.js";
import { labelHtml, labelOf, serviceLabel, stateLabels, tierAnswerLabels } from "./labels.js";
import { personHtml, personText, type Names } from "./people.js";
import { when } from "./time.js";

const select = (
  lang: Lang,
  name: string,
  label: string,
  current: string,
  options: readonly (readonly [value: string, text: Text])[],
) =>
  `<label>${label}<select name="${name}"><option value="">${tr(lang, "すべて", "All")}</option>${options
    .map(
      ([value, text]) =>
        `<option value="${h(value)}"${value === current ? " selected" : ""}>${h(pick(lang, text))}</option>`,
    )
    .join("")}</select></label>`;

/** Problems with the filters, named in the page's language with the other one beside it. */
export function problemsHtml(lang: Lang, problems: readonly { text: Text }[]): string {
  if (problems.length === 0) return "";
  const other: Lang = lang === "ja" ? "en" : "ja";
  return `<div class="bad" role="alert">${problems
    .map(
      (p) =>
        `<p>${h(pick(lang, p.text))} <small lang="${other}">${h(pick(other, p.text))}</small></p>`,
    )
    .join("")}</div>`;
}

export function meetingsPage(
  lang: Lang,
  s: AdminSession,
  view: {
    policy: Policy;
    meetings: Meeting[];
    filter: MeetingFilter;
    problems: FilterProblem[];
    names: Names;
    organizers: string[];
    here: string;
  },
): string {
  const { policy, filter, names } = view;
  const rows = view.meetings
    .map(
      (
        m,
      ) => `<tr><td><a href="/admin/meetings/${encodeURIComponent(m.id)}?lang=${lang}">${h(m.title ?? m.id)}</a></td>
<td>${when(lang, m.startsAt)}</td><td>${m.tier ? labelHtml(lang, labelOf(tierAnswerLabels, m.tier)) : "—"}</td>
<td>${m.plan ? labelHtml(lang, serviceLabel(policy, m.plan.service)) : "—"}</td>
<td>${labelHtml(lang, stateLabels[m.state], m.state)}</td><td>${personHtml(lang, m.organizerId, names)}</td></tr>`,
    )
    .join("");
  const organizerOptions = view.organizers.map(
    (id) => [id, [personText("ja", id, names), personText("en", id, names)]] as const,
  );
  const selects = [
    ["tier", tr(lang, "区分", "Tier"), tierChoices.map((t) => [t, tierAnswerLabels[t]] as const)],
    [
      "platform",
      tr(lang, "サービス", "Service"),
      serviceIds.map((id) => [id, serviceLabel(policy, id)] as const),
    ],
    ["state", tr(lang, "状態", "State"), meetingStates.map((st) => [st, stateLabels[st]] as const)],
    ["organizer", tr(lang, "主催者", "Organizer"), organizerOptions],
  ] as const;
  return layout(
    lang,
    tr(lang, "会議", "Meetings"),
    `<h1>${tr(lang, "会議一覧", "Meetings")}</h1>
<form class="filters" method="get" action="/admin/meetings"><input type="hidden" name="lang" value="${lang}">
<label>${tr(lang, "会議名", "Title")}<input name="title" maxlength="200" value="${h(filter.title)}"></label>
<label>${tr(lang, "開始日（から）", "Starts from")}<input name="from" type="date" value="${h(filter.from)}"></label>
<label>${tr(lang, "開始日（まで）", "Starts until")}<input name="to" type="date" value="${h(filter.to)}"></label>
${selects.map(([name, label, options]) => select(lang, name, label, filter[name], options)).join("\n")}
<button type="submit">${tr(lang, "絞り込む", "Filter")}</button> <a href="/admin/meetings?lang=${lang}">${tr(lang, "条件を消す", "Clear")}</a></form>
${problemsHtml(lang, view.problems)}
<p>${String(view.meetings.length)} ${tr(lang, "件", "meetings")} <small>${tr(lang, "日時は日本時間", "Times are Japan time (JST)")}</small></p>
<table><thead><tr><th>${tr(lang, "会議名", "Title")}</th><th>${tr(lang, "開始", "Starts")}</th><th>${tr(lang, "区分", "Tier")}</th><th>${tr(lang, "サービス", "Service")}</th><th>${tr(lang, "状態", "State")}</th><th>${tr(lang, "主催者", "Organizer")}</th></tr></thead>
<tbody>${rows}</tbody></table>`,
    s,
    view.here,
  );
}

/** One timeline row as the page shows it. */
export interface TimelineRow {
  seq: number;
  at: string;
  actor: string;
  action: string;
  sentence: Text;
  cite: string | undefined;
  /** The entry as stored (without its personal data), for the one click to the raw entry. */
  raw: string;
}

const participantRows = (lang: Lang, people: ParticipantRecord[], names: Names) =>
  people
    .map(
      (p) =>
        `<tr><td>${p.displayName ? `<span title="${h(p.personId)}">${h(p.displayName)}</span>` : personHtml(lang, p.personId, names)}</td>
<td>${p.invited ? tr(lang, "招待済み", "invited") : `<span class="bad">${tr(lang, "招待されていない", "not invited")}</span>`}</td><td>${when(lang, p.joinedAt)}</td><td>${when(lang, p.leftAt)}</td></tr>`,
    )
    .join("");

export function timelinePage(
  lang: Lang,
  s: AdminSession,
  view: {
    policy: Policy;
    meeting: Meeting;
    rows: TimelineRow[];
    people: ParticipantRecord[];
    names: Names;
    here: string;
  },
): string {
  const { meeting: m, names } = view;
  const other: Lang = lang === "ja" ? "en" : "ja";
  const rows = view.rows
    .map(
      (e) => `<tr><td>${when(lang, e.at)}</td><td>${personHtml(lang, e.actor, names)}</td>
<td><span class="say" lang="${lang}">${h(pick(lang, e.sentence))}</span>${e.cite ? `<span class="cite">〔${h(e.cite)}〕</span>` : ""}<br><small class="say" lang="${other}">${h(pick(other, e.sentence))}</small> <small><code>${h(e.action)}</code></small></td>
<td class="raw"><details><summary>${tr(lang, "記録そのもの", "Raw entry")} #${String(e.seq)}</summary><pre>${h(e.raw)}</pre></details></td></tr>`,
    )
    .join("");
  const people = view.people.length
    ? `<h2>${tr(lang, "参加者", "Participants")}</h2><table><thead><tr><th>${tr(lang, "氏名", "Name")}</th><th>${tr(lang, "招待", "Invited")}</th><th>${tr(lang, "参加", "Joined")}</th><th>${tr(lang, "退出", "Left")}</th></tr></thead><tbody>${participantRows(lang, view.people, names)}</tbody></table>`
    : "";
  return layout(
    lang,
    m.title ?? m.id,
    `<h1>${h(m.title ?? m.id)}</h1>
<table><tbody>
<tr><th>${tr(lang, "状態", "State")}</th><td>${labelHtml(lang, stateLabels[m.state], m.state)}</td><th>${tr(lang, "区分", "Tier")}</th><td>${m.tier ? labelHtml(lang, labelOf(tierAnswerLabels, m.tier)) : "—"}</td></tr>
<tr><th>${tr(lang, "サービス", "Service")}</th><td>${m.plan ? labelHtml(lang, serviceLabel(view.policy, m.plan.service)) : "—"}</td><th>${tr(lang, "主催者", "Organizer")}</th><td>${personHtml(lang, m.organizerId, names)}</td></tr>
<tr><th>${tr(lang, "開始", "Starts")}</th><td>${when(lang, m.startsAt)}</td><th>${tr(lang, "終了", "Ends")}</th><td>${when(lang, m.endsAt)}</td></tr>
</tbody></table>
<p class="noprint"><a href="/admin/meetings/${encodeURIComponent(m.id)}/attendance.csv">${tr(lang, "出席者一覧（会議録用 CSV、MWG 6）", "Attendance for the minutes (CSV, MWG 6)")}</a></p>
${people}
<h2>${tr(lang, "記録（タイムライン）", "Timeline")}</h2>
<p><small>${tr(lang, "日時は日本時間。カーソルを合わせるとUTC、記録そのもの（ハッシュ付き）は各行から開けます。", "Times are Japan time; hover for UTC. Each row opens the raw entry with its hash.")}</small></p>
<table><thead><tr><th>${tr(lang, "日時", "When")}</th><th>${tr(lang, "誰が", "Who")}</th><th>${tr(lang, "何があったか〔根拠〕", "What happened [clause]")}</th><th class="raw">${tr(lang, "記録", "Entry")}</th></tr></thead><tbody>${rows}</tbody></table>`,
    s,
    view.here,
  );
}
