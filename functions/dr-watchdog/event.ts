/** The dr-watchdog event, parsed at the edge; every problem names its field. */
import * as v from 'valibot';
import { choice, eventObject, orEmpty } from '../shared/settings/events';
import { parseInput } from '../shared/settings/variables';

/**
 * `observe` (the schedule's, and the default): probe, decide, act. `status`: the stored state and
 * what the stored evidence decides now, without probing. `arm`: allow an automatic failover again
 * (after one, or after a disarm). `disarm`: no automatic failover until armed (maintenance).
 */
export const WATCHDOG_COMMANDS = ['observe', 'status', 'arm', 'disarm'] as const;
export type WatchdogCommand = (typeof WATCHDOG_COMMANDS)[number];

const schema = orEmpty(
  v.pipe(
    eventObject({
      command: v.optional(choice(WATCHDOG_COMMANDS), 'observe'),
      reason: v.optional(
        v.pipe(
          v.string((issue) => `must be a string (why), got ${typeof issue.input}`),
          v.trim(),
          v.minLength(1, 'must be a non-empty string when given'),
          v.maxLength(1024, 'must be at most 1024 characters'),
        ),
      ),
    }),
    v.forward(
      v.check((e) => e.reason === undefined || e.command === 'arm' || e.command === 'disarm', 'is only accepted with command arm or disarm'),
      ['reason'],
    ),
  ),
);

export interface WatchdogRequest {
  readonly command: WatchdogCommand;
  /** Why an operator arms or disarms: kept in the state and logged. */
  readonly reason: string | undefined;
}

export function parseWatchdogEvent(event: unknown): WatchdogRequest {
  const e = parseInput(schema, event);
  return { command: e.command, reason: e.reason };
}
