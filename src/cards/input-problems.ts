import { t, type Locale, type Text } from "../text.js";
import type { NeutralCard } from "./card.js";
import { prefilled } from "./prefill.js";
import { templateBody } from "./template.js";

/**
 * What is wrong with one input of a card, in neutral terms (no validator's wording): the card
 * layer turns it into a sentence in the person's language.
 */
export type ProblemKind =
  | "required"
  | "not-a-choice"
  | "too-long"
  | "too-many"
  | "invalid"
  /** A field the person did not type (the card's own data): the card cannot be shown again. */
  | "card-data";

export interface InputProblem {
  field: string;
  kind: ProblemKind;
  /** The offending values as typed (clipped for display), e.g. each bad invitee address. */
  typed: string[];
  /** The limit broken (too-long, too-many) and how far (characters or items entered). */
  max?: number;
  count?: number;
}

/** How a card's input is named to the person, and its own sentence for a value that is wrong. */
export interface FieldLabel {
  label: Text;
  /** A choice (ChoiceSet): the person is asked to choose, not to type. */
  choice?: boolean;
  /** Its own sentence for a wrong value; `shown` is "：value" / ": value", or empty. */
  invalid?: (shown: Text) => Text;
}
export type FieldTable = Readonly<Record<string, FieldLabel>>;

const cardData = t(
  "このカードのデータが正しくありません。新しいカードからやり直してください。",
  "This card's data is not valid. Please start again from a new card.",
);

/** The sentence telling the person what to fix, Japanese and English. */
export function problemText(p: InputProblem, fields: FieldTable): Text {
  const field = Object.hasOwn(fields, p.field) ? fields[p.field] : undefined;
  if (!field || p.kind === "card-data") return cardData;
  const { ja, en } = field.label;
  const shown =
    p.typed.length > 0 ? t(`：${p.typed.join("、")}`, `: ${p.typed.join(", ")}`) : t("", "");
  const max = String(p.max ?? "");
  const count = String(p.count ?? "");
  switch (p.kind) {
    case "required":
      return field.choice
        ? t(`${ja}を選んでください。`, `${en}: please choose one.`)
        : t(`${ja}を入力してください。`, `${en} is required.`);
    case "not-a-choice":
      return (
        field.invalid?.(shown) ??
        t(`${ja}を一覧から選んでください。`, `${en}: please choose one of the options.`)
      );
    case "too-long":
      return t(
        `${ja}は ${max} 文字以内で入力してください（${count} 文字）。`,
        `${en} can be at most ${max} characters (${count} entered).`,
      );
    case "too-many":
      return t(
        `${ja}は ${max} 件までです（${count} 件）。`,
        `${en}: at most ${max} (${count} entered).`,
      );
    case "invalid":
      return (
        field.invalid?.(shown) ??
        t(`${ja}が正しくありません${shown.ja}`, `${en} is not valid${shown.en}`)
      );
  }
}

/** What is wrong, each in warning colour, then the stable code in small print (cards/bad-input.json). */
const problemLines = (problems: readonly string[]) => templateBody("bad-input", { problems });

/**
 * The card the person answered, again: what is wrong at the top, in warning colour, the stable
 * code in small print, and every input holding what they typed so nothing has to be re-entered.
 */
export function badInputCard(
  card: NeutralCard,
  problems: readonly InputProblem[],
  fields: FieldTable,
  typed: Readonly<Record<string, unknown>>,
  lang: Locale,
): NeutralCard {
  const again = prefilled(card, typed);
  return {
    ...again,
    body: [...problemLines(problems.map((p) => problemText(p, fields)[lang])), ...again.body],
  };
}

/** When the card itself cannot be shown again (its own data is broken): what is wrong, and the code. */
export function badDataCard(
  problems: readonly InputProblem[],
  fields: FieldTable,
  lang: Locale,
): NeutralCard {
  const lines = problems.map((p) => problemText(p, fields)[lang]);
  const unique = lines.filter((l, i) => lines.indexOf(l) === i);
  return { id: "bad-input", version: 1, body: problemLines(unique), actions: [] };
}
