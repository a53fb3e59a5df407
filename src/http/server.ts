import type { IncomingMessage } from "node:http";
import restify from "restify";
import { z } from "zod";
import type { Logger } from "../logger.js";
import { evaluate } from "../policy/evaluate.js";
import type { LoadedPolicy } from "../policy/load.js";
import { meetingPlanSchema } from "../policy/plan.js";

const MAX_BODY_BYTES = 256 * 1024;

/** A JSON body, or `text` sent as is with its content type (pages, validation tokens). */
export type Reply = {
  status: number;
  body?: unknown;
  text?: string;
  contentType?: string;
  headers?: Record<string, string>;
};

export const fail = (status: number, code: string, message?: string): Reply => ({
  status,
  body: { error: { code, ...(message ? { message } : {}) } },
});

/**
 * How long a client may take (slow clients, slowloris): the request head, the whole request, and
 * silence on an open connection. Over the limit the connection is closed (408 where a reply can
 * still be written) and nothing is handled.
 */
export interface ClientTimeouts {
  headersMs: number;
  requestMs: number;
  idleMs: number;
}

export const DEFAULT_CLIENT_TIMEOUTS: ClientTimeouts = {
  headersMs: 10_000,
  requestMs: 30_000,
  idleMs: 15_000,
};

export interface AppDeps {
  policy: LoadedPolicy;
  logger: Logger;
  routes?: Route[];
  clientTimeouts?: ClientTimeouts;
}

export type Route = {
  method: "get" | "post";
  path: string;
  /** The body is handed over unparsed (a string), for routes that check a signature or take text. */
  raw?: boolean;
  handle: (body: unknown, req: IncomingMessage) => Promise<Reply> | Reply;
};

/**
 * The HTTP surface on restify: health, the policy API, and the routes the app's parts bring (the
 * Teams endpoint, Webex webhooks, Graph notifications, admin pages). It knows no platform: a
 * channel turns a request into its own turn. Bodies are read here (bounded) so every bad input
 * gets our own stable error shape.
 */
export function createAppServer(deps: AppDeps): restify.Server {
  const server = restify.createServer({ name: "kaigi-guard", handleUncaughtExceptions: false });
  const limits = deps.clientTimeouts ?? DEFAULT_CLIENT_TIMEOUTS;
  const http = server.server;
  http.headersTimeout = limits.headersMs;
  http.requestTimeout = limits.requestMs;
  http.keepAliveTimeout = Math.min(5_000, limits.idleMs);
  // Node checks the two limits above on this interval (30 s by default), read when listening.
  (http as { connectionsCheckingInterval?: number }).connectionsCheckingInterval = Math.max(
    100,
    Math.min(limits.headersMs, limits.requestMs) / 4,
  );
  http.setTimeout(limits.idleMs);
  const routes: Route[] = [
    { method: "get", path: "/healthz", handle: () => ({ status: 200, body: { ok: true } }) },
    { method: "get", path: "/api/policy", handle: () => ({ status: 200, body: deps.policy }) },
    {
      method: "post",
      path: "/api/policy/check",
      handle: (body) => {
        const plan = meetingPlanSchema.safeParse(body);
        if (!plan.success) return fail(400, "BAD_ARGUMENT", z.prettifyError(plan.error));
        return { status: 200, body: evaluate(plan.data, deps.policy.policy) };
      },
    },
  ];
  routes.push(...(deps.routes ?? []));
  for (const r of routes) {
    server[r.method](r.path, async (req: restify.Request, res: restify.Response) => {
      const reply = await respond(r, req).catch((error: unknown) => {
        deps.logger.error("http.unhandled", {
          path: r.path,
          error: error instanceof Error ? error.name : "unknown",
        });
        return fail(500, "INTERNAL");
      });
      res.status(reply.status);
      for (const [name, value] of Object.entries(reply.headers ?? {})) res.header(name, value);
      if (reply.text !== undefined) {
        res.header("content-type", reply.contentType ?? "text/plain; charset=utf-8");
        // As restify's JSON formatter does: a length, not a chunked body.
        res.header("content-length", Buffer.byteLength(reply.text));
        res.sendRaw(reply.text);
      } else if (reply.body === undefined) res.end();
      else res.json(reply.body);
    });
  }
  return server;
}

async function respond(route: Route, req: IncomingMessage): Promise<Reply> {
  if (route.method === "get") return route.handle(undefined, req);
  const raw = await readBody(req);
  // The client went away (or was cut off as too slow) before its body arrived: nothing to do.
  if (raw === null) return fail(408, "REQUEST_TIMEOUT");
  if (raw === undefined) return fail(413, "BAD_ARGUMENT", `body over ${MAX_BODY_BYTES} bytes`);
  if (route.raw) return route.handle(raw, req);
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return fail(400, "BAD_ARGUMENT", "body is not JSON");
  }
  return route.handle(body, req);
}

/** The body; undefined when over the limit, null when the connection ended before it did. */
async function readBody(req: IncomingMessage): Promise<string | undefined | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(chunk);
    }
  } catch {
    return null;
  }
  return req.complete ? Buffer.concat(chunks).toString("utf8") : null;
}
