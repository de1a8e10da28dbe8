/**
 * Runs the dr-watchdog handler in-process against a DR world, as its schedule would: one run per
 * call, on a clock the caller moves (a minute per run by default, the schedule's rate), with its
 * log and metric lines captured and parsed. The drill's scenarios build on it.
 */
import { runWatchdog, type WatchdogAnswer } from '../../functions/dr-watchdog/handler';
import type { Env } from '../../functions/shared/settings/variables';
import { lambdaContext } from './lambda-invoke-endpoint';
import { captureStdout } from './log-capture';

/** The construct's Lambda timeout of dr-watchdog (modules/dr-automation/defaults.ts). */
export const WATCHDOG_TIMEOUT_MS = 180_000;

/** One Embedded Metric Format line, as CloudWatch would read it. */
export interface EmfPoint {
  readonly dimensions: Readonly<Record<string, string>>;
  readonly values: Readonly<Record<string, number>>;
  readonly timestamp: number;
}

export interface WatchdogRun {
  readonly answer?: WatchdogAnswer;
  readonly error?: Error;
  /** The JSON log lines (not the metric lines). */
  readonly logs: readonly Record<string, unknown>[];
  readonly metrics: readonly EmfPoint[];
  readonly lines: readonly string[];
}

export function parseEmf(lines: readonly string[]): EmfPoint[] {
  const points: EmfPoint[] = [];
  for (const line of lines) {
    const json = JSON.parse(line) as Record<string, unknown> & { _aws?: { Timestamp: number; CloudWatchMetrics: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } };
    if (json._aws === undefined) continue;
    for (const directive of json._aws.CloudWatchMetrics) {
      const dimensions = Object.fromEntries((directive.Dimensions[0] ?? []).map((d) => [d, String(json[d])]));
      const values = Object.fromEntries(directive.Metrics.map((m) => [m.Name, Number(json[m.Name])]));
      points.push({ dimensions, values, timestamp: json._aws.Timestamp });
    }
  }
  return points;
}

/** A clock for the watchdog's rule: starts at `startMs` and moves only when told. */
export class SteppedClock {
  constructor(private at: number = Date.now()) {}
  now = (): number => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

/** One scheduled run of the watchdog with `env`, after moving the clock by `stepMs`. */
export async function runWatchdogOnce(env: Env, clock: SteppedClock, options: { readonly stepMs?: number; readonly event?: unknown } = {}): Promise<WatchdogRun> {
  clock.advance(options.stepMs ?? 60_000);
  const { result, error, lines } = await captureStdout(() => runWatchdog(options.event ?? { command: 'observe' }, env, lambdaContext(WATCHDOG_TIMEOUT_MS), { now: clock.now }));
  const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  return {
    ...(result === undefined ? {} : { answer: result }),
    ...(error === undefined ? {} : { error: error as Error }),
    logs: parsed.filter((l) => l._aws === undefined),
    metrics: parseEmf(lines),
    lines,
  };
}
