import type { AdminSession } from "./accounts.js";

export type Lang = "ja" | "en";

/** Every value put into a page goes through this (HTML injection in any field is just text). */
export const h = (value: string | number | null | undefined): string =>
  String(value ?? "").replace(/[&<>"'`]/g, (c) => `&#${String(c.charCodeAt(0))};`);

export const tr = (lang: Lang, ja: string, en: string) => (lang === "ja" ? ja : en);

/** A Japanese and an English text, the pair every label and sentence is kept as. */
export type Text = readonly [ja: string, en: string];
export const pick = (lang: Lang, text: Text) => (lang === "ja" ? text[0] : text[1]);

/** The same page in the other language: `here` with its `lang` swapped. */
function otherLanguage(lang: Lang, here: string): string {
  const url = new URL(here, "http://x");
  url.searchParams.set("lang", lang === "ja" ? "en" : "ja");
  return `${url.pathname}${url.search}`;
}

const STYLE = `
body{font-family:system-ui,"Hiragino Sans","Noto Sans JP",sans-serif;margin:0;color:#242424;background:#faf9f8;line-height:1.5}
header{background:#464775;color:#fff;padding:8px 20px}
header .top{display:flex;gap:16px;align-items:center;flex-wrap:wrap}header a{color:#fff}
nav{display:flex;gap:4px 14px;flex-wrap:wrap;align-items:center;margin-top:6px;font-size:14px}
nav form{display:inline;margin:0}main{padding:16px 20px;max-width:1320px}
h1{font-size:22px;margin:8px 0 12px}h2{font-size:18px;margin:20px 0 8px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #e1dfdd;padding:6px 8px;text-align:left;vertical-align:top;font-size:14px}
th{background:#f3f2f1}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
form.filters{display:flex;gap:8px;flex-wrap:wrap;margin-bottom:12px;align-items:end}
label{display:flex;flex-direction:column;font-size:13px}input,select,button{font-size:14px;padding:4px 6px}
.ok{color:#107c10;font-weight:bold}.bad{color:#a4262c;font-weight:bold}pre{white-space:pre-wrap;margin:0;font-size:12px}
.muted,small{color:#605e5c}.cite{color:#464775;white-space:nowrap}code{font-size:12px}
details summary{cursor:pointer;color:#605e5c;font-size:12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:12px;margin:12px 0}
.card{background:#fff;border:1px solid #e1dfdd;padding:10px 14px}.card .big{font-size:28px;font-weight:bold}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(420px,1fr));gap:16px}
figure{margin:0;background:#fff;border:1px solid #e1dfdd;padding:10px}figcaption{font-weight:bold;margin-bottom:6px}
.printonly{display:none}table.compact{width:auto;min-width:40%}
@media print{
 header nav,form.filters,button,.noprint,.raw,details{display:none!important}
 .printonly{display:block}
 body,header,main{background:#fff!important;color:#000!important}header a,a{color:#000;text-decoration:none}
 header{border-bottom:2px solid #000;padding:4px 0}main{max-width:none;padding:8px 0}
 th{background:#eee!important}th,td{border-color:#000}.card,figure{border-color:#000}
 thead{display:table-header-group}tr,figure,.card{break-inside:avoid}.muted,small,.cite,.bad,.ok{color:#000}
}`;

function navigation(lang: Lang, s: AdminSession): string {
  const link = (path: string, ja: string, en: string) =>
    `<a href="${path}?lang=${lang}">${tr(lang, ja, en)}</a>`;
  return `<nav aria-label="${tr(lang, "メニュー", "Menu")}">
${link("/admin/dashboard", "概要", "Overview")}
${link("/admin/meetings", "会議", "Meetings")}
${link("/admin/approvals", "承認待ち", "Pending approvals")}
${link("/admin/cleanups", "未完了・エスカレーション", "Open items")}
${link("/admin/incidents", "インシデント", "Incidents")}
${link("/admin/devices", "端末", "Devices")}
${link("/admin/dead-letters", "未配信", "Undelivered")}
${link("/admin/policy", "ポリシー・連絡先", "Policy & directory")}
<a href="/admin/export/log.csv">${tr(lang, "ログCSV", "Log CSV")}</a>
<a href="/admin/export/log.json">${tr(lang, "ログJSON", "Log JSON")}</a>
<form method="post" action="/admin/verify"><input type="hidden" name="csrf" value="${h(s.csrf)}"><input type="hidden" name="lang" value="${lang}"><button type="submit">${tr(lang, "ログを検証", "Verify log")}</button></form>
<form method="post" action="/admin/logout"><input type="hidden" name="csrf" value="${h(s.csrf)}"><button type="submit">${tr(lang, "ログアウト", "Sign out")}</button></form>
</nav>`;
}

/**
 * A console page. `here` is the page's own address, so the language link reopens the same page in
 * the other language; pages answering a form fall back to the overview.
 */
export function layout(
  lang: Lang,
  title: string,
  body: string,
  s?: AdminSession,
  here?: string,
): string {
  const toggle = otherLanguage(lang, here ?? (s ? "/admin/dashboard" : "/admin/login"));
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${h(title)} — 会議ガード 管理</title>
<style>${STYLE}</style></head><body>
<header><div class="top"><strong>会議ガード 管理 / kaigi-guard admin</strong>
${s ? `<span>${h(s.email)} · ${h(tr(lang, "テナント", "tenant"))} ${h(s.tenantId)}</span>` : ""}
<a class="noprint" href="${h(toggle)}" lang="${lang === "ja" ? "en" : "ja"}">${lang === "ja" ? "English" : "日本語"}</a></div>
${s ? navigation(lang, s) : ""}</header><main>${body}</main></body></html>`;
}
