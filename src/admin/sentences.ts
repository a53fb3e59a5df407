import { beforeSentences } from "./sentences-before.js";
import { duringSentences } from "./sentences-during.js";
import { otherSentences } from "./sentences-other.js";
import {
  isActionKind,
  type ActionKind,
  type EntryContext,
  type SayEntry,
  type Sentence,
} from "./sentence-kit.js";

export {
  actionKinds,
  isActionKind,
  type ActionKind,
  type EntryContext,
  type Sentence,
} from "./sentence-kit.js";

/** One sentence per action kind, in Japanese and English, with its clause where one applies. */
export const sentences: Record<ActionKind, SayEntry> = {
  ...beforeSentences,
  ...duringSentences,
  ...otherSentences,
};

/** The sentence of a log entry; an action this build does not know is said as its code. */
export function sentenceOf(action: string, c: EntryContext): Sentence {
  return isActionKind(action)
    ? sentences[action](c)
    : { ja: `記録：${action}`, en: `Entry: ${action}` };
}
