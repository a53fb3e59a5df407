import { stringify as stringifyYaml } from "yaml";
import type { PolicyProblem } from "../policy/problems.js";
import type { Policy } from "../policy/schema.js";
import type { PolicyChange } from "../policy/tenants.js";
import type { PolicyLayerVersion } from "../store/repos/policy-layers.js";
import type { AdminSession } from "./accounts.js";
import { h, layout, tr, type Lang } from "./html.js";

const KINDS = [
  ["external-participants", "外部参加者", "External participants"],
  ["external-host", "外部主催の会議", "Meetings hosted outside"],
  ["personal-information-consultation", "個人情報の事前相談", "Personal-information consultation"],
  ["tier-decision", "区分の判断", "Tier decision"],
] as const;

const json = (v: unknown) => (v === undefined ? "—" : JSON.stringify(v));

function directoryTables(lang: Lang, policy: Policy): string {
  const dir = policy.directory;
  const approverCells = (approvers: Partial<Record<string, string>> | undefined) =>
    KINDS.map(([k]) => `<td>${h(approvers?.[k] ?? "—")}</td>`).join("");
  const head = KINDS.map(([, ja, en]) => `<th>${tr(lang, ja, en)}</th>`).join("");
  const departments = Object.entries(dir?.departments ?? {})
    .map(
      ([id, d]) =>
        `<tr><td>${h(id)}</td><td>${h(d.name[lang])}</td>${approverCells(d.approvers)}<td>${h((d.incidentContacts ?? []).join(", "))}</td></tr>`,
    )
    .join("");
  return `<h2>${tr(lang, "承認者名簿（KSS 第9章2(5)イ）", "Approver directory (KSS 第9章2(5)イ)")}</h2>
<table><thead><tr><th>${tr(lang, "所属", "Department")}</th><th>${tr(lang, "名称", "Name")}</th>${head}<th>${tr(lang, "インシデント連絡先", "Incident contacts")}</th></tr></thead><tbody>
<tr><td colspan="2">${tr(lang, "（既定）", "(default)")}</td>${approverCells(dir?.approvers)}<td>${h((dir?.incidentContacts ?? []).join(", "))}</td></tr>
${departments}</tbody></table>
<p><small>${tr(lang, "所属の欄にない種類は既定の承認者が回答します。インシデントは所属と既定の連絡先の両方に届きます（R-INC）。", "A kind a department leaves out goes to the default approver. An incident goes to the department's and the default contacts (R-INC).")}</small></p>`;
}

/** The default approvers and incident contacts as a form (written into the tenant's layer). */
function directoryForm(lang: Lang, s: AdminSession, policy: Policy): string {
  const dir = policy.directory;
  const fields = KINDS.map(
    ([k, ja, en]) =>
      `<label>${tr(lang, ja, en)}<input name="approver:${k}" value="${h(dir?.approvers[k] ?? "")}" placeholder="aad:<object id>" size="44"></label>`,
  ).join("");
  return `<form method="post" action="/admin/policy/directory" class="filters">
<input type="hidden" name="csrf" value="${h(s.csrf)}"><input type="hidden" name="lang" value="${lang}">
${fields}<label>${tr(lang, "インシデント連絡先（カンマ区切り）", "Incident contacts (comma-separated)")}<input name="contacts" value="${h((dir?.incidentContacts ?? []).join(", "))}" size="60"></label>
<button type="submit">${tr(lang, "変更点を確認する", "Preview the changes")}</button></form>`;
}

function uploadForm(lang: Lang, s: AdminSession, source: string): string {
  return `<form method="post" action="/admin/policy/preview">
<input type="hidden" name="csrf" value="${h(s.csrf)}"><input type="hidden" name="lang" value="${lang}">
<label>${tr(lang, "このテナントのポリシー層（YAML）", "This tenant's policy layer (YAML)")}
<textarea name="source" rows="16" cols="100" spellcheck="false">${h(source)}</textarea></label>
<p><button type="submit">${tr(lang, "変更点を確認する", "Preview the changes")}</button></p></form>`;
}

export function policyPage(
  lang: Lang,
  s: AdminSession,
  view: {
    policy: Policy;
    layers: string[];
    history: PolicyLayerVersion[];
    source: string;
    message?: { ok: boolean; text: string };
    problems?: readonly PolicyProblem[];
  },
): string {
  const problems = view.problems?.length
    ? `<div class="bad" role="alert"><p>${tr(lang, "このポリシー層は使えません。何も変更していません：", "This layer cannot be used. Nothing was changed:")}</p><ul>${view.problems
        .map((p) => `<li><code>${h(p.path || "(file)")}</code> ${h(p.message)}</li>`)
        .join("")}</ul></div>`
    : "";
  const history = view.history
    .map(
      (v) =>
        `<tr><td>${String(v.version)}</td><td>${h(v.uploadedBy)}</td><td>${h(v.uploadedAt)}</td><td><code>${h(v.sha256.slice(0, 16))}</code></td></tr>`,
    )
    .join("");
  return layout(
    lang,
    tr(lang, "ポリシー・連絡先", "Policy & directory"),
    `<h1>${tr(lang, "ポリシー・連絡先", "Policy & directory")}</h1>
${view.message ? `<p class="${view.message.ok ? "ok" : "bad"}" role="status">${h(view.message.text)}</p>` : ""}${problems}
<p>${tr(lang, "適用中の層", "Layers in effect")}: ${h(view.layers.join(" → "))}</p>
<details><summary>${tr(lang, "適用中のポリシー全文（YAML）", "The policy in effect, in full (YAML)")}</summary><pre>${h(stringifyYaml(view.policy))}</pre></details>
${directoryTables(lang, view.policy)}
<h3>${tr(lang, "既定の承認者とインシデント連絡先を変更する", "Change the default approvers and incident contacts")}</h3>
${directoryForm(lang, s, view.policy)}
<h2>${tr(lang, "個人データの保存期間（KSS 第8章3(2)エ）", "Personal-data retention (KSS 第8章3(2)エ)")}</h2>
<p>${
      view.policy.retention
        ? tr(
            lang,
            `${String(view.policy.retention.personalDataDays)} 日を過ぎた参加者名などの個人データは消去されます（6時間ごと）。ログの連鎖は検証できるままです。`,
            `Personal data such as participants' names is erased after ${String(view.policy.retention.personalDataDays)} days (every 6 hours). The log chain still verifies.`,
          )
        : tr(
            lang,
            "未設定です（個人データは消去されるまで保存されます）。この層の retention.personalDataDays で設定します。",
            "Not set (personal data is kept until erased). Set retention.personalDataDays in this layer.",
          )
    }</p>
<h2>${tr(lang, "このテナントの層を変更する（R-TEN 2）", "Change this tenant's layer (R-TEN 2)")}</h2>
<p>${tr(lang, "標準・県・市町村の層の上に重ねる層です。許されている範囲を狭めることだけができます。承認者名簿（directory）とインシデント連絡先もここで管理します。変更点を確認してから適用し、適用はログに残ります。", "It is laid over the standard, prefecture and municipality layers and may only narrow what they allow. The approver directory and the incident contacts are managed here too. Preview the changes before applying; applying is logged.")}</p>
${uploadForm(lang, s, view.source)}
<h2>${tr(lang, "変更の履歴", "History")}</h2>
<table><thead><tr><th>${tr(lang, "版", "Version")}</th><th>${tr(lang, "変更者", "By")}</th><th>${tr(lang, "日時", "At")}</th><th>SHA-256</th></tr></thead><tbody>${history}</tbody></table>`,
    s,
  );
}

export function policyPreviewPage(
  lang: Lang,
  s: AdminSession,
  view: { changes: PolicyChange[]; source: string; after: number },
): string {
  const rows = view.changes
    .map(
      (c) =>
        `<tr><td><code>${h(c.path)}</code></td><td><pre>${h(json(c.from))}</pre></td><td><pre>${h(json(c.to))}</pre></td></tr>`,
    )
    .join("");
  return layout(
    lang,
    tr(lang, "変更点の確認", "Preview"),
    `<h1>${tr(lang, "変更点の確認", "Preview of the changes")}</h1>
<p>${
      view.changes.length === 0
        ? tr(lang, "適用中のポリシーと同じです。", "It is the same as the policy in effect.")
        : tr(
            lang,
            `${String(view.changes.length)} か所が変わります。`,
            `${String(view.changes.length)} values change.`,
          )
    }</p>
<table><thead><tr><th>${tr(lang, "項目", "Path")}</th><th>${tr(lang, "現在", "Now")}</th><th>${tr(lang, "変更後", "After")}</th></tr></thead><tbody>${rows}</tbody></table>
<form method="post" action="/admin/policy/apply">
<input type="hidden" name="csrf" value="${h(s.csrf)}"><input type="hidden" name="lang" value="${lang}">
<input type="hidden" name="after" value="${String(view.after)}">
<textarea name="source" hidden>${h(view.source)}</textarea>
<p><button type="submit">${tr(lang, "適用する", "Apply")}</button> <a href="/admin/policy?lang=${lang}">${tr(lang, "やめる", "Cancel")}</a></p></form>`,
    s,
  );
}
