import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { onTestFinished } from "vitest";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FixedClock } from "../src/clock.js";
import { evaluate } from "../src/policy/evaluate.js";
import { loadPolicy } from "../src/policy/load.js";
import { meetingPlanSchema, type MeetingPlanInput } from "../src/policy/plan.js";
import type { Policy } from "../src/policy/schema.js";
import type { Verdict } from "../src/policy/verdict.js";

const cache = new Map<string, Policy>();

/** A shipped preset, loaded once per test file. */
export function preset(name: "standard" | "kawasaki" | "musashino"): Policy {
  const cached = cache.get(name);
  if (cached) return cached;
  const { policy } = loadPolicy(name);
  cache.set(name, policy);
  return policy;
}

export function verdictFor(policy: Policy, plan: MeetingPlanInput): Verdict {
  return evaluate(meetingPlanSchema.parse(plan), policy);
}

export const codes = (items: readonly { code: string }[]) => items.map((i) => i.code);

/** A fresh temporary folder with the given files written into it, removed when the test ends. */
export function tempFiles(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "kaigi-guard-test-"));
  onTestFinished(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return dir;
}

export const testClock = () => new FixedClock("2026-12-01T01:00:00.000Z");

/** A governor draft input with an ordinary internal plan (tests vary what they need). */
export function draftInput(title: string, service = "teams") {
  return {
    type: "draft" as const,
    title,
    startsAt: "2026-12-01T01:00:00.000Z",
    endsAt: "2026-12-01T02:00:00.000Z",
    plan: {
      service,
      participants: 3,
      external: false,
      externalHost: false,
      personalInfo: false,
      recording: false,
      transcription: false,
      departmentDevice: false,
    },
  };
}
