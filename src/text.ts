import { z } from "zod";

/** Text shown to a person: Japanese first, English available. */
export const textSchema = z.strictObject({
  ja: z.string().min(1),
  en: z.string().min(1),
});
export type Text = z.infer<typeof textSchema>;

export type Locale = "ja" | "en";

/** Builds a Text; both languages are required so neither can be forgotten. */
export function t(ja: string, en: string): Text {
  return { ja, en };
}

/** Picks the locale from a platform locale string such as "en-US" or "ja-JP". */
export function localeOf(platformLocale: string | undefined): Locale {
  return platformLocale?.toLowerCase().startsWith("en") ? "en" : "ja";
}
