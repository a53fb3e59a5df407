import { expect, it } from "vitest";
import { jsonLogger } from "../src/logger.js";

const capture = (level?: string) => {
  const lines: Record<string, unknown>[] = [];
  const logger = jsonLogger(
    (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
    level,
  );
  return { logger, lines };
};

it("writes one JSON line per event: ISO time, level by name, event, fields", () => {
  const { logger, lines } = capture();
  logger.info("admin.login", { tenant: "city-a" });
  logger.error("store.worker_failed", { error: "TypeError" });
  expect(lines).toHaveLength(2);
  expect(lines[0]).toEqual({
    time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
    level: "info",
    event: "admin.login",
    tenant: "city-a",
  });
  expect(lines[1]).toMatchObject({ level: "error", event: "store.worker_failed" });
});

it("LOG_LEVEL sets the threshold", () => {
  const { logger, lines } = capture("warn");
  logger.info("quiet");
  logger.warn("heard");
  expect(lines.map((l) => l.event)).toEqual(["heard"]);
});

it("personal data and credentials passed by mistake are censored", () => {
  const { logger, lines } = capture();
  logger.info("oops", {
    email: "hanako@city.example.lg.jp",
    name: "山田 花子",
    authorization: "Bearer abc",
    person: { displayName: "山田 花子", token: "t" },
    tenant: "city-a",
  });
  const text = JSON.stringify(lines);
  expect(text).not.toContain("hanako");
  expect(text).not.toContain("山田");
  expect(text).not.toContain("Bearer");
  expect(lines[0]?.tenant).toBe("city-a");
});
