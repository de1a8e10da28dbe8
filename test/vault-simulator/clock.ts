/**
 * The simulator's clock: every duration in the simulator (transitions, elections, WAL lag,
 * heartbeats, health checks, token and activation-token TTLs) is simulated time on this clock.
 * It runs `timeScale` times faster than real time, so a two-minute promotion takes 1.2 real
 * seconds at timeScale 100, and advance() jumps it forward, firing every timer that falls due.
 * The functions under test run in real time; their tests divide their timeouts by timeScale.
 */
import { performance } from 'node:perf_hooks';

export interface SimTimer {
  readonly due: number;
}

interface PendingTimer extends SimTimer {
  readonly seq: number;
  readonly fire: () => void;
}

export class SimulatedClock {
  private readonly realStart = performance.now();
  private readonly simStart: number;
  private offsetMs = 0;
  /** Sorted by due time, then by creation order, so equal due times fire in the order set. */
  private pending: PendingTimer[] = [];
  private seq = 0;
  private armed: NodeJS.Timeout | undefined;
  /** Real time (performance.now()) at which the armed timer fires. */
  private armedRealAt: number | undefined;
  private running = false;
  private stopped = false;

  constructor(
    readonly timeScale = 1,
    startAt: number = Date.now(),
  ) {
    if (!Number.isFinite(timeScale) || timeScale <= 0) {
      throw new RangeError(`timeScale must be a finite number above 0 (simulated ms per real ms), got ${timeScale}`);
    }
    this.simStart = startAt;
  }

  /** Simulated epoch ms. */
  now(): number {
    return this.simStart + (performance.now() - this.realStart) * this.timeScale + this.offsetMs;
  }

  /** Real ms that `simMs` simulated ms take. */
  realMs(simMs: number): number {
    return simMs / this.timeScale;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) {
      throw new RangeError(`advanceClock needs a finite, non-negative number of ms, got ${ms}`);
    }
    this.offsetMs += ms;
    this.runDue();
  }

  /** Calls `fire` once `delayMs` simulated ms have passed (never synchronously). */
  after(delayMs: number, fire: () => void): SimTimer {
    return this.at(this.now() + Math.max(0, delayMs), fire);
  }

  /**
   * Calls `fire` at simulated epoch ms `due` (at once if it is past, but never synchronously).
   * Periodic work schedules its next run from its own due time, so that an advance() across
   * several periods runs every period.
   */
  at(due: number, fire: () => void): SimTimer {
    const timer: PendingTimer = { due, seq: this.seq++, fire };
    const at = this.pending.findIndex((t) => t.due > timer.due);
    if (at < 0) this.pending.push(timer);
    else this.pending.splice(at, 0, timer);
    this.arm();
    return timer;
  }

  cancel(timer: SimTimer | undefined): void {
    if (timer === undefined) return;
    const at = this.pending.indexOf(timer as PendingTimer);
    if (at >= 0) this.pending.splice(at, 1);
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.after(ms, resolve));
  }

  /** Cancels every timer; nothing fires after this. */
  stop(): void {
    this.stopped = true;
    this.pending = [];
    if (this.armed !== undefined) clearTimeout(this.armed);
    this.armed = undefined;
    this.armedRealAt = undefined;
  }

  private runDue(): void {
    if (this.running || this.stopped) return;
    this.running = true;
    try {
      for (;;) {
        const next = this.pending[0];
        if (next === undefined || next.due > this.now() || this.stopped) break;
        this.pending.shift();
        next.fire();
      }
    } finally {
      this.running = false;
    }
    this.arm();
  }

  /**
   * One real timer, for the earliest pending simulated timer. It is compared in real time: after
   * advance() a timer armed for an earlier simulated moment may still be seconds of real time away,
   * and a timer due sooner must not wait for it.
   */
  private arm(): void {
    if (this.stopped || this.running) return;
    const next = this.pending[0];
    if (next === undefined) return;
    const delay = Math.max(0, Math.ceil(this.realMs(next.due - this.now())));
    const fireAt = performance.now() + delay;
    if (this.armed !== undefined && this.armedRealAt !== undefined && this.armedRealAt <= fireAt) return;
    if (this.armed !== undefined) clearTimeout(this.armed);
    this.armedRealAt = fireAt;
    this.armed = setTimeout(() => {
      this.armed = undefined;
      this.armedRealAt = undefined;
      this.runDue();
    }, delay);
    // A world left running must not keep a script alive; its listeners do that while they matter.
    this.armed.unref();
  }
}
