import type { Route } from "../http/server.js";
import type { Policy } from "../policy/schema.js";
import { readMeeting } from "../store/repos/meetings.js";
import type { AdminSession } from "./accounts.js";
import { adminKit, html, type AdminDeps } from "./kit.js";
import { h, layout, tr, type Lang } from "./html.js";
import { escalationReasonLabels, labelHtml, labelOf } from "./labels.js";
import { when } from "./time.js";

interface OpenItem {
  meetingId: string;
  title: string | null;
  endsAt: string | null;
  itemId: string;
}

interface Escalation {
  seq: number;
  at: string;
  meetingId: string | null;
  reason: string;
}

function cleanupsPage(
  lang: Lang,
  s: AdminSession,
  policy: Policy,
  items: OpenItem[],
  escalations: Escalation[],
): string {
  const label = (id: string) => {
    const item = policy.cleanup.find((c) => c.id === id);
    return item ? `${item.text[lang]}（${item.cite}）` : id;
  };
  const link = (id: string | null, text: string | null) =>
    id
      ? `<a href="/admin/meetings/${encodeURIComponent(id)}?lang=${lang}">${h(text ?? id)}</a>`
      : "—";
  const open = items
    .map(
      (i) =>
        `<tr><td>${link(i.meetingId, i.title)}</td><td>${when(lang, i.endsAt)}</td><td>${h(label(i.itemId))}</td></tr>`,
    )
    .join("");
  const raised = escalations
    .map((e) => {
      const reason = labelOf(escalationReasonLabels, e.reason);
      return `<tr><td>${when(lang, e.at)}</td><td>${link(e.meetingId, null)}</td><td>${labelHtml(lang, reason, e.reason)}</td><td>${String(e.seq)}</td></tr>`;
    })
    .join("");
  return layout(
    lang,
    tr(lang, "未完了の後始末・エスカレーション", "Open clean-ups and escalations"),
    `<h1>${tr(lang, "未完了の後始末", "Open clean-up items")}</h1>
<p>${tr(lang, "会議後に残っている確認事項です。主催者には完了までお知らせが続きます（KWS 4(4)）。", "What is still to be done after meetings; organizers are reminded until it is (KWS 4(4)).")}</p>
<table><thead><tr><th>${tr(lang, "会議", "Meeting")}</th><th>${tr(lang, "終了予定", "Planned end")}</th><th>${tr(lang, "確認事項", "Item")}</th></tr></thead><tbody>${open}</tbody></table>
<h2>${tr(lang, "エスカレーション", "Escalations")}</h2>
<table><thead><tr><th>${tr(lang, "日時", "At")}</th><th>${tr(lang, "会議", "Meeting")}</th><th>${tr(lang, "理由", "Reason")}</th><th>${tr(lang, "ログ番号", "Log #")}</th></tr></thead><tbody>${raised}</tbody></table>`,
    s,
  );
}

/** What is overdue (R-POST, R-EXT 1): open clean-up items and the escalations raised. */
export function reviewRoutes(deps: AdminDeps): Route[] {
  const { page } = adminKit(deps);
  return [
    {
      method: "get",
      path: "/admin/cleanups",
      handle: page(async (s, _req, lang) => {
        const rows = await deps.db.kysely
          .selectFrom("cleanup_items")
          .select(["meeting_id", "item_id"])
          .where("tenant_id", "=", s.tenantId)
          .where("done", "=", 0)
          .orderBy("meeting_id")
          .orderBy("item_id")
          .execute();
        const meetings = new Map<string, { title: string | null; endsAt: string | null }>();
        for (const id of new Set(rows.map((r) => r.meeting_id))) {
          const m = await readMeeting(deps.db.kysely, s.tenantId, id);
          meetings.set(id, { title: m?.title ?? null, endsAt: m?.endsAt ?? null });
        }
        const items = rows.map((r) => ({
          meetingId: r.meeting_id,
          itemId: r.item_id,
          ...(meetings.get(r.meeting_id) ?? { title: null, endsAt: null }),
        }));
        const escalations = (
          await deps.db.kysely
            .selectFrom("log_entries")
            .select(["seq", "at", "meeting_id", "payload"])
            .where("tenant_id", "=", s.tenantId)
            .where("action", "=", "meeting.escalated")
            .orderBy("seq", "desc")
            .limit(500)
            .execute()
        ).map((e) => ({
          seq: e.seq,
          at: e.at,
          meetingId: e.meeting_id,
          reason: (JSON.parse(e.payload) as { reason?: string }).reason ?? "",
        }));
        return html(cleanupsPage(lang, s, deps.policies.policyFor(s.tenantId), items, escalations));
      }),
    },
  ];
}
