import { randomUUID } from "node:crypto";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { approverOf } from "../governor/governor.js";
import { approvalInputSchema } from "../channels/inputs.js";
import { refusalText } from "../cards/notices.js";
import { KaigiError, type ErrorCode } from "../errors.js";
import type { Reply, Route } from "../http/server.js";
import { PolicyInvalidError } from "../policy/problems.js";
import { readMeeting } from "../store/repos/meetings.js";
import { policyLayerHistory, savePolicyLayer } from "../store/repos/policy-layers.js";
import { PLATFORM_IDENTITY, type AdminSession } from "./accounts.js";
import { approvalKinds } from "../policy/verdict.js";
import { adminKit, html, logAdmin, type AdminDeps } from "./kit.js";
import { approvalsPage, tr, type Lang } from "./pages.js";
import { namesOf } from "./people.js";
import { policyPage, policyPreviewPage } from "./policy-pages.js";

/** The most a policy layer may be (it is YAML a person writes; the shipped presets are ~10 KB). */
const MAX_LAYER_CHARS = 64 * 1024;

const langField = (fields: URLSearchParams): Lang => (fields.get("lang") === "en" ? "en" : "ja");

/**
 * What admins decide in the console: approvals they are the named approver for (R-EXT 1, KSS
 * 第9章2(5)イ — through the governor, as on the card), and the tenant's policy layer with its
 * approver directory and incident contacts (R-TEN 2), previewed as a diff and logged when applied.
 */
export function consoleDecisionRoutes(deps: AdminDeps): Route[] {
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

  const policyView = async (
    s: AdminSession,
    lang: Lang,
    extra: Partial<Parameters<typeof policyPage>[2]> = {},
    status = 200,
  ): Promise<Reply> => {
    const history = await policyLayerHistory(deps.db.kysely, s.tenantId);
    return html(
      policyPage(lang, s, {
        policy: deps.policies.policyFor(s.tenantId),
        layers: deps.policies.describe(s.tenantId).layers,
        history,
        source: history[0]?.source ?? "",
        ...extra,
      }),
      {},
      status,
    );
  };
  /** A layer that cannot be used: named problems, nothing changed. */
  const invalid = (s: AdminSession, lang: Lang, source: string, error: unknown) => {
    if (!(error instanceof PolicyInvalidError)) throw error;
    deps.logger.info("admin.policy_refused", {
      tenant: s.tenantId,
      problems: error.problems.length,
    });
    return policyView(s, lang, { source, problems: error.problems }, 400);
  };
  /** What `source` would change, with the form that applies it; or its problems. */
  const preview = async (s: AdminSession, lang: Lang, source: string) => {
    try {
      const { changes } = deps.policies.evaluate(s.tenantId, source);
      const after = deps.policies.describe(s.tenantId).version;
      return html(policyPreviewPage(lang, s, { changes, source, after }));
    } catch (error) {
      return invalid(s, lang, source, error);
    }
  };
  const sourceOf = (fields: URLSearchParams) => {
    const source = fields.get("source") ?? "";
    return source.length > MAX_LAYER_CHARS ? undefined : source;
  };
  const tooLarge = (s: AdminSession, lang: Lang) =>
    invalid(
      s,
      lang,
      "",
      new PolicyInvalidError([
        {
          file: "(upload)",
          path: "",
          message: `longer than ${String(MAX_LAYER_CHARS)} characters`,
        },
      ]),
    );

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
        const lang = langField(fields);
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
    {
      method: "get",
      path: "/admin/policy",
      handle: page((s, _req, lang) => policyView(s, lang)),
    },
    {
      method: "post",
      path: "/admin/policy/preview",
      raw: true,
      handle: form(async (s, fields) => {
        const lang = langField(fields);
        const source = sourceOf(fields);
        if (source === undefined) return tooLarge(s, lang);
        return preview(s, lang, source);
      }),
    },
    {
      method: "post",
      path: "/admin/policy/directory",
      raw: true,
      // The directory form writes the default approvers and contacts into the tenant's layer
      // (the rest of the layer kept) and shows the same preview as an upload.
      handle: form(async (s, fields) => {
        const lang = langField(fields);
        const current = (await policyLayerHistory(deps.db.kysely, s.tenantId))[0]?.source ?? "";
        const approvers: Record<string, string> = {};
        for (const k of approvalKinds) {
          const v = (fields.get(`approver:${k}`) ?? "").trim();
          if (v !== "") approvers[k] = v;
        }
        const contacts = (fields.get("contacts") ?? "")
          .split(/[,、\s]+/)
          .map((c) => c.trim())
          .filter((c) => c !== "");
        const wrong = [...Object.values(approvers), ...contacts].filter(
          (v) => !PLATFORM_IDENTITY.test(v),
        );
        // A stored layer was parsed and validated when it was saved.
        const layer = (parseYaml(current) as Record<string, unknown> | null) ?? {};
        const directory = { ...(layer.directory as Record<string, unknown> | undefined) };
        directory.approvers = approvers;
        if (contacts.length > 0) directory.incidentContacts = contacts;
        else delete directory.incidentContacts;
        const source = stringifyYaml({ ...layer, directory });
        if (wrong.length > 0)
          return invalid(
            s,
            lang,
            source,
            new PolicyInvalidError(
              wrong.map((v) => ({
                file: "(directory form)",
                path: "directory",
                message: `'${v}' is not aad:<object id> or webex:<e-mail>`,
              })),
            ),
          );
        return preview(s, lang, source);
      }),
    },
    {
      method: "post",
      path: "/admin/policy/apply",
      raw: true,
      handle: form(async (s, fields) => {
        const lang = langField(fields);
        const source = sourceOf(fields);
        const after = Number(fields.get("after"));
        if (source === undefined) return tooLarge(s, lang);
        if (!Number.isSafeInteger(after) || after < 0)
          return { status: 400, body: { error: { code: "BAD_ARGUMENT" } } };
        let changes;
        try {
          changes = deps.policies.evaluate(s.tenantId, source).changes;
        } catch (error) {
          return invalid(s, lang, source, error);
        }
        // The new version and its log entry (every change, from → to) are one transaction.
        const saved = await deps.db.transaction(
          async (trx) => {
            const version = await savePolicyLayer(
              trx,
              s.tenantId,
              after,
              source,
              `admin:${s.email}`,
              deps.clock.now(),
            );
            if (version)
              await logAdmin(trx, deps.clock, s, "admin.policy_changed", {
                version: version.version,
                sha256: version.sha256,
                changes,
              });
            return version;
          },
          { tenantId: s.tenantId },
        );
        if (!saved)
          return policyView(
            s,
            lang,
            {
              source,
              message: {
                ok: false,
                text: tr(
                  lang,
                  "確認している間に、別の管理者がポリシーを変更しました。何も変更していません。もう一度確認してください。",
                  "Another admin changed the policy while you were previewing. Nothing was changed; preview again.",
                ),
              },
            },
            409,
          );
        deps.policies.use(s.tenantId, saved.version, source);
        deps.logger.info("admin.policy_changed", { tenant: s.tenantId, version: saved.version });
        return policyView(s, lang, {
          message: {
            ok: true,
            text: tr(
              lang,
              `第${String(saved.version)}版を適用しました（${String(changes.length)} か所の変更、ログに記録）。`,
              `Version ${String(saved.version)} is in effect (${String(changes.length)} changes, logged).`,
            ),
          },
        });
      }),
    },
  ];
}
