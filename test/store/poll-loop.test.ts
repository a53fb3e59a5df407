import { afterEach, beforeEach, expect, it, vi } from "vitest";
import { PollLoop } from "../../src/store/poll-loop.js";

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

/** Lets fake time pass (and every promise it releases settle). */
const settle = (ms = 60) => vi.advanceTimersByTimeAsync(ms);

it("runs a pass when woken, keeps going while there is work, never two passes at once", async () => {
  let work = 3;
  let active = 0;
  let maxActive = 0;
  let passes = 0;
  const errors: unknown[] = [];
  const loop = new PollLoop(
    async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      passes++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      active--;
      if (passes === 2) throw new Error("database blip");
      return work > 0 ? work-- : 0;
    },
    { idleMs: 60_000, onError: (e) => errors.push(e) },
  );
  loop.start();
  loop.wake();
  loop.wake();
  await settle();
  // The failing pass ends the burst: the loop waits for the next wake or idle tick.
  expect({ passes, work, errors: errors.length, maxActive }).toEqual({
    passes: 2,
    work: 2,
    errors: 1,
    maxActive: 1,
  });
  loop.wake();
  await settle();
  expect({ passes, work }).toEqual({ passes: 5, work: 0 });
  await loop.stop();
  loop.wake();
  await settle();
  expect(passes).toBe(5);
});

it("polls every idleMs without being woken (other instances' work, missed timers)", async () => {
  let passes = 0;
  const loop = new PollLoop(
    () => {
      passes++;
      return Promise.resolve(0);
    },
    { idleMs: 10, onError: () => undefined },
  );
  loop.start();
  await settle(35);
  await loop.stop();
  expect(passes).toBe(4);
});
