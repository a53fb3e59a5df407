import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { layerPolicies } from "../../src/policy/load.js";
import { PolicyInvalidError } from "../../src/policy/problems.js";
import { serviceIds, citeSchema, type Policy, type PolicyLayer } from "../../src/policy/schema.js";
import { preset, verdictFor } from "../_util.js";
import type { Setting, Verdict } from "../../src/policy/verdict.js";

const planArb = fc.record({
  tier: fc.constantFrom("I", "II", "III", "unknown"),
  service: fc.oneof(
    fc.constantFrom(...serviceIds),
    fc.string({ minLength: 1, maxLength: 12 }).filter((s) => s.trim() !== ""),
  ),
  participants: fc.option(fc.integer({ min: 1, max: 300 }), { nil: undefined }),
  external: fc.boolean(),
  externalHost: fc.boolean(),
  personalInfo: fc.boolean(),
  recording: fc.boolean(),
  transcription: fc.boolean(),
  departmentDevice: fc.boolean(),
});

/** Every item a person could be shown, wherever it sits in the verdict. */
function shownItems(v: Verdict): { cite: string; text: { ja: string; en: string } }[] {
  return [
    ...v.refusals,
    ...v.warnings,
    ...v.approvals,
    ...(Object.values(v.settings) as Setting<unknown>[]),
    v.consentMode,
    v.recordingByOrganizerOnly,
    ...v.cleanup,
    v.reminders,
    v.approvalReminders,
    ...v.guidance,
    ...v.notice,
  ];
}

describe("properties of every verdict", () => {
  it.each(["standard", "kawasaki", "musashino"] as const)(
    "no item lacks a citation or a language (%s)",
    (name) => {
      fc.assert(
        fc.property(planArb, (plan) => {
          const verdict = verdictFor(preset(name), plan);
          for (const item of shownItems(verdict)) {
            expect(citeSchema.safeParse(item.cite).success).toBe(true);
            expect(item.text.ja.length).toBeGreaterThan(0);
            expect(item.text.en.length).toBeGreaterThan(0);
          }
          expect(verdict.allowed).toBe(verdict.refusals.length === 0);
        }),
        { numRuns: 300 },
      );
    },
  );
});

const tierArb = fc.constantFrom<"I" | "II" | "III">("I", "II", "III");
const layerArb: fc.Arbitrary<PolicyLayer> = fc.record(
  {
    tiers: fc.dictionary(
      tierArb,
      fc.record(
        {
          allowedServices: fc.subarray([...serviceIds]),
          e2e: fc.constantFrom("desirable", "required-in-principle", "required"),
          lobby: fc.record(
            {
              enabled: fc.boolean(),
              bypass: fc.constantFrom("organizer", "invited", "organization", "everyone"),
            },
            { requiredKeys: [] },
          ),
          requires: fc.record(
            { ismap: fc.boolean(), japanRegion: fc.boolean() },
            { requiredKeys: [] },
          ),
        },
        { requiredKeys: [] },
      ),
    ),
    fileTransfer: fc.record({ allowed: fc.boolean() }),
    recording: fc.record(
      {
        consentMode: fc.record({ value: fc.constantFrom("all-participants", "consent-or-notice") }),
        autoRecord: fc.record({ value: fc.boolean() }),
        organizerOnly: fc.record({ value: fc.boolean() }),
      },
      { requiredKeys: [] },
    ),
    approvals: fc.record(
      {
        externalParticipants: fc.record({ required: fc.boolean() }),
        personalInformation: fc.record({ required: fc.boolean() }),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);

const rank = (order: readonly unknown[], value: unknown) => order.indexOf(value);

/** The base allows at least everything the derived policy allows, field by narrow-only field. */
function expectNarrower(base: Policy, derived: Policy): void {
  for (const tier of ["I", "II", "III"] as const) {
    const [b, d] = [base.tiers[tier], derived.tiers[tier]];
    expect(d.allowedServices.every((s) => b.allowedServices.includes(s))).toBe(true);
    const e2e = ["desirable", "required-in-principle", "required"];
    expect(rank(e2e, d.e2e)).toBeGreaterThanOrEqual(rank(e2e, b.e2e));
    expect(Number(d.lobby.enabled)).toBeGreaterThanOrEqual(Number(b.lobby.enabled));
    const bypass = ["everyone", "organization", "invited", "organizer"];
    expect(rank(bypass, d.lobby.bypass)).toBeGreaterThanOrEqual(rank(bypass, b.lobby.bypass));
    expect(Number(d.requires.ismap)).toBeGreaterThanOrEqual(Number(b.requires.ismap));
  }
  expect(Number(d(derived).fileTransfer)).toBeLessThanOrEqual(Number(d(base).fileTransfer));
  expect(Number(derived.recording.autoRecord.value)).toBeLessThanOrEqual(
    Number(base.recording.autoRecord.value),
  );
  expect(Number(derived.recording.organizerOnly.value)).toBeGreaterThanOrEqual(
    Number(base.recording.organizerOnly.value),
  );
  const consent = ["consent-or-notice", "all-participants"];
  expect(rank(consent, derived.recording.consentMode.value)).toBeGreaterThanOrEqual(
    rank(consent, base.recording.consentMode.value),
  );
  for (const key of ["externalParticipants", "personalInformation"] as const) {
    expect(Number(derived.approvals[key].required)).toBeGreaterThanOrEqual(
      Number(base.approvals[key].required),
    );
  }
}
const d = (p: Policy) => ({ fileTransfer: p.fileTransfer.allowed });

describe("a layer can only narrow what the standard allows where the schema says so", () => {
  it.each(["standard", "musashino"] as const)(
    "any layer over %s is either refused or narrower",
    (name) => {
      const base = preset(name);
      fc.assert(
        fc.property(layerArb, (layer) => {
          let derived: Policy;
          try {
            derived = layerPolicies([
              { name, file: name, data: base },
              { name: "random", file: "random.yaml", data: layer },
            ]).policy;
          } catch (error) {
            expect(error).toBeInstanceOf(PolicyInvalidError);
            expect((error as PolicyInvalidError).problems.length).toBeGreaterThan(0);
            return;
          }
          expectNarrower(base, derived);
        }),
        { numRuns: 400 },
      );
    },
  );

  it("a layer that only narrows is always accepted", () => {
    const base = preset("standard");
    fc.assert(
      fc.property(tierArb, fc.func(fc.boolean()), (tier, keep) => {
        const allowed = base.tiers[tier].allowedServices.filter((s) => keep(s));
        const layer: PolicyLayer = {
          tiers: { [tier]: { allowedServices: allowed } },
          recording: { consentMode: { value: "all-participants" } },
        };
        const { policy } = layerPolicies([
          { name: "standard", file: "standard", data: base },
          { name: "narrow", file: "narrow.yaml", data: layer },
        ]);
        expect(policy.tiers[tier].allowedServices).toEqual(allowed);
      }),
    );
  });
});
