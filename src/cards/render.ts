import type { Locale } from "../text.js";
import type { CardAction, CardElement, NeutralCard } from "./card.js";

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/**
 * Webex renders Adaptive Cards 1.3 with Action.Submit; the verb travels in `data` and the answer
 * comes back through attachmentActions, bound to the authenticated personId.
 */
export function renderForSubmit(card: NeutralCard, lang?: Locale): Record<string, unknown> {
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.3",
    body: card.body,
    actions: card.actions.map((a) => ({
      type: "Action.Submit",
      title: a.title,
      ...(a.style ? { style: a.style } : {}),
      // Webex gives no locale with a card action: the card says which language it was in.
      data: {
        ...a.data,
        verb: a.verb,
        card: card.id,
        cardVersion: card.version,
        ...(lang ? { lang } : {}),
      },
    })),
  };
}

/**
 * Teams renders Universal Actions (Action.Execute, 1.4); `refreshFor` lists the users whose client
 * asks the bot for their own view of the card.
 */
export function renderForExecute(
  card: NeutralCard,
  refreshFor: string[] = [],
): Record<string, unknown> {
  const execute = (a: CardAction) => ({
    type: "Action.Execute",
    title: a.title,
    verb: a.verb,
    ...(a.style ? { style: a.style } : {}),
    data: { ...a.data, card: card.id, cardVersion: card.version },
  });
  return {
    type: "AdaptiveCard",
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    version: "1.4",
    body: card.body,
    actions: card.actions.map(execute),
    ...(refreshFor.length > 0
      ? {
          refresh: {
            action: {
              type: "Action.Execute",
              verb: card.refresh?.verb ?? "card.refresh",
              data: { ...card.refresh?.data, card: card.id, cardVersion: card.version },
            },
            userIds: refreshFor,
          },
        }
      : {}),
  };
}

/** The JSON text of frozen card bodies: shared by every card built from one frozen verdict. */
const bodyTexts = new WeakMap<readonly CardElement[], string>();

/**
 * `JSON.stringify(renderForExecute(card, refreshFor))`, with the text of a frozen body (a verdict's,
 * shared by every meeting with that verdict) written once and kept: serializing the verdict card
 * was the larger part of what answering with it cost (8 of 13 µs, measured in isolation).
 */
export function renderForExecuteJson(card: NeutralCard, refreshFor: string[] = []): string {
  const rendered = renderForExecute(card, refreshFor);
  if (!Object.isFrozen(card.body)) return JSON.stringify(rendered);
  let body = bodyTexts.get(card.body);
  if (body === undefined) {
    body = JSON.stringify(card.body);
    bodyTexts.set(card.body, body);
  }
  // "body" follows type, $schema and version, whose values are fixed: the first match is it.
  const kept = body;
  return JSON.stringify({ ...rendered, body: 0 }).replace('"body":0', () => `"body":${kept}`);
}
