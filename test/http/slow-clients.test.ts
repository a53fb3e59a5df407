import { connect, type Socket } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../src/logger.js";
import { listeningApp } from "../_app.js";

const LIMITS = { headersMs: 1_000, requestMs: 2_000, idleMs: 800 };
let port = 0;
const logger = memoryLogger();

let close: () => Promise<void> = () => Promise.resolve();

beforeAll(async () => {
  let url: string;
  ({ url, close } = await listeningApp({ logger, clientTimeouts: LIMITS }));
  port = Number(new URL(url).port);
});

afterAll(() => close());

/** A raw connection: what it received, and when (ms after opening) the server closed it. */
function open(): { socket: Socket; received: () => string; closed: Promise<number> } {
  const started = Date.now();
  const socket = connect(port, "127.0.0.1");
  let data = "";
  socket.on("data", (chunk: Buffer) => (data += chunk.toString("latin1")));
  socket.on("error", () => undefined);
  const closed = new Promise<number>((resolve) => {
    socket.on("close", () => {
      resolve(Date.now() - started);
    });
  });
  return { socket, received: () => data, closed };
}

/** Writes `parts` one by one, `everyMs` apart, while the socket is open. */
async function trickle(socket: Socket, parts: string[], everyMs: number) {
  for (const part of parts) {
    if (socket.destroyed) return;
    socket.write(part);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

describe("slow clients are cut off and do not hold up others (slowloris, slow bodies, silence)", () => {
  it("a client that never finishes its request head is closed after the head timeout; others are answered meanwhile", async () => {
    const slow = Array.from({ length: 40 }, () => open());
    for (const c of slow) c.socket.write("GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    // Each keeps sending one more header line, under the idle limit: only the head timeout stops it.
    const feeding = slow.map((c) =>
      trickle(
        c.socket,
        Array.from({ length: 20 }, (_, i) => `X-Slow-${String(i)}: 1\r\n`),
        300,
      ),
    );
    const res = await fetch(`http://127.0.0.1:${String(port)}/healthz`);
    expect(res.status).toBe(200);
    // Answered while all forty still held their connections: they do not hold others up.
    expect(slow.every((c) => !c.socket.destroyed)).toBe(true);
    const closedAfter = await Promise.all(slow.map((c) => c.closed));
    await Promise.all(feeding);
    // Closed once the head took longer than 1 s (checked every 250 ms), long before it finished
    // (20 lines × 300 ms = 6 s), and never handled: no 200 went back.
    for (const ms of closedAfter) expect(ms).toBeLessThan(3_000);
    for (const c of slow) expect(c.received()).not.toContain("200 OK");
  });

  it("a body sent a few bytes at a time is cut off at the request timeout; nothing is evaluated", async () => {
    const c = open();
    const body = JSON.stringify({ service: "teams" }).padEnd(200, " ");
    c.socket.write(
      `POST /api/policy/check HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${String(body.length)}\r\n\r\n`,
    );
    void trickle(c.socket, body.match(/.{1,5}/g) ?? [], 300);
    const ms = await c.closed;
    expect(ms).toBeLessThan(4_000);
    expect(c.received()).not.toContain("200 OK");
    expect(c.received()).not.toContain("BAD_ARGUMENT");
  });

  it("a connection that says nothing is closed after the idle timeout", async () => {
    const c = open();
    const ms = await c.closed;
    expect(ms).toBeGreaterThanOrEqual(700);
    expect(ms).toBeLessThan(2_500);
  });

  it("nothing was logged as an internal error", () => {
    expect(logger.lines.filter((e) => e.level === "error")).toEqual([]);
  });
});
