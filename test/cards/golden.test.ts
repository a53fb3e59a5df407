import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { renderForExecute, renderForSubmit } from "../../src/cards/render.js";
import { samples } from "./_samples.js";

/**
 * The golden test: every card, in both languages, as Teams and Webex receive it, compared with
 * the JSON recorded in test/cards/golden/ before the cards moved into templates (cards/). A
 * change of text, clause, verb or layout shows here as a diff. To record a deliberate change:
 * `KAIGI_WRITE_GOLDEN=1 npx vitest run test/cards/golden.test.ts`, then review the diff.
 */
const dir = path.join(import.meta.dirname, "golden");
const write = process.env.KAIGI_WRITE_GOLDEN === "1";

const rendered = (name: string) => {
  const sample = samples[name];
  if (!sample) throw new Error(name);
  return Object.fromEntries(
    (["ja", "en"] as const).map((lang) => {
      const card = sample(lang);
      const refreshFor = card.refresh ? ["29:participant"] : [];
      return [
        lang,
        { teams: renderForExecute(card, refreshFor), webex: renderForSubmit(card, lang) },
      ];
    }),
  );
};

describe("every card reads as recorded (golden JSON)", () => {
  it("has a recording for every sample and a sample for every recording", () => {
    if (write) return;
    const recorded = fs.readdirSync(dir).map((f) => f.replace(/\.json$/, ""));
    expect(recorded.sort()).toEqual(Object.keys(samples).sort());
  });

  for (const name of Object.keys(samples))
    it(name, () => {
      const file = path.join(dir, `${name}.json`);
      // Through JSON, as a channel sends it (undefined fields drop out).
      const actual: unknown = JSON.parse(JSON.stringify(rendered(name)));
      if (write) {
        fs.mkdirSync(dir, { recursive: true });
        fs.writeFileSync(file, `${JSON.stringify(actual, null, 2)}\n`);
        return;
      }
      expect(actual).toEqual(JSON.parse(fs.readFileSync(file, "utf8")));
    });
});
