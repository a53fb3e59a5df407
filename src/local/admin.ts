import type { Clock } from "../clock.js";
import { createAdmin, findAdmin, openSession } from "../admin/accounts.js";
import { COOKIE, SESSION_MS, cookie, redirect } from "../admin/kit.js";
import type { Route } from "../http/server.js";
import type { Database } from "../store/db.js";
import { PLAYGROUND_TENANT } from "./personas.js";

export const LOCAL_ADMIN_EMAIL = "admin@playground.local";

/**
 * Local mode's admin for the playground's tenant, so the person who just scheduled a meeting can
 * open its log. Created on the first start only (an existing account is left as it is); the
 * password is returned that once, for `npm start` to print — never logged. Production never
 * calls this: main.ts does only in local mode, which listens on loopback only.
 */
export async function ensureLocalAdmin(db: Database, clock: Clock): Promise<string | undefined> {
  if (await findAdmin(db.kysely, PLAYGROUND_TENANT, LOCAL_ADMIN_EMAIL)) return undefined;
  return createAdmin(db.kysely, PLAYGROUND_TENANT, LOCAL_ADMIN_EMAIL, clock.now());
}

/**
 * POST /playground/admin (the playground page's "管理コンソール" button): signs the local admin
 * in and opens the console — one click from a scheduled meeting to its log. Only a form posted
 * from this server's own page is taken (its Origin), so another site open in the same browser
 * cannot use it.
 */
export function localAdminRoutes(db: Database, clock: Clock): Route[] {
  return [
    {
      method: "post",
      path: "/playground/admin",
      raw: true,
      handle: async (_body, req) => {
        const origin = req.headers.origin;
        if (!origin || origin !== `http://${req.headers.host ?? ""}`)
          return { status: 403, body: { error: { code: "CSRF" } } };
        const id = await openSession(
          db.kysely,
          PLAYGROUND_TENANT,
          LOCAL_ADMIN_EMAIL,
          clock.now(),
          SESSION_MS,
        );
        return redirect("/admin/dashboard?lang=ja", {
          "set-cookie": cookie(COOKIE, id, req, SESSION_MS / 1000),
        });
      },
    },
  ];
}
