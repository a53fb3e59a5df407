import { encodePng } from "./png.js";

type Rgba = [number, number, number, number];

/** Inside the shield: a rounded top and a point at the bottom, in unit coordinates (0..1). */
function inShield(x: number, y: number): boolean {
  if (y < 0.12 || y > 0.9) return false;
  const half = y < 0.55 ? 0.34 : 0.34 * (1 - (y - 0.55) / 0.35);
  return Math.abs(x - 0.5) <= half;
}

/** On the check mark: two strokes from (0.35,0.5) to (0.46,0.62) to (0.66,0.38). */
function onCheck(x: number, y: number, width: number): boolean {
  const near = (ax: number, ay: number, bx: number, by: number) => {
    const t = Math.max(
      0,
      Math.min(
        1,
        ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2),
      ),
    );
    return Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) <= width;
  };
  return near(0.35, 0.5, 0.46, 0.62) || near(0.46, 0.62, 0.66, 0.38);
}

function draw(size: number, pixel: (x: number, y: number) => Rgba): Buffer {
  const rgba = new Uint8Array(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++)
      rgba.set(pixel((px + 0.5) / size, (py + 0.5) / size), (py * size + px) * 4);
  }
  return encodePng(size, size, rgba);
}

const ACCENT: Rgba = [0x1f, 0x4e, 0x79, 255];
const WHITE: Rgba = [255, 255, 255, 255];
const CLEAR: Rgba = [0, 0, 0, 0];

/** Teams color icon: 192×192, white shield with the accent-colored check on the accent color. */
export const colorIcon = () =>
  draw(192, (x, y) => (inShield(x, y) ? (onCheck(x, y, 0.045) ? ACCENT : WHITE) : ACCENT));

/** Teams outline icon: 32×32, white on transparent (Teams requires exactly that). */
export const outlineIcon = () =>
  draw(32, (x, y) => {
    const edge =
      inShield(x, y) &&
      !(
        inShield(x - 0.09, y) &&
        inShield(x + 0.09, y) &&
        inShield(x, y - 0.08) &&
        inShield(x, y + 0.08)
      );
    return edge || (inShield(x, y) && onCheck(x, y, 0.06)) ? WHITE : CLEAR;
  });
