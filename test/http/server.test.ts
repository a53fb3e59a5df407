import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppServer } from "../../src/http/server.js";
import { loadPolicy } from "../../src/policy/load.js";
import { memoryLogger } from "../../src/logger.js";

const server = createAppServer({ policy: loadPolicy("kawasaki"), logger: memoryLogger() });
let base = "";

beforeAll(async () => {
  await new Promise<void>((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      resolve();
    });
  });
  base = `http://127.0.0.1:${server.address().port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => {
    server.close(() => {
      resolve();
    });
  });
});

const post = (path: string, body: string) =>
  fetch(base + path, { method: "POST", body, headers: { "content-type": "application/json" } });

describe("HTTP: policy check over a real server", () => {
  it("GET /healthz", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
  });

  it("POST /api/policy/check returns the verdict", async () => {
    const res = await post("/api/policy/check", JSON.stringify({ tier: "I", service: "zoom" }));
    expect(res.status).toBe(200);
    const verdict = (await res.json()) as { allowed: boolean; refusals: { cite: string }[] };
    expect(verdict.allowed).toBe(false);
    expect(verdict.refusals[0]?.cite).toBe("KWS 2(2) 表1");
  });

  it.each([
    ["not json", 400, "BAD_ARGUMENT"],
    [JSON.stringify({ tier: "V", service: "webex" }), 400, "BAD_ARGUMENT"],
    [JSON.stringify({ tier: "I", service: "webex", admin: true }), 400, "BAD_ARGUMENT"],
    ["x".repeat(300 * 1024), 413, "BAD_ARGUMENT"],
  ])("bad input gets a stable code and no stack (%#)", async (body, status, code) => {
    const res = await post("/api/policy/check", body);
    expect(res.status).toBe(status);
    const text = await res.text();
    expect(JSON.parse(text)).toMatchObject({ error: { code } });
    expect(text).not.toMatch(/\bat .+\.ts:\d+/);
  });

  it("unknown routes are 404", async () => {
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });
});
