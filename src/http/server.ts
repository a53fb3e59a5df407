import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { z } from "zod";
import { evaluate } from "../policy/evaluate.js";
import type { LoadedPolicy } from "../policy/load.js";
import { meetingPlanSchema } from "../policy/plan.js";

const MAX_BODY_BYTES = 64 * 1024;

type Reply = { status: number; body: unknown };

const fail = (status: number, code: string, message: string): Reply => ({
  status,
  body: { error: { code, message } },
});

/**
 * The HTTP surface so far: health, the effective policy and the policy check. The bot endpoints
 * (Teams, Webex, the local playground) are mounted here by later parts.
 */
export function createAppServer(loaded: LoadedPolicy): Server {
  const routes: Record<string, (body: unknown) => Reply> = {
    "GET /healthz": () => ({ status: 200, body: { ok: true } }),
    "GET /api/policy": () => ({ status: 200, body: loaded }),
    "POST /api/policy/check": (body) => {
      const plan = meetingPlanSchema.safeParse(body);
      if (!plan.success) return fail(400, "BAD_ARGUMENT", z.prettifyError(plan.error));
      return { status: 200, body: evaluate(plan.data, loaded.policy) };
    },
  };
  return createServer((req, res) => {
    handle(routes, req)
      .then((reply) => {
        send(res, reply);
      })
      .catch(() => {
        send(res, fail(500, "INTERNAL", "unexpected failure"));
      });
  });
}

async function handle(
  routes: Record<string, (body: unknown) => Reply>,
  req: IncomingMessage,
): Promise<Reply> {
  const path = new URL(req.url ?? "/", "http://localhost").pathname;
  const route = routes[`${req.method ?? "GET"} ${path}`];
  if (!route) return fail(404, "NOT_FOUND", `no route ${req.method ?? ""} ${path}`);
  if (req.method !== "POST") return route(undefined);
  const raw = await readBody(req);
  if (raw === undefined) return fail(413, "BAD_ARGUMENT", `body over ${MAX_BODY_BYTES} bytes`);
  try {
    return route(JSON.parse(raw));
  } catch (error) {
    if (error instanceof SyntaxError) return fail(400, "BAD_ARGUMENT", "body is not JSON");
    throw error;
  }
}

async function readBody(req: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function send(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8" });
  res.end(body);
}
