import { describe, expect, it } from "vitest";
import { preset, verdictFor } from "../_util.js";

const musashino = () => preset("musashino");

describe("Musashino guideline (MWG)", () => {
  it.each(["teams", "zoom-gov", "zoom", "google-meet"])(
    "MWG 5(2)1: a city-hosted meeting on %s is refused (Webex is the standard tool)",
    (service) => {
      const verdict = verdictFor(musashino(), { tier: "III", service });
      expect(verdict.allowed).toBe(false);
      expect(verdict.refusals.map((r) => [r.code, r.cite])).toContainEqual([
        "service-not-standard-tool",
        "MWG 5(2)1",
      ]);
    },
  );

  it("MWG 5(2)1 binds meetings the city hosts only: joining an external Teams meeting is not refused for it", () => {
    const verdict = verdictFor(musashino(), {
      tier: "II",
      service: "teams",
      externalHost: true,
      participants: 4,
    });
    expect(verdict.refusals).toEqual([]);
    expect(verdict.approvals.map((a) => a.kind)).toEqual(["external-host"]);
  });

  it("MWG 5(2)7: all participants must consent, and only the organizer records", () => {
    const verdict = verdictFor(musashino(), { tier: "II", service: "webex", recording: true });
    expect(verdict.consentMode).toMatchObject({ value: "all-participants", cite: "MWG 5(2)7" });
    expect(verdict.recordingByOrganizerOnly).toMatchObject({ value: true, cite: "MWG 5(2)7" });
  });

  it("KWS 4(3)エ: Kawasaki asks for consent or notice and does not restrict who records", () => {
    const verdict = verdictFor(preset("kawasaki"), {
      tier: "II",
      service: "webex",
      recording: true,
    });
    expect(verdict.consentMode).toMatchObject({ value: "consent-or-notice", cite: "KWS 4(3)エ" });
    expect(verdict.recordingByOrganizerOnly.value).toBe(false);
  });

  it.each(["I", "II", "III"] as const)(
    "MWG 8(3), 5(2)4: tier %s gets the identity check at start and the lobby",
    (tier) => {
      const verdict = verdictFor(musashino(), { tier, service: "webex" });
      expect(verdict.settings.identityCheck).toMatchObject({ value: true, cite: "MWG 8(3)" });
      expect(verdict.settings.lobby.value).toEqual({ enabled: true, bypass: "invited" });
    },
  );

  it("MWG 8(1): materials saved on devices are deleted after every meeting", () => {
    const verdict = verdictFor(musashino(), { tier: "III", service: "webex" });
    expect(verdict.cleanup.map((c) => [c.id, c.cite])).toContainEqual([
      "device-materials",
      "MWG 8(1)",
    ]);
    expect(verdict.cleanup.map((c) => c.id)).not.toContain("device-logbook");
  });

  it("MWG 7(1),(2): a department device adds the logbook entry and disinfection", () => {
    const verdict = verdictFor(musashino(), {
      tier: "III",
      service: "webex",
      departmentDevice: true,
    });
    expect(verdict.cleanup.map((c) => [c.id, c.cite])).toEqual(
      expect.arrayContaining([
        ["device-logbook", "MWG 7(1)"],
        ["device-disinfection", "MWG 7(2)"],
      ]),
    );
  });

  it("MWG 5(5): participant guidance is part of the verdict", () => {
    const verdict = verdictFor(musashino(), { tier: "II", service: "webex" });
    expect(verdict.guidance.map((g) => g.cite)).toEqual(
      expect.arrayContaining(["MWG 5(5)", "KWS 5(1)"]),
    );
  });

  it("KWS 4(1), MWG 5(2)3: participants are told the tier and that join information stays with invitees", () => {
    const verdict = verdictFor(musashino(), { tier: "I", service: "webex" });
    expect(verdict.notice.map((n) => [n.code, n.cite])).toEqual([
      ["tier-notice", "KWS 4(1)"],
      ["join-information", "MWG 5(2)3"],
    ]);
    expect(verdict.notice[0]?.text.ja).toContain("機密性区分I");
  });
});
