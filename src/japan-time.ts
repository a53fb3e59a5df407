import type { Locale } from "./text.js";

/** Japan has had no daylight saving time since 1951: Asia/Tokyo is UTC+9 all year. */
export const JST_MS = 9 * 3_600_000;
const WEEKDAYS_JA = "日月火水木金土";
const WEEKDAYS_EN = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS_EN = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(" ");

const two = (n: number) => String(n).padStart(2, "0");

const valid = (iso: string | null | undefined): iso is string =>
  typeof iso === "string" && iso !== "" && !Number.isNaN(new Date(iso).getTime());

/** 「2026年12月20日(日) 10:00」 / "Sun 20 Dec 2026, 10:00 JST", as people here write it. */
export function japanTime(lang: Locale, iso: string | null | undefined): string {
  if (!valid(iso)) return "—";
  const t = new Date(new Date(iso).getTime() + JST_MS);
  const [y, mo, d, wd] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCDay()];
  const hm = `${two(t.getUTCHours())}:${two(t.getUTCMinutes())}`;
  return lang === "ja"
    ? `${String(y)}年${String(mo + 1)}月${String(d)}日(${WEEKDAYS_JA.charAt(wd)}) ${hm}`
    : `${WEEKDAYS_EN[wd] ?? ""} ${String(d)} ${MONTHS_EN[mo] ?? ""} ${String(y)}, ${hm} JST`;
}
