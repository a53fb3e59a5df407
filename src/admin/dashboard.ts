import type { Route } from "../http/server.js";
import type { Policy } from "../policy/schema.js";
import { serviceIds } from "../policy/schema.js";
import type { AdminSession } from "./accounts.js";
import { barChart } from "./chart.js";
import { overdueBuckets, readOverview, type Overview } from "./dashboard-data.js";
import { h, layout, pick, tr, type Lang, type Text } from "./html.js";
import { adminKit, html, type AdminDeps } from "./kit.js";
import {
  approvalKindLabels,
  escalationReasonLabels,
  incidentKindLabels,
  labelOf,
  serviceLabel,
  tierAnswerLabels,
} from "./labels.js";
import { problemsHtml } from "./meeting-pages.js";
import { hereOf } from "./meeting-routes.js";
import { namesOf, personHtml, type Names } from "./people.js";
import { japanTime } from "../japan-time.js";
import { duration, isMonth, japanMonth, monthText, when } from "./time.js";

const TIERS = ["I", "II", "III", "unknown", "none"] as const;
const NOT_YET: Text = ["未回答", "not declared"];

const count = (key: string, n: number) => `<span data-count="${h(key)}">${String(n)}</span>`;

const meetingLink = (lang: Lang, id: string | null, title: string | null) =>
  id
    ? `<a href="/admin/meetings/${encodeURIComponent(id)}?lang=${lang}">${h(title ?? id)}</a>`
    : "—";

function card(lang: Lang, href: string, label: Text, value: string, note = ""): string {
  return `<div class="card"><a href="${href}?lang=${lang}">${h(pick(lang, label))}</a><div class="big">${value}</div>${note ? `<small>${note}</small>` : ""}</div>`;
}

/** Meetings by tier (rows) and service (columns), with totals: both questions in one table. */
function tierServiceTable(lang: Lang, policy: Policy, o: Overview): string {
  const known = serviceIds.filter((id) => o.meetings.byService.has(id));
  const others = [...o.meetings.byService.keys()].filter(
    (k) => !(serviceIds as readonly string[]).includes(k),
  );
  const services: string[] = [...known, ...others];
  const name = (id: string) => pick(lang, id === "none" ? NOT_YET : serviceLabel(policy, id));
  const tiers = TIERS.filter((t) => o.meetings.byTier.has(t));
  const rows = tiers
    .map((t) => {
      const label = t === "none" ? NOT_YET : labelOf(tierAnswerLabels, t);
      const cells = services
        .map(
          (id) => `<td class="n">${String(o.meetings.byTierService.get(`${t}|${id}`) ?? 0)}</td>`,
        )
        .join("");
      return `<tr><th>${h(pick(lang, label))}</th>${cells}<td class="n">${count(`tier:${t}`, o.meetings.byTier.get(t) ?? 0)}</td></tr>`;
    })
    .join("");
  const totals = services
    .map((id) => `<td class="n">${count(`service:${id}`, o.meetings.byService.get(id) ?? 0)}</td>`)
    .join("");
  const total = tr(lang, "合計", "Total");
  return `<table class="compact"><thead><tr><th>${tr(lang, "区分 ＼ サービス", "Tier / service")}</th>${services.map((id) => `<th class="n">${h(name(id))}</th>`).join("")}<th class="n">${total}</th></tr></thead>
<tbody>${rows}<tr><th>${total}</th>${totals}<td class="n">${String(o.meetings.total)}</td></tr></tbody></table>`;
}

export function dashboardPage(
  lang: Lang,
  s: AdminSession,
  view: {
    policy: Policy;
    overview: Overview;
    names: Names;
    now: Date;
    here: string;
    problems: { text: Text }[];
  },
): string {
  const { policy, overview: o, names } = view;
  const tierBars = TIERS.filter((t) => o.meetings.byTier.has(t)).map((t) => ({
    label: pick(lang, t === "none" ? NOT_YET : labelOf(tierAnswerLabels, t)),
    value: o.meetings.byTier.get(t) ?? 0,
  }));
  const serviceBars = [...o.meetings.byService.entries()].map(([id, value]) => ({
    label: pick(lang, id === "none" ? NOT_YET : serviceLabel(policy, id)),
    value,
  }));
  const bucketBars = overdueBuckets.map((b) => ({
    label: pick(lang, b.text),
    value: o.cleanups.byBucket.get(b.id) ?? 0,
    key: `bucket:${b.id}`,
  }));
  const oldest = o.cleanups.meetings[0];
  const cleanupRows = o.cleanups.meetings
    .slice(0, 10)
    .map(
      (c) =>
        `<tr><td>${meetingLink(lang, c.meetingId, c.title)}</td><td>${personHtml(lang, c.organizerId, names)}</td><td>${when(lang, c.endsAt)}</td><td class="n">${h(duration(lang, c.overdueMs))}</td><td class="n">${String(c.items)}</td></tr>`,
    )
    .join("");
  const refusalRows = o.refusals
    .map(
      (r) =>
        `<tr><td>${when(lang, r.at)}</td><td>${meetingLink(lang, r.meetingId, r.title)}</td><td>${r.personId ? personHtml(lang, r.personId, names) : tr(lang, "（消去済み）", "(erased)")}</td></tr>`,
    )
    .join("");
  const small = (rows: [Text, number, string][]) =>
    rows.length
      ? `<table><tbody>${rows.map(([label, n, key]) => `<tr><td>${h(pick(lang, label))}</td><td class="n">${count(key, n)}</td></tr>`).join("")}</tbody></table>`
      : `<p class="muted">${tr(lang, "なし", "None")}</p>`;
  const month = monthText(lang, o.month);
  return layout(
    lang,
    tr(lang, "概要", "Overview"),
    `<h1>${tr(lang, `概要 — ${month}`, `Overview — ${month}`)}</h1>
<form class="filters" method="get" action="/admin/dashboard"><input type="hidden" name="lang" value="${lang}">
<label>${tr(lang, "対象の月", "Month")}<input type="month" name="month" value="${h(o.month)}"></label>
<button type="submit">${tr(lang, "表示する", "Show")}</button></form>
${problemsHtml(lang, view.problems)}
<p class="printonly">${h(tr(lang, `テナント ${s.tenantId}・${japanTime(lang, view.now.toISOString())} 現在`, `Tenant ${s.tenantId}, as of ${japanTime(lang, view.now.toISOString())}`))}</p>
<p><small>${tr(lang, "会議・同意拒否・インシデント・エスカレーションはこの月（日本時間）の件数、会議後の未完了と承認待ちは現在の件数です。", "Meetings, refusals, incidents and escalations are this month's (Japan time); open clean-ups and pending approvals are as of now.")}</small></p>
<div class="cards">
${card(lang, "/admin/meetings", ["この月の会議", "Meetings this month"], count("meetings", o.meetings.total))}
${card(lang, "/admin/cleanups", ["会議後の未完了", "Open clean-up items"], count("cleanup-items", o.cleanups.items), `${tr(lang, "会議", "meetings")} ${count("cleanup-meetings", o.cleanups.meetings.length)}${oldest ? tr(lang, `・最長 ${duration(lang, oldest.overdueMs)}経過`, `, oldest ${duration(lang, oldest.overdueMs)} ago`) : ""}`)}
${card(lang, "/admin/meetings", ["録画の同意拒否", "Recording consent refused"], count("refusals", o.refusals.length))}
${card(lang, "/admin/approvals", ["承認待ち", "Approvals waiting"], count("approvals", o.approvals.waiting), o.approvals.oldest ? `${tr(lang, "最も古い申請", "oldest")} ${when(lang, o.approvals.oldest)}` : "")}
${card(lang, "/admin/incidents", ["インシデント", "Incidents"], count("incidents", o.incidents.total))}
${card(lang, "/admin/cleanups", ["エスカレーション", "Escalations"], count("escalations", o.escalations.total))}
</div>
<div class="charts">
${barChart(tr(lang, "区分別の会議数", "Meetings by tier"), tierBars, tr(lang, "件", ""))}
${barChart(tr(lang, "サービス別の会議数", "Meetings by service"), serviceBars, tr(lang, "件", ""))}
${barChart(tr(lang, "会議後の未完了：終了からの経過", "Open clean-ups: time since the meeting ended"), bucketBars, tr(lang, "会議", ""))}
</div>
<h2>${tr(lang, "区分別・サービス別", "By tier and by service")}</h2>
${tierServiceTable(lang, policy, o)}
<h2>${tr(lang, "会議後の未完了（経過の長い順）", "Open clean-ups, longest overdue first")}〔${h(policy.reminders.cite)}〕</h2>
${cleanupRows ? `<table><thead><tr><th>${tr(lang, "会議", "Meeting")}</th><th>${tr(lang, "主催者", "Organizer")}</th><th>${tr(lang, "終了", "Ended")}</th><th class="n">${tr(lang, "経過", "Overdue")}</th><th class="n">${tr(lang, "未完了", "Open items")}</th></tr></thead><tbody>${cleanupRows}</tbody></table>` : `<p class="muted">${tr(lang, "なし", "None")}</p>`}
<h2>${tr(lang, "録画の同意拒否", "Recording consent refused")}〔${h(policy.recording.consentMode.cite)}〕</h2>
${refusalRows ? `<table><thead><tr><th>${tr(lang, "日時", "When")}</th><th>${tr(lang, "会議", "Meeting")}</th><th>${tr(lang, "拒否した人", "Refused by")}</th></tr></thead><tbody>${refusalRows}</tbody></table>` : `<p class="muted">${tr(lang, "なし", "None")}</p>`}
<div class="charts">
<div><h2>${tr(lang, "承認待ち（種類別）", "Approvals waiting, by kind")}</h2>${small([...o.approvals.byKind].map(([k, n]) => [labelOf(approvalKindLabels, k), n, `approval:${k}`]))}</div>
<div><h2>${tr(lang, "インシデント（種類別）", "Incidents, by kind")}〔MWG 8(2)〕</h2>${small([...o.incidents.byKind].map(([k, n]) => [labelOf(incidentKindLabels, k), n, `incident:${k}`]))}</div>
<div><h2>${tr(lang, "エスカレーション（理由別）", "Escalations, by reason")}</h2>${small([...o.escalations.byReason].map(([k, n]) => [labelOf(escalationReasonLabels, k), n, `escalation:${k}`]))}</div>
</div>`,
    s,
    view.here,
  );
}

/** GET /admin/dashboard: the auditor's first page, for `?month=YYYY-MM` (Japan time; this month by default). */
export function dashboardRoutes(deps: AdminDeps): Route[] {
  const { page } = adminKit(deps);
  return [
    {
      method: "get",
      path: "/admin/dashboard",
      handle: page(async (s, req, lang) => {
        const now = deps.clock.now();
        const asked = new URL(req.url ?? "/", "http://x").searchParams.get("month") ?? "";
        const problems: { text: Text }[] =
          asked === "" || isMonth(asked)
            ? []
            : [
                {
                  text: [
                    "対象の月が正しくありません（例：2026-12）。",
                    "The month is not a month (e.g. 2026-12).",
                  ],
                },
              ];
        const month = asked !== "" && problems.length === 0 ? asked : japanMonth(now);
        const overview = await readOverview(deps.db.kysely, s.tenantId, month, now);
        const names = await namesOf(deps.db.kysely, s.tenantId, [
          ...overview.cleanups.meetings.map((c) => c.organizerId),
          ...overview.refusals.flatMap((r) => (r.personId ? [r.personId] : [])),
        ]);
        const policy = deps.policies.policyFor(s.tenantId);
        const view = { policy, overview, names, now, here: hereOf(req), problems };
        return html(dashboardPage(lang, s, view), {}, problems.length > 0 ? 400 : 200);
      }),
    },
  ];
}
