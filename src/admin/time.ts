import { JST_MS, japanTime } from "../japan-time.js";
import { h, type Lang } from "./html.js";

const DAY_MS = 24 * 3_600_000;

const two = (n: number) => String(n).padStart(2, "0");

const valid = (iso: string | null | undefined): iso is string =>
  typeof iso === "string" && iso !== "" && !Number.isNaN(new Date(iso).getTime());

/** A time on a page: Japan time shown, the exact UTC instant in the markup and on hover. */
export function when(lang: Lang, iso: string | null | undefined): string {
  if (!valid(iso)) return "—";
  const utc = new Date(iso).toISOString();
  return `<time datetime="${h(utc)}" title="${h(`UTC ${utc}`)}">${h(japanTime(lang, iso))}</time>`;
}

/** The Japan date (YYYY-MM-DD) of an instant: what an `<input type=date>` holds. */
export const japanDay = (at: Date) => new Date(at.getTime() + JST_MS).toISOString().slice(0, 10);

/** The Japan month (YYYY-MM) of an instant. */
export const japanMonth = (at: Date) => japanDay(at).slice(0, 7);

/** Whether a text is a date that exists (2027-02-30 is not), as `<input type=date>` sends it. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const at = new Date(`${text}T00:00:00.000Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().startsWith(text);
}

export const isMonth = (text: string) => /^\d{4}-\d{2}$/.test(text) && isDay(`${text}-01`);

/** The UTC instant at which this Japan date begins. */
export const dayStartUtc = (day: string) =>
  new Date(new Date(`${day}T00:00:00.000Z`).getTime() - JST_MS);

/** The UTC instant at which the Japan date after this one begins. */
export const dayEndUtc = (day: string) => new Date(dayStartUtc(day).getTime() + DAY_MS);

/** A Japan month as the UTC range [from, to) it covers. */
export function monthRangeUtc(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const next = m === 12 ? `${String(y + 1)}-01` : `${String(y)}-${two(m + 1)}`;
  return {
    from: dayStartUtc(`${month}-01`).toISOString(),
    to: dayStartUtc(`${next}-01`).toISOString(),
  };
}

/** 「2026年12月」 / "December 2026". */
export function monthText(lang: Lang, month: string): string {
  const [y, m] = month.split("-").map(Number) as [number, number];
  const en = new Date(Date.UTC(y, m - 1, 1)).toLocaleString("en", {
    month: "long",
    timeZone: "UTC",
  });
  return lang === "ja" ? `${String(y)}年${String(m)}月` : `${en} ${String(y)}`;
}

/** How long ago, in the largest whole unit: 「3日」 / "3 days". */
export function duration(lang: Lang, ms: number): string {
  const hours = Math.floor(Math.max(0, ms) / 3_600_000);
  if (hours >= 24) {
    const days = Math.floor(hours / 24);
    return lang === "ja" ? `${String(days)}日` : `${String(days)} day${days === 1 ? "" : "s"}`;
  }
  return lang === "ja" ? `${String(hours)}時間` : `${String(hours)} h`;
}
