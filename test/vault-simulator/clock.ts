/**
 * The simulator's clock. Token and activation-token expiry read it, so a test can expire an 8h
 * token instantly with advanceClock; transitions and faults use real timers because the functions
 * under test wait on them in real time.
 */
export class SimulatedClock {
  private offsetMs = 0;

  now(): number {
    return Date.now() + this.offsetMs;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advanceClock needs a finite, non-negative number of ms, got ${ms}`);
    }
    this.offsetMs += ms;
  }
}
