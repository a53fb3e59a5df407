import { readFileSync } from "node:fs";
import { join } from "node:path";
// The engine's own module: the package's index also re-exports typings that point into
// adaptivecards' TypeScript sources, which would then be compiled with ours.
import templating from "adaptivecards-templating/lib/template-engine.js";
import { packageRoot } from "../package-root.js";
import type { CardAction, CardElement, NeutralCard } from "./card.js";

/**
 * The cards' layout lives in cards/, one Adaptive Card template per card in the Adaptive Card
 * Templating language (`${…}` bindings, `$data` to repeat, `$when` to leave out), which the
 * Adaptive Cards Designer opens as it is. The modules of src/cards/ pick the texts, clauses and
 * choices (ja/en, from the policy and strings.ts) and bind them here; the channels then render
 * the result (render.ts: Teams Action.Execute 1.4, Webex Action.Submit 1.3).
 *
 * A template's actions are written as Teams runs them (Action.Execute with a verb); they become
 * the neutral CardAction the renderers take. Values bound from data are never read as template
 * text: a title holding "${…}" shows as typed.
 */
const templates = new Map<string, templating.Template>();

/** Bindings the data did not answer during the expansion under way (see fromTemplate). */
let unbound: string[] = [];
templating.GlobalSettings.getUndefinedFieldValueSubstitutionString = (path: string) => {
  unbound.push(path);
  return undefined;
};

function template(name: string): templating.Template {
  let found = templates.get(name);
  if (!found) {
    const payload: unknown = JSON.parse(
      readFileSync(join(packageRoot(), "cards", `${name}.json`), "utf8"),
    );
    found = new templating.Template(payload);
    templates.set(name, found);
  }
  return found;
}

/** The names of the templates loaded so far (tests check that every one in cards/ is used). */
export const loadedTemplates = (): ReadonlySet<string> => new Set(templates.keys());

interface Expanded {
  body?: CardElement[];
  actions?: (CardAction & { type: string })[];
}

/**
 * The card `name` (cards/<name>.json) bound to `data`. A binding the data does not answer is a
 * mistake in this code, not in anybody's input: it throws, naming the template.
 */
export function fromTemplate(
  name: string,
  data: object,
  card: Pick<NeutralCard, "id" | "version"> & Pick<Partial<NeutralCard>, "refresh">,
): NeutralCard {
  const used = template(name);
  unbound = [];
  const expanded = used.expand({ $root: data }) as Expanded;
  // The engine warns of every `$when` that is false, as if it could not be parsed: not a problem.
  const warnings = used
    .getLastTemplateExpansionWarnings()
    .filter((w) => !w.endsWith("The $when condition has been set to false by default."));
  if (unbound.length > 0 || warnings.length > 0)
    throw new Error(
      `card template ${name}: ${[...unbound.map((u) => `unbound ${u}`), ...warnings].join("; ")}`,
    );
  return {
    ...card,
    body: expanded.body ?? [],
    actions: (expanded.actions ?? []).map(({ type: _type, ...action }) => action),
  };
}

/** Expands a template's body only: for cards made of parts (input-problems.ts). */
export const templateBody = (name: string, data: object): CardElement[] =>
  fromTemplate(name, data, { id: name, version: 0 }).body as CardElement[];
