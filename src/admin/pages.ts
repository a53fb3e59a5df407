import type { Meeting } from "../meetings/types.js";
import type { ChainReport } from "../store/log/verify.js";
import type { DeviceUse } from "../store/repos/devices.js";
import type { AdminSession } from "./accounts.js";

export type Lang = "ja" | "en";

/** Every value put into a page goes through this (HTML injection in any field is just text). */
export const h = (value: string | number | null | undefined): string =>
  String(value ?? "").replace(/[&<>"'`]/g, (c) => `&#${String(c.charCodeAt(0))};`);

export const tr = (lang: Lang, ja: string, en: string) => (lang === "ja" ? ja : en);

export function layout(lang: Lang, title: string, body: string, s?: AdminSession): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)} — 会議ガード 管理</title>
<style>
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;margin:0;color:#242424;background:#faf9f8}
header{background:#464775;color:#fff;padding:10px 20px;display:flex;gap:16px;align-items:center;flex-wrap:wrap}
header a{color:#fff}main{padding:16px 20px;max-width:1200px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #e1dfdd;padding:6px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f3f2f1}form.filters{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:12px;align-items:end}
label{display:flex;flex-direction:column;font-size:13px}input,select,button{font-size:14px;padding:4px 6px}
.ok{color:#107c10;font-weight:bold}.bad{color:#a4262c;font-weight:bold}pre{white-space:pre-wrap;margin:0;font-size:12px}
</style></head><body>
<header><strong>会議ガード 管理 / kaigi-guard admin</strong>
${
  s
    ? `<span>${h(s.email)} · ${h(tr(lang, "テナント", "tenant"))} ${h(s.tenantId)}</span>
<a href="/admin/meetings?lang=${lang}">${tr(lang, "会議", "Meetings")}</a>
<a href="/admin/approvals?lang=${lang}">${tr(lang, "承認待ち", "Pending approvals")}</a>
<a href="/admin/cleanups?lang=${lang}">${tr(lang, "未完了・エスカレーション", "Open items")}</a>
<a href="/admin/dead-letters?lang=${lang}">${tr(lang, "未配信", "Undelivered")}</a>
<a href="/admin/devices?lang=${lang}">${tr(lang, "端末", "Devices")}</a>
<a href="/admin/incidents?lang=${lang}">${tr(lang, "インシデント", "Incidents")}</a>
<a href="/admin/policy?lang=${lang}">${tr(lang, "ポリシー・連絡先", "Policy & directory")}</a>
<a href="/admin/export/log.csv">${tr(lang, "ログCSV", "Log CSV")}</a>
<a href="/admin/export/log.json">${tr(lang, "ログJSON", "Log JSON")}</a>
<form method="post" action="/admin/verify" style="display:inline"><input type="hidden" name="csrf" value="${h(s.csrf)}"><input type="hidden" name="lang" value="${lang}"><button type="submit">${tr(lang, "ログを検証", "Verify log")}</button></form>
<form method="post" action="/admin/logout" style="display:inline"><input type="hidden" name="csrf" value="${h(s.csrf)}"><button type="submit">${tr(lang, "ログアウト", "Sign out")}</button></form>`
    : ""
}
<a href="/admin/${s ? "meetings" : "login"}?lang=${lang === "ja" ? "en" : "ja"}">${lang === "ja" ? "English" : "日本語"}</a>
</header><main>${body}</main></body></html>`;
}

export function loginPage(lang: Lang, csrf: string, problem?: "failed" | "limited"): string {
  const message =
    problem === "failed"
      ? tr(
          lang,
          "サインインできませんでした。入力を確認してください。",
          "Could not sign in. Check what you entered.",
        )
      : problem === "limited"
        ? tr(
            lang,
            "試行が多すぎます。15分後にもう一度お試しください。",
            "Too many attempts. Try again in 15 minutes.",
          )
        : "";
  return layout(
    lang,
    tr(lang, "サインイン", "Sign in"),
    `<h1>${tr(lang, "管理者サインイン", "Admin sign-in")}</h1>
${message ? `<p class="bad" role="alert">${h(message)}</p>` : ""}
<form method="post" action="/admin/login">
<input type="hidden" name="csrf" value="${h(csrf)}"><input type="hidden" name="lang" value="${lang}">
<label>${tr(lang, "テナント", "Tenant")}<input name="tenant" required autocomplete="organization"></label>
<label>${tr(lang, "メールアドレス", "E-mail")}<input name="email" type="email" required autocomplete="username"></label>
<label>${tr(lang, "パスワード", "Password")}<input name="password" type="password" required autocomplete="current-password"></label>
<p><button type="submit">${tr(lang, "サインイン", "Sign in")}</button></p></form>`,
  );
}

export function meetingsPage(
  lang: Lang,
  s: AdminSession,
  meetings: Meeting[],
  filter: Record<string, string>,
): string {
  const field = (name: string, label: string, type = "text") =>
    `<label>${label}<input name="${name}" type="${type}" value="${h(filter[name])}"></label>`;
  const rows = meetings
    .map(
      (
        m,
      ) => `<tr><td><a href="/admin/meetings/${encodeURIComponent(m.id)}?lang=${lang}">${h(m.title ?? m.id)}</a></td>
<td>${h(m.startsAt ?? "")}</td><td>${h(m.tier ?? "")}</td><td>${h(m.plan?.service ?? "")}</td><td>${h(m.state)}</td><td>${h(m.organizerId)}</td></tr>`,
    )
    .join("");
  return layout(
    lang,
    tr(lang, "会議", "Meetings"),
    `<h1>${tr(lang, "会議一覧", "Meetings")}</h1>
<form class="filters" method="get" action="/admin/meetings"><input type="hidden" name="lang" value="${lang}">
${field("title", tr(lang, "会議名", "Title"))}${field("from", tr(lang, "開始日から", "From"), "date")}${field("to", tr(lang, "開始日まで", "To"), "date")}
${field("tier", tr(lang, "区分", "Tier"))}${field("platform", tr(lang, "サービス", "Service"))}${field("state", tr(lang, "状態", "State"))}${field("organizer", tr(lang, "主催者", "Organizer"))}
<button type="submit">${tr(lang, "絞り込む", "Filter")}</button></form>
<p>${String(meetings.length)} ${tr(lang, "件", "meetings")}</p>
<table><thead><tr><th>${tr(lang, "会議名", "Title")}</th><th>${tr(lang, "開始", "Starts")}</th><th>${tr(lang, "区分", "Tier")}</th><th>${tr(lang, "サービス", "Service")}</th><th>${tr(lang, "状態", "State")}</th><th>${tr(lang, "主催者", "Organizer")}</th></tr></thead>
<tbody>${rows}</tbody></table>`,
    s,
  );
}

export function timelinePage(
  lang: Lang,
  s: AdminSession,
  meeting: Meeting | undefined,
  entries: {
    seq: number;
    at: string;
    actor: string;
    action: string;
    payload: string;
    hash: string;
  }[],
): string {
  if (!meeting)
    return layout(
      lang,
      "404",
      `<p class="bad">${tr(lang, "この会議は見つかりません。", "No such meeting.")}</p>`,
      s,
    );
  const rows = entries
    .map(
      (e) =>
        `<tr><td>${String(e.seq)}</td><td>${h(e.at)}</td><td>${h(e.actor)}</td><td>${h(e.action)}</td><td><pre>${h(e.payload)}</pre></td><td><code>${h(e.hash.slice(0, 12))}</code></td></tr>`,
    )
    .join("");
  return layout(
    lang,
    meeting.title ?? meeting.id,
    `<h1>${h(meeting.title ?? meeting.id)}</h1>
<p>${tr(lang, "状態", "State")}: ${h(meeting.state)} · ${tr(lang, "区分", "Tier")}: ${h(meeting.tier ?? "-")} · ${tr(lang, "主催者", "Organizer")}: ${h(meeting.organizerId)}</p>
<p><a href="/admin/meetings/${encodeURIComponent(meeting.id)}/attendance.csv">${tr(lang, "出席者一覧（会議録用 CSV、MWG 6）", "Attendance for the minutes (CSV, MWG 6)")}</a></p>
<h2>${tr(lang, "記録（タイムライン）", "Timeline")}</h2>
<table><thead><tr><th>#</th><th>${tr(lang, "日時 (UTC)", "At (UTC)")}</th><th>${tr(lang, "誰が", "Who")}</th><th>${tr(lang, "何を", "What")}</th><th>${tr(lang, "内容", "Details")}</th><th>hash</th></tr></thead><tbody>${rows}</tbody></table>`,
    s,
  );
}

export function verifyPage(lang: Lang, s: AdminSession, report: ChainReport): string {
  return layout(
    lang,
    tr(lang, "ログの検証", "Log verification"),
    report.ok
      ? `<h1 class="ok">${tr(lang, "ログは改ざんされていません", "The log is intact")}</h1><p>${String(report.entries)} ${tr(lang, "件、先頭", "entries, head")} #${String(report.headSeq)}</p>`
      : `<h1 class="bad">${tr(lang, "ログの連鎖が壊れています", "The log chain is broken")}</h1><p>${tr(lang, "最初の不一致", "First bad entry")}: #${h(report.firstBad?.seq)} (${h(report.firstBad?.reason)})</p>`,
    s,
  );
}

export interface PendingApproval {
  meeting_id: string;
  kind: string;
  requested_by: string;
  requested_at: string;
  title: string | null;
  /** Whom the directory names for this approval (undefined: nobody). */
  approver: string | undefined;
}

export function approvalsPage(
  lang: Lang,
  s: AdminSession,
  rows: PendingApproval[],
  message?: { ok: boolean; text: string },
): string {
  const answerForm = (r: PendingApproval) => {
    if (!s.identity || r.approver !== s.identity)
      return `<small>${h(tr(lang, `承認者: ${r.approver ?? "（未設定）"}`, `Approver: ${r.approver ?? "(none set)"}`))}</small>`;
    const tierChoice =
      r.kind === "tier-decision"
        ? `<label>${tr(lang, "区分", "Tier")}<select name="tier"><option value="">—</option><option>I</option><option>II</option><option>III</option></select></label>`
        : "";
    return `<form method="post" action="/admin/approvals/answer" class="filters">
<input type="hidden" name="csrf" value="${h(s.csrf)}"><input type="hidden" name="lang" value="${lang}">
<input type="hidden" name="meeting" value="${h(r.meeting_id)}"><input type="hidden" name="kind" value="${h(r.kind)}">
${tierChoice}<label>${tr(lang, "理由（任意）", "Reason (optional)")}<input name="reason" maxlength="500"></label>
<button type="submit" name="decision" value="approved">${tr(lang, "承認する", "Approve")}</button>
<button type="submit" name="decision" value="refused">${tr(lang, "承認しない", "Refuse")}</button></form>`;
  };
  const body = rows
    .map(
      (r) =>
        `<tr><td><a href="/admin/meetings/${encodeURIComponent(r.meeting_id)}?lang=${lang}">${h(r.title ?? r.meeting_id)}</a></td><td>${h(r.kind)}</td><td>${h(r.requested_by)}</td><td>${h(r.requested_at)}</td><td>${answerForm(r)}</td></tr>`,
    )
    .join("");
  return layout(
    lang,
    tr(lang, "承認待ち", "Pending approvals"),
    `<h1>${tr(lang, "承認待ち", "Pending approvals")}</h1>
${message ? `<p class="${message.ok ? "ok" : "bad"}" role="${message.ok ? "status" : "alert"}">${h(message.text)}</p>` : ""}
<p>${tr(lang, "承認は、ポリシーの承認者名簿で指定された承認者が、カードまたはこの画面で回答します（KSS 第9章2(5)イ）。申請者は自分の申請を承認できません（KSS 第2章1(11)）。", "Approvals are answered, on the card or here, by the approver the policy's directory names (KSS 第9章2(5)イ). Nobody approves their own request (KSS 第2章1(11)).")}</p>
<table><thead><tr><th>${tr(lang, "会議", "Meeting")}</th><th>${tr(lang, "種類", "Kind")}</th><th>${tr(lang, "申請者", "Requested by")}</th><th>${tr(lang, "申請日時", "Requested at")}</th><th>${tr(lang, "回答", "Answer")}</th></tr></thead><tbody>${body}</tbody></table>`,
    s,
  );
}

export function deadLettersPage(
  lang: Lang,
  s: AdminSession,
  rows: { id: number; kind: string; lastError: string | null; attempts: number }[],
  done?: string,
): string {
  const body = rows
    .map(
      (
        r,
      ) => `<tr><td>${String(r.id)}</td><td>${h(r.kind)}</td><td>${h(r.lastError)}</td><td>${String(r.attempts)}</td>
<td><form method="post" action="/admin/dead-letters/requeue"><input type="hidden" name="csrf" value="${h(s.csrf)}"><input type="hidden" name="lang" value="${lang}"><input type="hidden" name="id" value="${String(r.id)}"><button type="submit">${tr(lang, "再送する", "Requeue")}</button></form></td></tr>`,
    )
    .join("");
  return layout(
    lang,
    tr(lang, "未配信", "Undelivered"),
    `<h1>${tr(lang, "配信できなかったもの", "Undelivered messages and calls")}</h1>
${done ? `<p class="ok" role="status">${h(done)}</p>` : ""}
<table><thead><tr><th>#</th><th>${tr(lang, "種類", "Kind")}</th><th>${tr(lang, "理由", "Reason")}</th><th>${tr(lang, "試行", "Attempts")}</th><th></th></tr></thead><tbody>${body}</tbody></table>`,
    s,
  );
}

export function devicesPage(
  lang: Lang,
  s: AdminSession,
  devices: { id: string; label: string; department: string; retired: boolean }[],
  uses: DeviceUse[],
): string {
  const list = devices
    .map(
      (d) =>
        `<tr><td>${h(d.id)}</td><td>${h(d.label)}</td><td>${h(d.department)}</td><td>${d.retired ? tr(lang, "廃止", "retired") : ""}</td></tr>`,
    )
    .join("");
  const book = uses
    .map(
      (u) =>
        `<tr><td>${h(u.deviceId)}</td><td>${h(u.department)}</td><td>${h(u.userName)}</td><td>${h(u.usedFrom)}</td><td>${h(u.usedTo)}</td><td>${h(u.meetingId)}</td></tr>`,
    )
    .join("");
  return layout(
    lang,
    tr(lang, "端末", "Devices"),
    `<h1>${tr(lang, "部署の端末", "Department devices")}</h1>
<table><thead><tr><th>ID</th><th>${tr(lang, "名称", "Label")}</th><th>${tr(lang, "所属", "Department")}</th><th></th></tr></thead><tbody>${list}</tbody></table>
<h2>${tr(lang, "使用管理簿", "Device logbook")}〔KWS 要綱第5条(3)、MWG 7(1)〕</h2>
<p><a href="/admin/export/devices.csv">${tr(lang, "CSVで書き出す", "Download CSV")}</a></p>
<table><thead><tr><th>${tr(lang, "端末", "Device")}</th><th>${tr(lang, "所属", "Department")}</th><th>${tr(lang, "使用者", "User")}</th><th>${tr(lang, "開始", "From")}</th><th>${tr(lang, "終了", "To")}</th><th>${tr(lang, "会議", "Meeting")}</th></tr></thead><tbody>${book}</tbody></table>`,
    s,
  );
}

export function incidentsPage(
  lang: Lang,
  s: AdminSession,
  rows: { seq: number; at: string; actor: string; payload: string }[],
): string {
  const body = rows
    .map((r) => {
      const p = JSON.parse(r.payload) as { receipt?: string; kind?: string; contacts?: number };
      return `<tr><td>${h(p.receipt)}</td><td>${h(r.at)}</td><td>${h(p.kind)}</td><td>${h(r.actor)}</td><td>${h(p.contacts)}</td><td>#${String(r.seq)}</td></tr>`;
    })
    .join("");
  return layout(
    lang,
    tr(lang, "インシデント", "Incidents"),
    `<h1>${tr(lang, "インシデントの報告", "Incident reports")}〔MWG 8(2)(5)〕</h1>
<p>${tr(lang, "報告の内容（状況の記述）は個人情報として記録の外に保管されています。", "What was described is kept beside the log as personal data.")}</p>
<table><thead><tr><th>${tr(lang, "受付番号", "Receipt")}</th><th>${tr(lang, "日時 (UTC)", "At (UTC)")}</th><th>${tr(lang, "種類", "Kind")}</th><th>${tr(lang, "報告者", "Reporter")}</th><th>${tr(lang, "連絡先数", "Contacts")}</th><th>${tr(lang, "記録", "Log")}</th></tr></thead><tbody>${body}</tbody></table>`,
    s,
  );
}
