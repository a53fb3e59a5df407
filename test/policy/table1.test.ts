import { describe, expect, it } from "vitest";
import { codes, preset, verdictFor } from "../_util.js";

/**
 * KWS 2(2) 表1, transcribed from the document (not from our policy file): which services may be
 * used for which tier. Tier III: "(1) 機密性区分 I 又は II で利用できる Web 会議サービス (2) Google meet など".
 */
const table1: Record<"I" | "II" | "III", Record<string, boolean>> = {
  I: { webex: true, "zoom-gov": true, teams: true, zoom: false, "google-meet": false },
  II: { webex: true, "zoom-gov": true, teams: true, zoom: true, "google-meet": false },
  III: { webex: true, "zoom-gov": true, teams: true, zoom: true, "google-meet": true },
};

const rows = Object.entries(table1).flatMap(([tier, services]) =>
  Object.entries(services).map(([service, allowed]) => ({
    tier: tier as "I" | "II" | "III",
    service,
    allowed,
  })),
);

describe.each(["standard", "kawasaki"] as const)("KWS 2(2) 表1 with the %s preset", (name) => {
  it.each(rows)("tier $tier on $service → allowed: $allowed", ({ tier, service, allowed }) => {
    // Two participants, no recording: nothing but the table decides.
    const verdict = verdictFor(preset(name), { tier, service, participants: 2 });
    expect(verdict.allowed).toBe(allowed);
    if (!allowed) {
      expect(verdict.refusals.find((r) => r.code === "service-not-allowed-for-tier")?.cite).toBe(
        "KWS 2(2) 表1",
      );
    }
  });

  it.each(["slack", "skype", "zoom-web", "LINE"])(
    "a service outside the table (%s) is refused with the KWS 2(2) advice",
    (service) => {
      const verdict = verdictFor(preset(name), { tier: "III", service });
      expect(verdict.allowed).toBe(false);
      expect(codes(verdict.refusals)).toEqual(["service-unknown"]);
      expect(verdict.refusals[0]?.cite).toBe("KWS 2(2)");
      expect(verdict.refusals[0]?.text.ja).toContain("総務企画局デジタル化施策推進室に相談");
    },
  );

  it("tier I needs ISMAP and Japan-region servers: Zoom (neither) gets both refusals", () => {
    const verdict = verdictFor(preset(name), { tier: "I", service: "zoom" });
    expect(codes(verdict.refusals)).toEqual(
      expect.arrayContaining(["ismap-required", "japan-region-required"]),
    );
  });

  it("tier I and II switch E2E on where the service has it (Webex)", () => {
    for (const tier of ["I", "II"] as const) {
      const verdict = verdictFor(preset(name), { tier, service: "webex", participants: 8 });
      expect(verdict.settings.e2e.value).toBe(true);
      expect(verdict.warnings).toEqual([]);
    }
  });

  it("tier III only wishes for E2E: Google Meet, which has none, is allowed with a warning (KWS 4(2))", () => {
    const verdict = verdictFor(preset(name), { tier: "III", service: "google-meet" });
    expect(verdict.allowed).toBe(true);
    expect(verdict.settings.e2e.value).toBe(false);
    expect(verdict.warnings.map((w) => [w.code, w.cite])).toContainEqual([
      "e2e-unavailable-desirable",
      "KWS 4(2)",
    ]);
  });
});
