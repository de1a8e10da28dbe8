/** The record every operation returns: each step, when it started, how long it took, how it ended. */

export type StepOutcome = 'ok' | 'no-op' | 'planned' | 'skipped' | 'failed' | 'timed-out';

export interface TimelineEntry {
  readonly step: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly outcome: StepOutcome;
  readonly detail?: string;
}

/** Told of each step as it starts and ends (the functions log it, so a CLI can follow). */
export interface TimelineObserver {
  started(step: string, startedAt: string): void;
  ended(entry: TimelineEntry): void;
}

export class Timeline {
  private readonly list: TimelineEntry[] = [];

  constructor(private readonly observer?: TimelineObserver) {}

  get entries(): readonly TimelineEntry[] {
    return this.list;
  }

  /** Runs `fn` as one step; a throw is recorded as `failed` with its message and rethrown. */
  async run<T>(step: string, fn: () => Promise<T>, detailOf?: (result: T) => string | undefined): Promise<T> {
    const start = Date.now();
    this.observer?.started(step, new Date(start).toISOString());
    try {
      const result = await fn();
      const detail = detailOf?.(result);
      this.push(step, start, 'ok', detail);
      return result;
    } catch (err) {
      this.push(step, start, 'failed', (err as Error).message);
      throw err;
    }
  }

  /** A step that took no time of its own: planned in a dry run, skipped, a no-op, a timeout. */
  note(step: string, outcome: StepOutcome, detail?: string, startedAtMs = Date.now()): void {
    this.push(step, startedAtMs, outcome, detail);
  }

  private push(step: string, start: number, outcome: StepOutcome, detail: string | undefined): void {
    const entry: TimelineEntry = {
      step,
      startedAt: new Date(start).toISOString(),
      durationMs: Date.now() - start,
      outcome,
      ...(detail === undefined ? {} : { detail }),
    };
    this.list.push(entry);
    this.observer?.ended(entry);
  }
}
