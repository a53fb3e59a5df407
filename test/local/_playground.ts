import type { Page } from "playwright-core";
import { expect } from "vitest";

/** The rendered cards (Adaptive Cards renderer's root elements) that contain `text`. */
export const cards = (page: Page, text: string | RegExp) =>
  page.locator(".ac-adaptiveCard").filter({ hasText: text });

/** Presses a meeting-clock button and waits until the page says what happened. */
export async function clock(page: Page, button: RegExp) {
  const before = await page.locator("#clock-event").innerText();
  await page.getByRole("button", { name: button }).click();
  await expect
    .poll(() => page.locator("#clock-event").innerText(), { timeout: 10_000 })
    .not.toBe(before);
}
