/**
 * The servers `bench-teams.ts` measures, in their own process (so the load generator does not
 * share their event loop): the real app (createApp: JWT check, governor, SQLite or PostgreSQL) and
 * an echo bot on the same stack (restify, the same TeamsAdapter and JWT check, a turn that only
 * answers the invoke). Prints one JSON line with the ports, a channel token and the meeting ids
 * prepared to await their tier, then serves until killed.
 */
import { mkdtempSync } from "node:fs";
import { sql } from "kysely";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { createApp } from "../src/app.js";
import { createTeamsAdapter } from "../src/channels/teams/adapter.js";
import { ADAPTIVE_CARD_CONTENT_TYPE } from "../src/cards/render.js";
import { systemClock } from "../src/clock.js";
import { createAppServer } from "../src/http/server.js";
import { jsonLogger } from "../src/logger.js";
import { loadPolicy } from "../src/policy/load.js";
import { Database } from "../src/store/db.js";
import { botFrameworkFake, channelToken, teamsSettings } from "../test/fakes/botframework.js";

const { values } = parseArgs({
  options: { meetings: { type: "string", default: "40000" }, pg: { type: "boolean" } },
});
const TENANT = "5c7d1a3e-8b2f-4e61-9a0d-3f4b6c8e2a17";
const ORGANIZER = "aad:8e2f4a6c-1d3b-4f5a-9c7e-2b4d6f8a0c1e";
const quiet = jsonLogger(() => undefined);

const bf = await botFrameworkFake();
const settings = teamsSettings(bf, { authTimeoutMs: 5_000 });
const pgUrl = process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
// PostgreSQL: a schema of its own, dropped when the benchmark ends.
const schema = `kaigi_bench_${Date.now().toString(36)}`;
const db = await Database.open(
  values.pg
    ? { kind: "postgres", url: pgUrl, schema }
    : { kind: "sqlite", path: join(mkdtempSync(join(tmpdir(), "kaigi-bench-")), "bench.sqlite") },
);
const policy = loadPolicy("kawasaki");
const app = createApp({ db, policy, logger: quiet, clock: systemClock, teams: settings });
const appUrl = await app.listen(0, "127.0.0.1");

// The echo bot: the same HTTP server, adapter and JWT check; no policy, no store.
const adapter = createTeamsAdapter(settings, systemClock);
const echo = createAppServer({
  policy,
  logger: quiet,
  teams: {
    adapter,
    timeoutMs: 5_000,
    turn: async (ctx) => {
      await ctx.sendActivity({
        type: "invokeResponse",
        value: {
          status: 200,
          body: {
            statusCode: 200,
            type: ADAPTIVE_CARD_CONTENT_TYPE,
            value: {
              type: "AdaptiveCard",
              version: "1.4",
              body: [{ type: "TextBlock", text: "ok" }],
            },
          },
        },
      });
    },
  },
});
await new Promise<void>((resolve) => {
  echo.listen(0, "127.0.0.1", () => {
    resolve();
  });
});

// Meetings waiting for their tier, each answered once by one measured request.
const run = Date.now().toString(36);
const count = Number(values.meetings);
const ids: string[] = [];
for (let i = 0; i < count; i++) {
  const id = `bench-${run}-${String(i)}`;
  ids.push(id);
  await app.governor.handle(
    { eventId: `draft:${id}`, tenantId: TENANT, meetingId: id, actor: ORGANIZER },
    {
      type: "draft",
      title: `会議 ${String(i)}`,
      startsAt: new Date(Date.now() + 86_400_000).toISOString(),
      endsAt: new Date(Date.now() + 90_000_000).toISOString(),
      plan: {
        service: "webex",
        participants: 5,
        external: false,
        externalHost: false,
        personalInfo: false,
        recording: false,
        transcription: false,
        departmentDevice: false,
      },
    },
  );
}

process.stdout.write(
  `${JSON.stringify({
    app: appUrl,
    echo: `http://127.0.0.1:${String(echo.address().port)}`,
    serviceUrl: bf.serviceUrl,
    token: channelToken(bf.serviceUrl),
    dialect: db.dialect,
    ids,
  })}\n`,
);
process.once("SIGTERM", () => {
  void app
    .stop()
    .then(async () => {
      if (db.dialect === "postgres")
        await sql`drop schema ${sql.id(schema)} cascade`.execute(db.kysely);
    })
    .then(() => db.close())
    .then(() => process.exit(0));
});
