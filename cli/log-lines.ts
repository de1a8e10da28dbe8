/**
 * A DR function's log line as progress: the JSON lines the functions write (functions/shared/log.ts),
 * the two kinds functions/shared/progress.ts logs for every step, for one invocation (the id this
 * CLI sent in ClientContext). Anything else (Lambda's START/END/REPORT lines, other invocations,
 * text) is not progress.
 */
import { STEP_ENDED, STEP_STARTED } from '../functions/shared/progress';
import type { TimelineEntry } from '../functions/shared/timeline';

export type ProgressEvent =
  | { readonly kind: 'started'; readonly step: string; readonly at: string }
  | { readonly kind: 'ended'; readonly entry: TimelineEntry };

export function progressOf(message: string, invocation: string): ProgressEvent | undefined {
  const text = message.trim();
  if (!text.startsWith('{')) return undefined;
  let line: Record<string, unknown>;
  try {
    line = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  if (line.invocation !== invocation) return undefined;
  if (line.message === STEP_STARTED && typeof line.step === 'string') {
    return { kind: 'started', step: line.step, at: typeof line.startedAt === 'string' ? line.startedAt : String(line.time ?? '') };
  }
  const entry = line.entry as Partial<TimelineEntry> | undefined;
  if (line.message === STEP_ENDED && entry && typeof entry.step === 'string' && typeof entry.outcome === 'string') {
    return {
      kind: 'ended',
      entry: {
        step: entry.step,
        startedAt: String(entry.startedAt ?? ''),
        durationMs: typeof entry.durationMs === 'number' ? entry.durationMs : 0,
        outcome: entry.outcome,
        ...(typeof entry.detail === 'string' ? { detail: entry.detail } : {}),
      },
    };
  }
  return undefined;
}
