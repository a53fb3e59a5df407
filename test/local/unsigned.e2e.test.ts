import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PLAYGROUND_TENANT } from "../../src/local/personas.js";
import type { memoryLogger } from "../../src/logger.js";
import type { Database } from "../../src/store/db.js";
import { startLocalApp } from "../_local.js";

/**
 * Local mode takes activities without a token, as Microsoft 365 Agents Playground and the Bot
 * Framework Emulator send them to a bot with no app id, and answers at the activity's serviceUrl
 * — a connector on loopback (here a small one speaking the Bot Connector's reply path). A
 * serviceUrl elsewhere is refused with nothing sent. (Production mode with no Authorization
 * header → 401: test/channels/teams/bot.e2e.test.ts, "no token".)
 */

let local: Awaited<ReturnType<typeof startLocalApp>>;
let db: Database;
let url = "";
let logger: ReturnType<typeof memoryLogger>;
let connector: ReturnType<typeof createServer>;
let connectorUrl = "";
const received: { path: string; authorization?: string; body: Record<string, unknown> }[] = [];

async function bodyOf(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = "";
  for await (const chunk of req as AsyncIterable<Buffer>) text += chunk.toString();
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

beforeAll(async () => {
  local = await startLocalApp();
  ({ db, url, logger } = local);
  connector = createServer((req, res) => {
    void bodyOf(req).then((body) => {
      received.push({
        path: req.url ?? "",
        ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
        body,
      });
      res.writeHead(201, { "content-type": "application/json" });
      res.end(JSON.stringify({ id: `r${String(received.length)}` }));
    });
  });
  await new Promise<void>((resolve) => connector.listen(0, "127.0.0.1", resolve));
  // As the Agents Playground writes it: localhost, its own port, /_connector.
  connectorUrl = `http://localhost:${String((connector.address() as AddressInfo).port)}/_connector`;
});

afterAll(async () => {
  // The bot first (its outbox may still be answering the tool), then the tool's connector.
  await local.stop();
  connector.closeAllConnections();
  connector.close();
});

/** A personal-chat message as Microsoft 365 Agents Playground 0.2.28 sends it (no token). */
const activity = (serviceUrl: string, extra: Record<string, unknown> = {}) => ({
  type: "message",
  id: `m-${String(Math.random()).slice(2)}`,
  text: "予約",
  from: { id: "user-id-0", aadObjectId: "00000000-0000-0000-0000-0000000000020" },
  timestamp: new Date().toISOString(),
  serviceUrl,
  conversation: {
    conversationType: "personal",
    tenantId: "00000000-0000-0000-0000-0000000000001",
    id: "53b079ea-5dba-4a77-b922-eb45d7fb6607",
  },
  recipient: { id: "00000000-0000-0000-0000-00000000000011", name: "Test Bot" },
  locale: "ja-JP",
  channelId: "msteams",
  channelData: { tenant: { id: "00000000-0000-0000-0000-0000000000001" } },
  ...extra,
});

const post = (body: unknown) =>
  fetch(`${url}/api/messages`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

describe("local mode: activities without a token (Agents Playground, Emulator)", () => {
  it("no Authorization header from loopback → 200, the card answered at the activity's serviceUrl", async () => {
    const before = received.length;
    const res = await post(activity(connectorUrl));
    expect(res.status).toBe(200);
    const replies = received.slice(before);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.path).toMatch(
      /^\/_connector\/v3\/conversations\/53b079ea-5dba-4a77-b922-eb45d7fb6607\/activities/,
    );
    const attachments = replies[0]?.body.attachments as { contentType: string }[];
    expect(attachments[0]?.contentType).toBe("application/vnd.microsoft.card.adaptive");
    // The person is the local tenant's, whatever mock tenant the tool sent.
    const kept = await db.kysely.selectFrom("conversations").select(["tenant_id"]).execute();
    expect(kept.map((r) => r.tenant_id)).toEqual([PLAYGROUND_TENANT]);
  });

  it("the Emulator's activity (no tenant, no aadObjectId) is the local tenant's person", async () => {
    const before = received.length;
    const res = await post(
      activity(connectorUrl, {
        channelId: "emulator",
        from: { id: "5f3a9c1e-emulator-user", name: "User" },
        conversation: { id: "emulator-conversation-1" },
        channelData: {},
      }),
    );
    expect(res.status).toBe(200);
    expect(received.slice(before)[0]?.path).toMatch(
      /^\/_connector\/v3\/conversations\/emulator-conversation-1\/activities/,
    );
  });

  it("a serviceUrl that is not loopback is refused: 400 with a stable code, nothing sent, logged", async () => {
    const before = received.length;
    const logged = logger.lines.length;
    for (const serviceUrl of [
      "https://smba.trafficmanager.net/jp/",
      "http://10.0.0.5:56150/_connector",
      "http://localhost.attacker.example/_connector",
      "file:///etc/passwd",
    ]) {
      const res = await post(activity(serviceUrl));
      expect(res.status).toBe(400);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("SERVICE_URL_NOT_LOOPBACK");
      expect(body.error.message).toMatch(/ループバック.*loopback/);
    }
    expect(received.length).toBe(before);
    expect(
      logger.lines
        .slice(logged)
        .filter((l) => l.event === "teams.unsigned_refused" && l.level === "warn"),
    ).toHaveLength(4);
  });

  it("a request that carries a token is still verified: a forged one is 401", async () => {
    const res = await fetch(`${url}/api/messages`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Bearer forged.token.value" },
      body: JSON.stringify(activity(connectorUrl)),
    });
    expect(res.status).toBe(401);
  });

  it("the start and end JSON the playground shows for Agents Playground's Mock an Activity start and end the meeting", async () => {
    const send = (action: { verb: string; data: Record<string, unknown> }) =>
      fetch(`${url}/playground/send`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ persona: "organizer", action }),
      }).then((r) => r.text());
    const tier = await send({
      verb: "schedule.submit",
      data: {
        title: "模擬アクティビティの会議",
        date: "2026-12-11",
        time: "09:00",
        service: "teams",
      },
    });
    const meetingId = /"requestId":"([^"]+)"/.exec(tier)?.[1] ?? "";
    await send({ verb: "tier.submit", data: { requestId: meetingId, tier: "III" } });
    await send({ verb: "meeting.confirm", data: { requestId: meetingId } });
    type Listed = { key: string; title: string; state: string | null };
    const meetingState = async () => {
      const res = await fetch(`${url}/playground/meetings`);
      const list = ((await res.json()) as { meetings: Listed[] }).meetings;
      return list.find((m) => m.title === "模擬アクティビティの会議");
    };
    let meeting: Listed | undefined;
    for (let i = 0; i < 100 && meeting?.state !== "scheduled"; i++) {
      meeting = await meetingState();
      await new Promise((r) => setTimeout(r, 50));
    }
    const mock = (await (
      await fetch(
        `${url}/playground/mock-activity?meeting=${encodeURIComponent(meeting?.key ?? "")}`,
      )
    ).json()) as { start: Record<string, unknown>; end: Record<string, unknown> };
    // The custom-activity template of Agents Playground, with the pasted fields over it.
    expect(
      (await post({ ...activity(connectorUrl), ...mock.start, id: "mock-start" })).status,
    ).toBe(200);
    expect((await meetingState())?.state).toBe("in-progress");
    expect((await post({ ...activity(connectorUrl), ...mock.end, id: "mock-end" })).status).toBe(
      200,
    );
    // Ended; the after-meeting checks open at once (a timer due now).
    expect(["ended", "cleanup-pending"]).toContain((await meetingState())?.state);
  });
});
