/**
 * A clock the test moves by hand and that stands still in between: a back-off, a Retry-After
 * or a notice threshold is then an exact instant to step to, never a sleep and a tolerance.
 * Give `now` to the bot (`PipelineHarness`'s `now`).
 */
export class ManualClock {
  private at: number;

  constructor(start: number = Date.now()) {
    this.at = start;
  }

  readonly now = (): Date => new Date(this.at);

  /** The current instant, in ms since the epoch. */
  get ms(): number {
    return this.at;
  }

  /** Moves to `to` (a later or an earlier instant). */
  set(to: number | Date): void {
    this.at = typeof to === 'number' ? to : to.getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
