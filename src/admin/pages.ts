import type { ChainReport } from "../store/log/verify.js";
import type { DeviceUse } from "../store/repos/devices.js";
import type { AdminSession } from "./accounts.js";
import { h, layout, tr, type Lang } from "./html.js";
import { incidentKindLabels, labelHtml, labelOf, approvalKindLabels } from "./labels.js";
import { personHtml, type Names } from "./people.js";
import { when } from "./time.js";

export { h, layout, tr, type Lang } from "./html.js";

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
  names: Names,
  message?: { ok: boolean; text: string },
): string {
  const answerForm = (r: PendingApproval) => {
    if (!s.identity || r.approver !== s.identity)
      return `<small>${tr(lang, "承認者", "Approver")}: ${r.approver ? personHtml(lang, r.approver, names) : tr(lang, "（未設定）", "(none set)")}</small>`;
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
        `<tr><td><a href="/admin/meetings/${encodeURIComponent(r.meeting_id)}?lang=${lang}">${h(r.title ?? r.meeting_id)}</a></td><td>${labelHtml(lang, labelOf(approvalKindLabels, r.kind), r.kind)}</td><td>${personHtml(lang, r.requested_by, names)}</td><td>${when(lang, r.requested_at)}</td><td>${answerForm(r)}</td></tr>`,
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
        `<tr><td>${h(u.deviceId)}</td><td>${h(u.department)}</td><td>${h(u.userName)}</td><td>${when(lang, u.usedFrom)}</td><td>${when(lang, u.usedTo)}</td><td>${h(u.meetingId)}</td></tr>`,
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
  names: Names,
): string {
  const body = rows
    .map((r) => {
      const p = JSON.parse(r.payload) as { receipt?: string; kind?: string; contacts?: number };
      return `<tr><td>${h(p.receipt)}</td><td>${when(lang, r.at)}</td><td>${labelHtml(lang, labelOf(incidentKindLabels, p.kind), p.kind)}</td><td>${personHtml(lang, r.actor, names)}</td><td>${h(p.contacts)}</td><td>#${String(r.seq)}</td></tr>`;
    })
    .join("");
  return layout(
    lang,
    tr(lang, "インシデント", "Incidents"),
    `<h1>${tr(lang, "インシデントの報告", "Incident reports")}〔MWG 8(2)(5)〕</h1>
<p>${tr(lang, "報告の内容（状況の記述）は個人情報として記録の外に保管されています。", "What was described is kept beside the log as personal data.")}</p>
<table><thead><tr><th>${tr(lang, "受付番号", "Receipt")}</th><th>${tr(lang, "日時", "When")}</th><th>${tr(lang, "種類", "Kind")}</th><th>${tr(lang, "報告者", "Reporter")}</th><th>${tr(lang, "連絡先数", "Contacts")}</th><th>${tr(lang, "記録", "Log")}</th></tr></thead><tbody>${body}</tbody></table>`,
    s,
  );
}
