import { h } from "./html.js";

export interface Bar {
  label: string;
  value: number;
  /** Marks the number (`data-count`) for tests and tools reading the page. */
  key?: string;
}

const COLORS = ["#464775", "#6264a7", "#8b8cc7", "#c5c6e8", "#a4262c", "#605e5c"];

/**
 * A horizontal bar chart as inline SVG, drawn here on the server (no script, no chart library:
 * the console's CSP allows neither). Every bar carries its number as text, so it prints in black
 * and white and reads without colour; the figure's table is the same data for screen readers.
 */
export function barChart(title: string, bars: readonly Bar[], unit = ""): string {
  const rowH = 26;
  const labelW = 170;
  const barW = 260;
  const width = labelW + barW + 60;
  const height = Math.max(1, bars.length) * rowH + 8;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const rows = bars
    .map((b, i) => {
      const y = 4 + i * rowH;
      const w = b.value === 0 ? 0 : Math.max(2, Math.round((b.value / max) * barW));
      return `<text x="${String(labelW - 6)}" y="${String(y + 17)}" text-anchor="end" font-size="13" fill="#242424">${h(b.label)}</text>
<rect x="${String(labelW)}" y="${String(y + 3)}" width="${String(w)}" height="${String(rowH - 8)}" fill="${COLORS[i % COLORS.length] ?? "#464775"}" stroke="#242424" stroke-width="0.5"/>
<text x="${String(labelW + w + 6)}" y="${String(y + 17)}" font-size="13" fill="#242424">${b.key ? `<tspan data-count="${h(b.key)}">${String(b.value)}</tspan>` : String(b.value)}${h(unit)}</text>`;
    })
    .join("\n");
  return `<figure><figcaption>${h(title)}</figcaption>
<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${String(width)} ${String(height)}" width="100%" style="max-width:${String(width)}px" role="img" aria-label="${h(`${title}: ${bars.map((b) => `${b.label} ${String(b.value)}`).join(", ")}`)}">
<line x1="${String(labelW)}" y1="0" x2="${String(labelW)}" y2="${String(height)}" stroke="#605e5c"/>
${rows}</svg></figure>`;
}
