/**
 * Shows an invocation's steps as they happen, on stderr (stdout carries the result, so `--json`
 * output stays clean). On a terminal a spinner names the step under way and each finished step
 * is printed above it; elsewhere (a pipe, CI) each step is one plain line when it starts and when
 * it ends.
 */
import { createSpinner, type Spinner } from 'nanospinner';
import type { ProgressEvent } from './log-lines';

export interface ProgressDisplay {
  /** A line about the run itself (not a step). */
  note(text: string): void;
  step(event: ProgressEvent): void;
  /** Stops the spinner; `ok` chooses its last mark. */
  done(ok: boolean, text: string): void;
}

export interface Output {
  readonly write: (text: string) => void;
  readonly isTTY: boolean;
}

const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

function describeEnded(event: Extract<ProgressEvent, { kind: 'ended' }>): string {
  const { entry } = event;
  const mark = entry.outcome === 'ok' ? '✔' : entry.outcome === 'failed' || entry.outcome === 'timed-out' ? '✖' : '·';
  const detail = entry.detail ? `: ${entry.detail.length > 140 ? `${entry.detail.slice(0, 137)}...` : entry.detail}` : '';
  return `${mark} ${entry.step} (${entry.outcome}, ${entry.durationMs} ms)${detail}`;
}

export function progressDisplay(out: Output, title: string, options: { quiet: boolean; stream?: NodeJS.WriteStream }): ProgressDisplay {
  const startedAt = Date.now();
  if (options.quiet) return { note: () => undefined, step: () => undefined, done: () => undefined };
  // When it happened by the function's clock (its log line), from when this run started.
  const elapsed = (event?: ProgressEvent) => {
    const at = event === undefined ? NaN : event.kind === 'started' ? Date.parse(event.at) : Date.parse(event.entry.startedAt) + event.entry.durationMs;
    return `+${seconds(Math.max(0, (Number.isFinite(at) ? at : Date.now()) - startedAt))}`;
  };
  if (out.isTTY && options.stream) {
    const spinner: Spinner = createSpinner(`${title}...`, { stream: options.stream }).start();
    const above = (line: string) => {
      spinner.clear();
      out.write(`${line}\n`);
      spinner.render();
    };
    return {
      note: (text) => above(`  ${text}`),
      step: (event) => {
        if (event.kind === 'started') spinner.update({ text: `${title}: ${event.step} (${elapsed(event)})` });
        else above(`  ${describeEnded(event)}`);
      },
      done: (ok, text) => (ok ? spinner.success({ text }) : spinner.error({ text })),
    };
  }
  out.write(`${title}...\n`);
  return {
    note: (text) => out.write(`  ${text}\n`),
    step: (event) => out.write(event.kind === 'started' ? `  ${elapsed(event)} ${event.step} ...\n` : `  ${elapsed(event)} ${describeEnded(event)}\n`),
    done: (_ok, text) => out.write(`${text}\n`),
  };
}
