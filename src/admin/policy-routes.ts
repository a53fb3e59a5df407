import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { Reply, Route } from "../http/server.js";
import { PolicyInvalidError } from "../policy/problems.js";
import { policyLayerHistory, savePolicyLayer } from "../store/repos/policy-layers.js";
import { PLATFORM_IDENTITY, type AdminSession } from "./accounts.js";
import { approvalKinds } from "../policy/verdict.js";
import { adminKit, html, logAdmin, type AdminDeps } from "./kit.js";
import { tr, type Lang } from "./pages.js";
import { policyPage, policyPreviewPage } from "./policy-pages.js";

/** The most a policy layer may be (it is YAML a person writes; the shipped presets are ~10 KB). */
const MAX_LAYER_CHARS = 64 * 1024;

const langField = (fields: URLSearchParams): Lang => (fields.get("lang") === "en" ? "en" : "ja");

/**
 * The tenant's policy layer with its approver directory and incident contacts (R-TEN 2): shown,
 * previewed as a diff (an upload or the directory form), and logged when applied.
 */
export function policyRoutes(deps: AdminDeps): Route[] {
  const { page, form } = adminKit(deps);

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
