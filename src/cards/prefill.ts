import type { CardElement, NeutralCard } from "./card.js";

/** Card data is the sender's: a value shown again is bounded, whatever was sent. */
const MAX_SHOWN = 4000;

const asText = (v: unknown): string | undefined =>
  typeof v === "string"
    ? v.slice(0, MAX_SHOWN)
    : typeof v === "number" || typeof v === "boolean"
      ? String(v)
      : undefined;

function fill(element: CardElement, typed: Readonly<Record<string, unknown>>): CardElement {
  const id = element.id;
  if (!element.type.startsWith("Input.") || typeof id !== "string" || !Object.hasOwn(typed, id))
    return element;
  const value = asText(typed[id]);
  if (value === undefined) return element;
  const { value: _default, ...empty } = element;
  switch (element.type) {
    case "Input.Number": {
      const n = Number(value);
      return value.trim() !== "" && Number.isFinite(n) ? { ...element, value: n } : empty;
    }
    case "Input.Toggle":
      return value === element.valueOn || value === element.valueOff
        ? { ...element, value }
        : element;
    case "Input.ChoiceSet": {
      const choices = Array.isArray(element.choices)
        ? (element.choices as { value?: unknown }[])
        : [];
      return choices.some((c) => c.value === value) ? { ...element, value } : empty;
    }
    default:
      return { ...element, value };
  }
}

/**
 * The card with each input holding what was typed into it (a number that is not one, or a choice
 * that is not offered, is left empty for the person to fill in again).
 */
export function prefilled(
  card: NeutralCard,
  typed: Readonly<Record<string, unknown>>,
): NeutralCard {
  return { ...card, body: card.body.map((e) => fill(e, typed)) };
}
