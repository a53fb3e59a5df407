/**
 * One measured request: the organizer's answer to the tier card, POSTed to one of the three
 * servers with the channel token, and its answer checked.
 */
import { readFileSync } from "node:fs";
import { request, type Agent } from "node:http";
import type { Ready } from "./server-process.js";

export type Kind = "echo" | "evaluation" | "governance";
export type Failure = "status" | "body" | "connection";
export interface Result {
  ms: number;
  failure?: Failure;
}

const fixture = JSON.parse(
  readFileSync(
    new URL("../../test/fixtures/teams/invoke-adaptive-card-action.json", import.meta.url),
    "utf8",
  ),
) as Record<string, unknown>;
let activities = 0;
/** The invoke Teams sends when the organizer presses 「この区分で確定」 on the tier card. */
const tierAnswer = (ready: Ready, meetingId: string) =>
  JSON.stringify({
    ...fixture,
    id: `f:bench-${String(++activities)}`,
    timestamp: new Date().toISOString(),
    serviceUrl: ready.serviceUrl,
    value: {
      action: {
        type: "Action.Execute",
        title: "この区分で確定",
        verb: "tier.submit",
        data: { requestId: meetingId, tier: "I" },
      },
      trigger: "manual",
    },
  });

const CARD = '"type":"application/vnd.microsoft.card.adaptive"';

/**
 * POSTs the tier answer for `meetingId` to the server of `kind`; resolves (never rejects) with the
 * time to the whole answer and what was wrong with it, if anything.
 */
export function post(ready: Ready, agent: Agent, kind: Kind, meetingId: string): Promise<Result> {
  const base = { echo: ready.echo, evaluation: ready.evaluation, governance: ready.app }[kind];
  const payload = tierAnswer(ready, meetingId);
  const started = performance.now();
  return new Promise((done) => {
    const req = request(
      `${base}/api/messages`,
      {
        method: "POST",
        agent,
        headers: {
          "content-type": "application/json; charset=utf-8",
          "content-length": Buffer.byteLength(payload),
          authorization: `Bearer ${ready.token}`,
        },
      },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          const ms = performance.now() - started;
          // The echo card, or the verdict card for this meeting (its next step: meeting.confirm).
          const expected =
            text.includes(CARD) &&
            (kind === "echo"
              ? text.includes('"text":"echo"')
              : text.includes('"verb":"meeting.confirm"') && text.includes(`"${meetingId}"`));
          done(
            res.statusCode !== 200
              ? { ms, failure: "status" }
              : expected
                ? { ms }
                : { ms, failure: "body" },
          );
        });
      },
    );
    req.on("error", () => {
      done({ ms: performance.now() - started, failure: "connection" });
    });
    req.end(payload);
  });
}
