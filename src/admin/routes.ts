import { randomBytes } from "node:crypto";
import type { Route } from "../http/server.js";
import { verifyChain } from "../store/log/verify.js";
import { checkPassword, closeSession, findAdmin, openSession } from "./accounts.js";
import {
  COOKIE,
  LOGIN_ATTEMPTS,
  LOGIN_COOKIE,
  LOGIN_WINDOW_MS,
  SESSION_MS,
  adminKit,
  cookie,
  cookiesOf,
  html,
  logAdmin,
  redirect,
  same,
  type AdminDeps,
} from "./kit.js";
import {
  deadLettersPage,
  devicesPage,
  incidentsPage,
  loginPage,
  verifyPage,
  type Lang,
} from "./pages.js";
import { consoleDecisionRoutes } from "./decisions.js";
import { dashboardRoutes } from "./dashboard.js";
import { meetingRoutes } from "./meeting-routes.js";
import { namesOf } from "./people.js";
import { reviewRoutes } from "./review.js";
import { exportLog } from "../store/log/export.js";
import { requeueDead } from "../store/outbox/outbox.js";
import { deviceLogbook, listDevices } from "../store/repos/devices.js";
import { logbookCsv } from "../csv.js";

export type { AdminDeps } from "./kit.js";

/**
 * The admin console (R-LOG 4-5, R-TEN): sign-in per tenant (scrypt passwords, rate-limited),
 * HTTP-only SameSite=Strict session cookies, a CSRF token on every form, and pages that read only
 * the signed-in admin's tenant — another tenant's meeting id is simply not found.
 */
export function adminRoutes(deps: AdminDeps): Route[] {
  const attempts = new Map<string, number[]>();
  const limited = (key: string) => {
    const now = deps.clock.now().getTime();
    const recent = (attempts.get(key) ?? []).filter((t) => now - t < LOGIN_WINDOW_MS);
    attempts.set(key, recent);
    return recent.length >= LOGIN_ATTEMPTS;
  };
  const { langOf, page, form, download } = adminKit(deps);

  const deadLetters = async (tenantId: string) =>
    (
      await deps.db.kysely
        .selectFrom("outbox")
        .select(["id", "kind", "last_error", "attempts"])
        .where("tenant_id", "=", tenantId)
        .where("state", "=", "dead")
        .orderBy("id")
        .execute()
    ).map((r) => ({ id: r.id, kind: r.kind, lastError: r.last_error, attempts: r.attempts }));

  return [
    ...dashboardRoutes(deps),
    ...meetingRoutes(deps),
    ...consoleDecisionRoutes(deps),
    ...reviewRoutes(deps),
    {
      // The console's front door: signed in → the overview; otherwise (page) → the sign-in page.
      method: "get",
      path: "/admin",
      handle: page((_s, _req, lang) => Promise.resolve(redirect(`/admin/dashboard?lang=${lang}`))),
    },
    {
      method: "get",
      path: "/admin/login",
      handle: (_body, req) => {
        const token = randomBytes(24).toString("base64url");
        return html(loginPage(langOf(req), token), {
          "set-cookie": cookie(LOGIN_COOKIE, token, req, 600),
        });
      },
    },
    {
      method: "post",
      path: "/admin/login",
      raw: true,
      handle: async (body, req) => {
        const fields = new URLSearchParams(String(body));
        const lang: Lang = fields.get("lang") === "en" ? "en" : "ja";
        const loginCsrf = cookiesOf(req)[LOGIN_COOKIE] ?? "";
        if (!loginCsrf || !same(fields.get("csrf") ?? "", loginCsrf))
          return { status: 403, body: { error: { code: "CSRF" } } };
        const tenant = (fields.get("tenant") ?? "").trim().slice(0, 200);
        const email = (fields.get("email") ?? "").trim().toLowerCase().slice(0, 200);
        const password = (fields.get("password") ?? "").slice(0, 200);
        const key = `${req.socket.remoteAddress ?? "?"}|${tenant}|${email}`;
        if (limited(key)) {
          deps.logger.warn("admin.login_limited", { tenant });
          return html(loginPage(lang, loginCsrf, "limited"), {}, 429);
        }
        const account =
          tenant && email ? await findAdmin(deps.db.kysely, tenant, email) : undefined;
        const ok = account ? await checkPassword(password, account.password_hash) : false;
        if (!account || !ok) {
          attempts.get(key)?.push(deps.clock.now().getTime());
          deps.logger.warn("admin.login_failed", { tenant });
          return html(loginPage(lang, loginCsrf, "failed"), {}, 401);
        }
        const id = await openSession(deps.db.kysely, tenant, email, deps.clock.now(), SESSION_MS);
        deps.logger.info("admin.login", { tenant });
        return redirect(`/admin/dashboard?lang=${lang}`, {
          "set-cookie": cookie(COOKIE, id, req, SESSION_MS / 1000),
        });
      },
    },
    {
      method: "post",
      path: "/admin/verify",
      raw: true,
      handle: form(async (s, fields) => {
        const report = await verifyChain(deps.db, s.tenantId);
        deps.logger.info("admin.verify", { tenant: s.tenantId, ok: report.ok });
        await deps.db.transaction(
          (trx) =>
            logAdmin(trx, deps.clock, s, "admin.verified", {
              ok: report.ok,
              entries: report.entries,
            }),
          { tenantId: s.tenantId },
        );
        return html(verifyPage(fields.get("lang") === "en" ? "en" : "ja", s, report));
      }),
    },
    {
      method: "get",
      path: "/admin/dead-letters",
      handle: page(async (s, _req, lang) =>
        html(deadLettersPage(lang, s, await deadLetters(s.tenantId))),
      ),
    },
    {
      method: "post",
      path: "/admin/dead-letters/requeue",
      raw: true,
      handle: form(async (s, fields) => {
        const lang: Lang = fields.get("lang") === "en" ? "en" : "ja";
        const id = Number(fields.get("id"));
        if (!Number.isSafeInteger(id) || id < 1)
          return { status: 400, body: { error: { code: "BAD_ARGUMENT" } } };
        // The requeue and the admin's log entry are one transaction (R-LOG 1: admin actions).
        const done = await deps.db.transaction(
          async (trx) => {
            const ok = await requeueDead(trx, deps.clock, s.tenantId, id);
            if (ok) await logAdmin(trx, deps.clock, s, "admin.requeued", { outboxId: id });
            return ok;
          },
          { tenantId: s.tenantId },
        );
        const message = done
          ? lang === "ja"
            ? `#${String(id)} を再送します。`
            : `#${String(id)} will be delivered again.`
          : lang === "ja"
            ? `#${String(id)} は再送できません（このテナントの未配信ではありません）。`
            : `#${String(id)} cannot be requeued (not an undelivered item of this tenant).`;
        return html(
          deadLettersPage(lang, s, await deadLetters(s.tenantId), message),
          {},
          done ? 200 : 404,
        );
      }),
    },
    {
      method: "get",
      path: "/admin/devices",
      handle: page(async (s, _req, lang) =>
        html(
          devicesPage(
            lang,
            s,
            await listDevices(deps.db.kysely, s.tenantId),
            await deviceLogbook(deps.db.kysely, s.tenantId),
          ),
        ),
      ),
    },
    {
      method: "get",
      path: "/admin/export/devices.csv",
      handle: page(async (s) => {
        const csv = logbookCsv(await deviceLogbook(deps.db.kysely, s.tenantId));
        return download(s, "devices.csv", csv);
      }),
    },
    {
      method: "get",
      path: "/admin/incidents",
      handle: page(async (s, _req, lang) => {
        const rows = await deps.db.kysely
          .selectFrom("log_entries")
          .select(["seq", "at", "actor", "payload"])
          .where("tenant_id", "=", s.tenantId)
          .where("action", "=", "incident.reported")
          .orderBy("seq", "desc")
          .execute();
        const names = await namesOf(
          deps.db.kysely,
          s.tenantId,
          rows.map((r) => r.actor),
        );
        return html(incidentsPage(lang, s, rows, names));
      }),
    },
    ...(["csv", "json"] as const).map((format): Route => ({
      method: "get",
      path: `/admin/export/log.${format}`,
      // The tenant's log with its hashes (docs/log-format.md), personal data left out.
      handle: page(async (s) => {
        let text = "";
        await exportLog(deps.db.kysely, s.tenantId, { format }, (chunk) => (text += chunk));
        return download(s, `kaigi-guard-log.${format}`, text);
      }),
    })),
    {
      method: "post",
      path: "/admin/logout",
      raw: true,
      handle: form(async (_s, _fields, req, id) => {
        await closeSession(deps.db.kysely, id);
        return redirect("/admin/login", { "set-cookie": cookie(COOKIE, "", req, 0) });
      }),
    },
  ];
}
