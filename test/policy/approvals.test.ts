import { describe, expect, it } from "vitest";
import { preset, verdictFor } from "../_util.js";

const kinds = (v: { approvals: { kind: string; cite: string }[] }) =>
  v.approvals.map((a) => [a.kind, a.cite]);

describe.each(["kawasaki", "musashino"] as const)("approvals under the %s preset", (name) => {
  it("KSS 第9章2(5)イ: inviting external participants needs the 情報管理責任者", () => {
    const verdict = verdictFor(preset(name), { tier: "II", service: "webex", external: true });
    expect(kinds(verdict)).toEqual([["external-participants", "KSS 第9章2(5)イ"]]);
    expect(verdict.approvals[0]?.approver.ja).toBe("情報管理責任者");
  });

  it("KSS 第9章2(5)イ: joining a meeting hosted outside the city needs the same permission", () => {
    const verdict = verdictFor(preset(name), { tier: "II", service: "webex", externalHost: true });
    expect(kinds(verdict)).toEqual([["external-host", "KSS 第9章2(5)イ"]]);
  });

  it("KSS 第3章2 なお書き: an unknown tier goes to the 情報管理責任者 and is treated as tier I meanwhile", () => {
    const verdict = verdictFor(preset(name), { tier: "unknown", service: "webex" });
    expect(kinds(verdict)).toEqual([["tier-decision", "KSS 第3章2"]]);
    expect(verdict.effectiveTier).toBe("I");
    expect(verdict.warnings.map((w) => w.code)).toContain("tier-provisional");
  });

  it("an unknown tier on a service tier I forbids is refused until the tier is decided", () => {
    const verdict = verdictFor(preset(name), {
      tier: "unknown",
      service: "google-meet",
      externalHost: true,
    });
    expect(verdict.allowed).toBe(false);
    expect(verdict.refusals.map((r) => r.code)).toContain("service-not-allowed-for-tier");
  });

  it("no approvals for an internal tier II meeting", () => {
    expect(verdictFor(preset(name), { tier: "II", service: "webex" }).approvals).toEqual([]);
  });
});

describe("MWG 5(1): personal information needs prior consultation with 情報公開担当", () => {
  it("Musashino requires it", () => {
    const verdict = verdictFor(preset("musashino"), {
      tier: "I",
      service: "webex",
      personalInfo: true,
    });
    expect(kinds(verdict)).toEqual([["personal-information-consultation", "MWG 5(1)"]]);
    expect(verdict.approvals[0]?.approver.ja).toBe("情報公開担当");
  });

  it("Kawasaki's documents do not, so its preset asks for none", () => {
    const verdict = verdictFor(preset("kawasaki"), {
      tier: "I",
      service: "webex",
      personalInfo: true,
    });
    expect(verdict.approvals).toEqual([]);
  });

  it("personal information marked tier II or III is questioned (KSS 第3章2(1): an example of tier I)", () => {
    const verdict = verdictFor(preset("kawasaki"), {
      tier: "III",
      service: "webex",
      personalInfo: true,
    });
    expect(verdict.warnings.map((w) => [w.code, w.cite])).toContainEqual([
      "personal-info-tier",
      "KSS 第3章2(1)",
    ]);
  });
});
