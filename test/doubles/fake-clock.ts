/**
 * A clock the test moves by hand, for use-cases that take `now` and for the doubles' expiries
 * (a channel's turn, a settled post, a remembered alert): time passes only when told to.
 */
export class FakeClock {
  private ms: number;

  constructor(start: Date | string | number = '2026-12-07T00:00:00Z') {
    this.ms = new Date(start).getTime();
  }

  /** The current time; a method bound to the clock, so it can be handed on as `now`. */
  readonly now = (): Date => new Date(this.ms);

  /** The current time in epoch milliseconds, for doubles that keep expiries. */
  readonly epochMs = (): number => this.ms;

  advance(ms: number): void {
    this.ms += ms;
  }

  set(at: Date | string | number): void {
    this.ms = new Date(at).getTime();
  }
}
