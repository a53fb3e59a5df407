import { AuthenticationError } from "botframework-connector";
import type { Activity, TurnContext } from "botbuilder";
import type { TeamsAdapter } from "./adapter.js";
import { z } from "zod";
import type { Logger } from "../../logger.js";
import { JsonText } from "../../http/json-text.js";
import { fail as failReply, type Route } from "../../http/server.js";

/** What local mode makes of an activity sent without a token (local/unsigned.ts decides). */
export type UnsignedAdmission =
  | { ok: true; activity: Record<string, unknown>; authorization: string }
  | { ok: false; code: "SERVICE_URL_NOT_LOOPBACK" | "NOT_LOOPBACK"; detail: string };

export interface TeamsRouteOptions {
  adapter: TeamsAdapter;
  turn: (ctx: TurnContext) => Promise<void>;
  timeoutMs: number;
  logger: Logger;
  /** Local mode only: what becomes of an activity sent without a token (local/unsigned.ts). */
  unsigned?: (body: unknown, remoteAddress: string | undefined) => UnsignedAdmission;
}

/** POST /api/messages, the Bot Framework's endpoint: a request becomes a turn (handleBotRequest). */
export function teamsRoute(teams: TeamsRouteOptions): Route {
  return {
    method: "post",
    path: "/api/messages",
    handle: (body, req) => {
      const options = { timeoutMs: teams.timeoutMs, logger: teams.logger };
      const authorization = req.headers.authorization;
      if (!authorization && teams.unsigned && body !== null && typeof body === "object") {
        const admitted = teams.unsigned(body, req.socket.remoteAddress);
        if (!admitted.ok) {
          teams.logger.warn("teams.unsigned_refused", { code: admitted.code });
          return Promise.resolve(failReply(400, admitted.code, admitted.detail));
        }
        return handleBotRequest(
          teams.adapter,
          admitted.activity,
          admitted.authorization,
          teams.turn,
          options,
        );
      }
      return handleBotRequest(teams.adapter, body, authorization, teams.turn, options);
    },
  };
}

export interface EndpointReply {
  status: number;
  body?: unknown;
  /** An invoke's answer, as JSON text. */
  text?: string;
  contentType?: string;
}

const activityShape = z.looseObject({ type: z.string().min(1), serviceUrl: z.string().min(1) });

const fail = (status: number, code: string): EndpointReply => ({
  status,
  body: { error: { code } },
});

class TimeoutError extends Error {
  override readonly name = "TimeoutError";
}

/**
 * POST /api/messages. Every request's JWT is checked by the adapter before any logic runs. The
 * answer never carries the library's error text: a bad token is 401 UNAUTHORIZED, a key fetch
 * that fails or takes longer than `timeoutMs` is 503 UPSTREAM_UNAVAILABLE, a failure in our own
 * logic is 500 INTERNAL — each logged without the token.
 */
export async function handleBotRequest(
  adapter: TeamsAdapter,
  body: unknown,
  authorization: string | undefined,
  logic: (context: TurnContext) => Promise<void>,
  options: { timeoutMs: number; logger: Logger },
): Promise<EndpointReply> {
  const shape = activityShape.safeParse(body);
  if (!shape.success) return fail(400, "BAD_ACTIVITY");
  const state = { logicStarted: false };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (!state.logicStarted) reject(new TimeoutError("authentication did not finish in time"));
    }, options.timeoutMs);
  });
  try {
    const invoke = await Promise.race([
      adapter.run(authorization ?? "", body as Activity, async (context) => {
        state.logicStarted = true;
        await logic(context);
      }),
      timeout,
    ]);
    if (!invoke) return { status: 200 };
    if (invoke.body === undefined) return { status: invoke.status };
    // Every invoke's answer is sent as text, written here or (our cards) kept in part.
    const text = invoke.body instanceof JsonText ? invoke.body.text : JSON.stringify(invoke.body);
    return { status: invoke.status, text, contentType: "application/json" };
  } catch (error) {
    const name = error instanceof Error ? error.name : "unknown";
    if (state.logicStarted) {
      options.logger.error("teams.turn_failed", { error: name });
      return fail(500, "INTERNAL");
    }
    if (
      error instanceof AuthenticationError ||
      /^(JsonWebTokenError|TokenExpiredError|NotBeforeError)$/.test(name)
    ) {
      options.logger.warn("teams.auth_refused", { reason: name, ip: undefined });
      return fail(401, "UNAUTHORIZED");
    }
    options.logger.warn("teams.auth_upstream_unavailable", { reason: name });
    return fail(503, "UPSTREAM_UNAVAILABLE");
  } finally {
    clearTimeout(timer);
  }
}
