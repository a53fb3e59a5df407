/**
 * Keeps a worker pass (outbox dispatch, timer firing) going: runs it at once when woken (an
 * after-commit hook calls `wake`), again straight away while it finds work, otherwise every
 * `idleMs` so missed work and work from other instances is picked up. Never two passes at once.
 * A failing pass is reported to `onError` and retried at the next tick, never lost silently.
 */
export class PollLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly pass: () => Promise<number>,
    private readonly options: { idleMs: number; onError: (error: unknown) => void },
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  /** Asks for a pass as soon as possible (coalesced with one already running). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.running = this.loop().finally(() => {
      this.running = undefined;
      // A wake that arrived after the last pass had already looked for work.
      if (this.again) this.wake();
    });
  }

  /** Stops scheduling passes and waits for the one under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async loop(): Promise<void> {
    do {
      this.again = false;
      try {
        if ((await this.pass()) > 0) this.again = true;
      } catch (error) {
        this.options.onError(error);
      }
    } while (this.again && !this.stopped);
    if (!this.stopped)
      this.timer = setTimeout(() => {
        this.wake();
      }, this.options.idleMs);
  }
}
