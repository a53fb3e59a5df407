import fs from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import addFormats from "ajv-formats";
import { describe, expect, it } from "vitest";
import type { NeutralCard } from "../../src/cards/card.js";
import { renderForExecute, renderForSubmit } from "../../src/cards/render.js";
import { fromTemplate, loadedTemplates } from "../../src/cards/template.js";
import { samples } from "./_samples.js";

/**
 * Every template in cards/, rendered with the sample data of test/cards/_samples.ts for both
 * channels and both languages, must be a card the channel accepts: Microsoft's own renderer
 * (`adaptivecards`, parsing for the channel's version, reports no validation event) and the
 * Adaptive Cards JSON schema of that version (test/fixtures/adaptive-cards) both take it.
 */
const require = createRequire(import.meta.url);
// The package's dist build: its lib/ build does not load under plain Node (broken ESM).
const AC = require("adaptivecards/dist/adaptivecards.js") as {
  AdaptiveCard: new () => { parse(json: unknown, context: unknown): void };
  SerializationContext: new (version: unknown) => {
    eventCount: number;
    getEventAt(i: number): { message: string };
  };
  Versions: Record<"v1_3" | "v1_4", unknown>;
};

const schemas = (() => {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats.default(ajv);
  ajv.addMetaSchema(require("ajv/dist/refs/json-schema-draft-06.json") as object);
  const compile = (file: string): ValidateFunction => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(import.meta.dirname, "../fixtures/adaptive-cards", file), "utf8"),
    ) as Record<string, unknown>;
    // Both publish the same id; each is compiled on its own.
    delete schema.id;
    return ajv.compile(schema);
  };
  return { "1.3": compile("schema-1.3.json"), "1.4": compile("schema-1.4.json") };
})();

/** What is wrong with `card` for a host of `version`; empty when nothing is. */
function problems(card: Record<string, unknown>, version: "1.3" | "1.4"): string[] {
  const found: string[] = [];
  if (card.version !== version) found.push(`version ${String(card.version)}, not ${version}`);
  const context = new AC.SerializationContext(
    version === "1.3" ? AC.Versions.v1_3 : AC.Versions.v1_4,
  );
  new AC.AdaptiveCard().parse(card, context);
  for (let i = 0; i < context.eventCount; i++)
    found.push(`renderer: ${context.getEventAt(i).message}`);
  const validate = schemas[version];
  if (!validate(card))
    found.push(
      ...(validate.errors ?? []).map(
        (e) => `schema: ${e.instancePath || "/"} ${String(e.message)}`,
      ),
    );
  // A binding left as it was written: data the template asked for and did not get.
  if (JSON.stringify(card).includes("${")) found.push("an unbound ${…} is left in the card");
  return found;
}

const templateFiles = fs
  .readdirSync(path.join(import.meta.dirname, "../../cards"))
  .filter((f) => f.endsWith(".json"))
  .map((f) => f.replace(/\.json$/, ""));

describe("card templates (cards/)", () => {
  for (const [name, sample] of Object.entries(samples))
    for (const lang of ["ja", "en"] as const)
      it(`${name} (${lang}): valid for Teams (1.4, Action.Execute) and Webex (1.3, Action.Submit)`, () => {
        const card = sample(lang);
        const teams = renderForExecute(card, card.refresh ? ["29:participant"] : []);
        const webex = renderForSubmit(card, lang);
        expect(problems(teams, "1.4")).toEqual([]);
        expect(problems(webex, "1.3")).toEqual([]);
      });

  it("every template is used by a card, and every card comes from a template", () => {
    for (const sample of Object.values(samples)) sample("ja");
    expect([...loadedTemplates()].sort()).toEqual(templateFiles.sort());
  });

  it("each template is a card the Adaptive Cards Designer opens: schema, type, version 1.4", () => {
    for (const name of templateFiles) {
      const json = JSON.parse(
        fs.readFileSync(path.join(import.meta.dirname, "../../cards", `${name}.json`), "utf8"),
      ) as Record<string, unknown>;
      expect(json, name).toMatchObject({
        $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
        type: "AdaptiveCard",
        version: "1.4",
      });
    }
  });

  it("a card Teams or Webex would reject is caught by the checks above", () => {
    const good = renderForSubmit(samples.help?.("ja") as NeutralCard, "ja");
    expect(problems(good, "1.3")).toEqual([]);
    // Action.Execute sent to Webex (1.3): both the renderer and the 1.3 schema refuse it.
    const teamsCard = renderForExecute(samples.help?.("ja") as NeutralCard);
    const asWebex = { ...teamsCard, version: "1.3" };
    expect(problems(asWebex, "1.3").some((p) => p.startsWith("renderer:"))).toBe(true);
    expect(problems(asWebex, "1.3").some((p) => p.startsWith("schema:"))).toBe(true);
    // A value the schema does not allow, and an element type nobody renders.
    const bad = {
      ...good,
      body: [{ type: "TextBlock", text: "x", weight: "Heavy" }, { type: "Foo" }],
    };
    const found = problems(bad, "1.3");
    expect(found).toContain('renderer: Invalid value "Heavy" for property "weight".');
    expect(found.some((p) => p.startsWith("schema:"))).toBe(true);
  });

  it("a binding the code forgot to fill is an error naming the template, not a card with ${…} in it", () => {
    expect(() => fromTemplate("notice", {}, { id: "notice", version: 1 })).toThrow(
      "card template notice: unbound message",
    );
  });

  it("text typed by a person is shown as typed, never read as a template", () => {
    const card = fromTemplate(
      "notice",
      { message: "${organizerId} ${$root} ${if(true,'a','b')}" },
      { id: "notice", version: 1 },
    );
    expect(card.body).toEqual([
      { type: "TextBlock", text: "${organizerId} ${$root} ${if(true,'a','b')}", wrap: true },
    ]);
  });
});
