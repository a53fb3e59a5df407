import type { Database } from "../store/db.js";
import type { Route } from "./server.js";

/** GET /readyz: 200 once the store can serve, 503 STORE_UNAVAILABLE until then. */
export function readinessRoute(db: Database): Route {
  return {
    method: "get",
    path: "/readyz",
    // Ready = the database answers and its migrations are the ones this build knows.
    handle: async () => {
      const ready = await db.ready().catch(() => false);
      return ready
        ? { status: 200, body: { ok: true } }
        : { status: 503, body: { error: { code: "STORE_UNAVAILABLE" } } };
    },
  };
}
