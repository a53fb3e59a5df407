import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { Clock } from "../clock.js";
import type { Governor } from "../governor/governor.js";
import type { Reply } from "../http/server.js";
import type { Logger } from "../logger.js";
import type { TenantPolicies } from "../policy/tenants.js";
import type { Database } from "../store/db.js";
import { appendLog } from "../store/log/append.js";
import { findSession, type AdminSession } from "./accounts.js";
import type { Lang } from "./html.js";

export const COOKIE = "kg_admin";
export const LOGIN_COOKIE = "kg_login";
export const SESSION_MS = 8 * 3_600_000;
export const LOGIN_WINDOW_MS = 15 * 60_000;
export const LOGIN_ATTEMPTS = 5;

export const cookiesOf = (req: IncomingMessage) =>
  Object.fromEntries(
    (req.headers.cookie ?? "")
      .split(";")
      .map((c) => c.trim().split("="))
      .filter((kv): kv is [string, string] => kv.length === 2 && kv[0] !== ""),
  );

export const same = (a: string, b: string) =>
  a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export const html = (body: string, extra: Record<string, string> = {}, status = 200): Reply => ({
  status,
  text: body,
  contentType: "text/html; charset=utf-8",
  headers: {
    "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    ...extra,
  },
});
export const redirect = (to: string, extra: Record<string, string> = {}): Reply => ({
  status: 303,
  headers: { location: to, "cache-control": "no-store", ...extra },
});
export const cookie = (name: string, value: string, req: IncomingMessage, maxAgeS?: number) =>
  `${name}=${value}; Path=/admin; HttpOnly; SameSite=Strict${
    req.headers["x-forwarded-proto"] === "https" ? "; Secure" : ""
  }${maxAgeS === undefined ? "" : `; Max-Age=${String(maxAgeS)}`}`;

/** An admin's action as a log entry (R-LOG 1), in the caller's transaction. */
export const logAdmin = (
  trx: Parameters<typeof appendLog>[0],
  clock: Clock,
  s: AdminSession,
  action: string,
  payload: Record<string, unknown>,
) =>
  appendLog(trx, clock, [
    { tenantId: s.tenantId, meetingId: null, actor: `admin:${s.email}`, action, payload },
  ]);

export interface AdminDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  governor: Governor;
  policies: TenantPolicies;
}

/** The console's request plumbing: language, session, pages behind sign-in, CSRF-checked forms. */
export function adminKit(deps: AdminDeps) {
  const langOf = (req: IncomingMessage): Lang =>
    new URL(req.url ?? "/", "http://x").searchParams.get("lang") === "en" ? "en" : "ja";

  const session = async (
    req: IncomingMessage,
  ): Promise<{ id: string; s: AdminSession } | undefined> => {
    const id = cookiesOf(req)[COOKIE];
    if (!id) return undefined;
    const s = await findSession(deps.db.kysely, id, deps.clock.now());
    return s ? { id, s } : undefined;
  };
  /** A page behind sign-in; unsigned → the login page. */
  const page =
    (render: (s: AdminSession, req: IncomingMessage, lang: Lang) => Promise<Reply>) =>
    async (_body: unknown, req: IncomingMessage): Promise<Reply> => {
      const found = await session(req);
      if (!found) return redirect(`/admin/login?lang=${langOf(req)}`);
      return render(found.s, req, langOf(req));
    };
  /** A form post: signed in and carrying the session's CSRF token, or refused with nothing done. */
  const form =
    (
      act: (
        s: AdminSession,
        fields: URLSearchParams,
        req: IncomingMessage,
        id: string,
      ) => Promise<Reply>,
    ) =>
    async (body: unknown, req: IncomingMessage): Promise<Reply> => {
      const found = await session(req);
      if (!found) return { status: 401, body: { error: { code: "UNAUTHORIZED" } } };
      const fields = new URLSearchParams(String(body));
      if (!same(fields.get("csrf") ?? "", found.s.csrf)) {
        deps.logger.warn("admin.csrf_refused", { tenant: found.s.tenantId });
        return { status: 403, body: { error: { code: "CSRF" } } };
      }
      return act(found.s, fields, req, found.id);
    };

  /** A CSV the admin downloads; the export itself is a log entry (R-LOG 1). */
  const download = async (s: AdminSession, filename: string, content: string): Promise<Reply> => {
    await deps.db.transaction(
      (trx) => logAdmin(trx, deps.clock, s, "admin.exported", { what: filename }),
      { tenantId: s.tenantId },
    );
    return {
      status: 200,
      text: content,
      contentType: filename.endsWith(".json")
        ? "application/json; charset=utf-8"
        : "text/csv; charset=utf-8",
      headers: {
        "content-disposition": `attachment; filename="${filename}"`,
        "cache-control": "no-store",
      },
    };
  };

  return { langOf, session, page, form, download };
}
