import { describe, expect, it } from "vitest";
import { preset, verdictFor } from "../_util.js";

const kawasaki = () => preset("kawasaki");

describe("KWS 3 ※3: Teams E2E only for one-to-one calls", () => {
  it("a 1:1 tier I Teams call gets E2E on and no warning", () => {
    const verdict = verdictFor(kawasaki(), { tier: "I", service: "teams", participants: 2 });
    expect(verdict.settings.e2e.value).toBe(true);
    expect(verdict.warnings).toEqual([]);
  });

  it.each([
    ["I", 3],
    ["II", 12],
    ["I", undefined],
  ] as const)(
    "tier %s with %s participants: allowed under the KWS 4(2) exception, never silently",
    (tier, participants) => {
      const verdict = verdictFor(kawasaki(), { tier, service: "teams", participants });
      expect(verdict.allowed).toBe(true);
      expect(verdict.settings.e2e.value).toBe(false);
      const warning = verdict.warnings.find((w) => w.code === "teams-e2e-one-to-one");
      expect(warning?.cite).toBe("KWS 3 ※3");
      expect(warning?.text.ja).toContain("KWS 4(2)");
      expect(warning?.text.ja).toContain("Teams Premium");
      expect(warning?.text.en).toContain("Teams Premium");
    },
  );
});

describe("KWS 4(2): recording and transcription turn E2E off", () => {
  it.each(["webex", "zoom-gov"])(
    "tier I %s with recording: allowed (ISMAP + Japan region), E2E off, warned",
    (service) => {
      const verdict = verdictFor(kawasaki(), {
        tier: "I",
        service,
        participants: 5,
        recording: true,
      });
      expect(verdict.allowed).toBe(true);
      expect(verdict.settings.e2e.value).toBe(false);
      expect(verdict.warnings.map((w) => [w.code, w.cite])).toContainEqual([
        "e2e-off-for-recording",
        "KWS 4(2)",
      ]);
    },
  );

  it("tier II Zoom with transcription: refused (no ISMAP, no Japan region, and recording 不可)", () => {
    const verdict = verdictFor(kawasaki(), { tier: "II", service: "zoom", transcription: true });
    expect(verdict.allowed).toBe(false);
    expect(verdict.refusals.map((r) => r.code)).toEqual(["e2e-required", "recording-not-allowed"]);
  });

  it("tier II Zoom without recording: allowed with E2E on (表1: E2E を有効化すること)", () => {
    const verdict = verdictFor(kawasaki(), { tier: "II", service: "zoom", participants: 6 });
    expect(verdict.allowed).toBe(true);
    expect(verdict.settings.e2e.value).toBe(true);
  });
});
