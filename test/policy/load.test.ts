import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/policy/load.js";
import { PolicyInvalidError } from "../../src/policy/problems.js";
import { tempFiles } from "../_util.js";

function problemsOf(ref: string, cwd: string) {
  try {
    loadPolicy(ref, cwd);
  } catch (error) {
    if (error instanceof PolicyInvalidError) return error.problems.map((p) => [p.path, p.message]);
    throw error;
  }
  throw new Error("expected the policy to be refused");
}

describe("loading and layering policies (R-TEN 2)", () => {
  it("layers standard → prefecture → municipality, later layers overriding", () => {
    const dir = tempFiles({
      "pref.yaml":
        "id: pref\nlevel: prefecture\nextends: standard\nreminders:\n  everyMinutes: 720\n",
      "city.yaml":
        "id: city\nlevel: municipality\nextends: ./pref.yaml\nname: { ja: 市, en: City }\ntiers:\n  II:\n    allowedServices: [webex, teams]\n",
    });
    const { policy, layers } = loadPolicy("city.yaml", dir);
    expect(layers).toEqual(["standard", "pref", "city"]);
    expect(policy.reminders.everyMinutes).toBe(720);
    expect(policy.reminders.escalateAfter).toBe(3);
    expect(policy.tiers.II.allowedServices).toEqual(["webex", "teams"]);
    expect(policy.name.en).toBe("City");
    expect(Object.isFrozen(policy.tiers.II)).toBe(true);
  });

  it("an unquoted flow mapping whose English text has a comma is refused, not silently cut at the comma", () => {
    const dir = tempFiles({
      "city.yaml":
        "id: city\nextends: standard\nname: { ja: 市, en: Move recordings, audio and chat data }\n",
    });
    const problems = problemsOf("city.yaml", dir);
    expect(problems.map(([path]) => path)).toContain("name");
  });

  it("every shipped text is whole: no English sentence cut at a comma (YAML flow-mapping trap)", () => {
    for (const name of ["standard", "kawasaki", "musashino"]) {
      const texts = JSON.stringify(loadPolicy(name).policy).match(/"en":"[^"]*"/g) ?? [];
      expect(texts.length).toBeGreaterThan(40);
      for (const t of texts) expect(t).not.toMatch(/,"$/);
    }
  });

  it("reads JSON as well as YAML", () => {
    const dir = tempFiles({ "city.json": JSON.stringify({ id: "city", extends: "kawasaki" }) });
    expect(loadPolicy("city.json", dir).layers).toEqual(["standard", "kawasaki", "city"]);
  });

  it("wrong types are named by their path", () => {
    const dir = tempFiles({
      "bad.yaml":
        'extends: standard\nservices:\n  teams:\n    e2e: sometimes\ntiers:\n  I:\n    lobby:\n      enabled: "yes"\n',
    });
    expect(problemsOf("bad.yaml", dir)).toEqual([
      ["services.teams.e2e", 'expected one of "yes", "no", "one-to-one"'],
      ["tiers.I.lobby.enabled", expect.stringContaining("expected boolean")],
    ]);
  });

  it("an unknown service is named with the list of known ones", () => {
    const dir = tempFiles({
      "bad.yaml": "extends: standard\nservices:\n  skype:\n    ismap: true\n",
    });
    expect(problemsOf("bad.yaml", dir)).toEqual([
      [
        "services",
        'unknown service "skype": expected one of webex, zoom-gov, zoom, teams, google-meet',
      ],
    ]);
  });

  it("an unknown service in a tier's list is named by its index", () => {
    const dir = tempFiles({
      "bad.yaml": "extends: standard\ntiers:\n  I:\n    allowedServices: [webex, skype]\n",
    });
    expect(problemsOf("bad.yaml", dir)[0]?.[0]).toBe("tiers.I.allowedServices.1");
  });

  it("a standalone file missing a tier says which", () => {
    const dir = tempFiles({ "alone.yaml": "id: alone\nlevel: standard\n" });
    const problems = problemsOf("alone.yaml", dir);
    expect(problems).toContainEqual(["tiers", "required, missing (expected object)"]);
  });

  it("a file missing one tier among others names that tier", () => {
    const dir = tempFiles({ "partial.yaml": "extends: standard\n" });
    const { policy } = loadPolicy("partial.yaml", dir);
    expect(policy.tiers.III).toBeDefined();
  });

  it("unreadable YAML is one clear problem, not a stack trace", () => {
    const dir = tempFiles({ "broken.yaml": "tiers: [unclosed\n" });
    const problems = problemsOf("broken.yaml", dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.[1]).toMatch(/^cannot be read as YAML\/JSON/);
  });

  it("an extends cycle is refused", () => {
    const dir = tempFiles({ "a.yaml": "extends: ./b.yaml\n", "b.yaml": "extends: ./a.yaml\n" });
    expect(problemsOf("a.yaml", dir)[0]?.[0]).toBe("extends");
  });

  it("a layer that widens a narrow-only list is refused, naming the field", () => {
    const dir = tempFiles({
      "wide.yaml":
        "extends: kawasaki\ntiers:\n  I:\n    allowedServices: [webex, teams, zoom]\nfileTransfer:\n  allowed: true\n",
    });
    expect(problemsOf("wide.yaml", dir).map(([path]) => path)).toEqual([
      "tiers.I.allowedServices",
      "fileTransfer.allowed",
    ]);
  });

  it("layers extend the cleanup checklist by id, they cannot drop an item", () => {
    const dir = tempFiles({
      "city.yaml":
        "extends: kawasaki\ncleanup:\n  - { id: extra, when: always, verifiedBy: organizer, cite: LOCAL 1, text: { ja: 追加, en: Extra } }\n",
    });
    const ids = loadPolicy("city.yaml", dir).policy.cleanup.map((c) => c.id);
    expect(ids).toEqual(["cloud-data", "chat-data", "device-logbook", "device-storage", "extra"]);
  });

  it("an unknown preset or missing file is POLICY_NOT_FOUND", () => {
    expect(() => loadPolicy("no-such-policy.yaml", tempFiles({}))).toThrow(
      expect.objectContaining({ code: "POLICY_NOT_FOUND" }),
    );
  });
});
