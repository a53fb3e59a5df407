import type { Locale, Text } from "../text.js";

/**
 * An Adaptive Card element, as the schema writes it (kept loose: the cards come from the templates
 * in cards/, and test/cards/templates.test.ts validates every one with the renderer and the schema).
 */
export type CardElement = Record<string, unknown> & { type: string };

/** A button: `verb` routes it, `data` travels with it. Channels render it as Execute or Submit. */
export interface CardAction {
  verb: string;
  title: string;
  data?: Record<string, unknown>;
  style?: "positive" | "destructive";
}

/** A card before it is rendered for a channel. */
export interface NeutralCard {
  /** Stable name of the card kind and the version of its text, logged with every answer. */
  id: string;
  version: number;
  /** Read only: a body may be shared by the cards of several meetings (see verdictCard). */
  body: readonly CardElement[];
  actions: CardAction[];
  /** A per-user view: the verb that renders it, when the channel can show one (Teams refresh). */
  refresh?: { verb: string; data: Record<string, unknown> };
}

export const pick = (value: Text, lang: Locale) => value[lang];
