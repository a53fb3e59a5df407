import { randomUUID } from "node:crypto";
import { approverOf } from "../governor/directory.js";
import { approvalInputSchema } from "../channels/inputs.js";
import { refusalText } from "../cards/notices.js";
import { KaigiError, type ErrorCode } from "../errors.js";
import type { Route } from "../http/server.js";
import { readMeeting } from "../store/repos/meetings.js";
import type { AdminSession } from "./accounts.js";
import { adminKit, html, type AdminDeps } from "./kit.js";
import { approvalsPage, tr, type Lang } from "./pages.js";
import { namesOf } from "./people.js";

/**
 * The approvals an admin is the named approver for (R-EXT 1, KSS 第9章2(5)イ): the pending list,
 * and the answer, which goes through the governor exactly as an answer on the card does.
 */
export function approvalRoutes(deps: AdminDeps): Route[] {
  const { page, form } = adminKit(deps);

  const pending = async (s: AdminSession) => {
    const rows = await deps.db.kysely
      .selectFrom("approvals")
      .select(["meeting_id", "kind", "requested_by", "requested_at"])
      .where("tenant_id", "=", s.tenantId)
      .where("status", "=", "pending")
      .orderBy("requested_at")
      .execute();
    const policy = deps.policies.policyFor(s.tenantId);
    return Promise.all(
      rows.map(async (r) => {
        const meeting = await readMeeting(deps.db.kysely, s.tenantId, r.meeting_id);
        const approver = meeting
          ? approverOf(policy, meeting, r.kind as Parameters<typeof approverOf>[2])
          : undefined;
        return { ...r, title: meeting?.title ?? null, approver };
      }),
    );
  };
  const approvals = async (
    s: AdminSession,
    lang: Lang,
    message?: { ok: boolean; text: string },
    status = 200,
  ) => {
    const rows = await pending(s);
    const ids = rows.flatMap((r) => [r.requested_by, ...(r.approver ? [r.approver] : [])]);
    const names = await namesOf(deps.db.kysely, s.tenantId, ids);
    return html(approvalsPage(lang, s, rows, names, message), {}, status);
  };

  return [
    {
      method: "get",
      path: "/admin/approvals",
      handle: page((s, _req, lang) => approvals(s, lang)),
    },
    {
      method: "post",
      path: "/admin/approvals/answer",
      raw: true,
      handle: form(async (s, fields) => {
        const lang: Lang = fields.get("lang") === "en" ? "en" : "ja";
        const optional = (name: string) => {
          const v = (fields.get(name) ?? "").trim();
          return v === "" ? {} : { [name]: v };
        };
        const parsed = approvalInputSchema.safeParse({
          requestId: fields.get("meeting") ?? "",
          kind: fields.get("kind") ?? "",
          decision: fields.get("decision") ?? "",
          ...optional("tier"),
          ...optional("reason"),
        });
        const refuse = (code: ErrorCode, status: number) =>
          approvals(s, lang, { ok: false, text: `${refusalText(code)[lang]} (${code})` }, status);
        if (!parsed.success) return refuse("BAD_ARGUMENT", 400);
        const { requestId, kind, decision, tier, reason } = parsed.data;
        if (kind === "tier-decision" && decision === "approved" && !tier)
          return refuse("BAD_ARGUMENT", 400);
        // The admin answers as the platform identity their account is linked to; the governor
        // checks it is the approver the directory names, exactly as for an answer on the card.
        if (!s.identity) {
          deps.logger.warn("admin.approval_refused", { tenant: s.tenantId, code: "NOT_APPROVER" });
          return refuse("NOT_APPROVER", 403);
        }
        let outcome;
        try {
          outcome = await deps.governor.handle(
            {
              eventId: `admin:${randomUUID()}`,
              tenantId: s.tenantId,
              meetingId: requestId,
              actor: s.identity,
            },
            {
              type: "approval-answered",
              kind,
              decision,
              ...(tier ? { tier } : {}),
              ...(reason ? { reason } : {}),
            },
          );
        } catch (error) {
          if (error instanceof KaigiError) return refuse(error.code, 404);
          throw error;
        }
        if (outcome.status === "rejected") {
          deps.logger.warn("admin.approval_refused", { tenant: s.tenantId, code: outcome.code });
          return refuse(outcome.code, outcome.code === "MEETING_NOT_FOUND" ? 404 : 409);
        }
        return approvals(s, lang, {
          ok: true,
          text: tr(
            lang,
            "回答を記録しました。主催者に伝えます。",
            "Your answer is recorded; the organizer will be told.",
          ),
        });
      }),
    },
  ];
}
