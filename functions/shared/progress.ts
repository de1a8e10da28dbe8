/**
 * Progress a caller can follow while an invocation runs: every step is logged when it starts and
 * when it ends, with the caller's own invocation id, so a CLI that invoked the function can pick
 * its steps out of the function's log group (CloudWatch Logs live tail, or polling) before the
 * answer comes back. The log lines are the functions' ordinary JSON lines (log.ts); these names
 * are the contract the CLI reads them by.
 */
import type { LambdaContextLike } from './deadline';
import type { Logger } from './log';
import type { TimelineObserver } from './timeline';

/** The `message` of the two progress lines. */
export const STEP_STARTED = 'step started';
export const STEP_ENDED = 'step ended';
/** The key under ClientContext `custom` that carries the caller's invocation id. */
export const INVOCATION_ID_KEY = 'vaultDrInvocation';
/** An invocation id: letters, digits and `-`, 8 to 64 (a UUID fits); anything else is ignored. */
const INVOCATION_ID = /^[A-Za-z0-9-]{8,64}$/;

/** The caller's invocation id from the Lambda context, when it sent a well-formed one. */
export function invocationIdOf(context: LambdaContextLike | undefined): string | undefined {
  const id = context?.clientContext?.custom?.[INVOCATION_ID_KEY];
  return typeof id === 'string' && INVOCATION_ID.test(id) ? id : undefined;
}

/** Logs each step as it starts and ends (at info, so the deployed LOG_LEVEL keeps them). */
export function logSteps(log: Logger): TimelineObserver {
  return {
    started: (step, startedAt) => log.info(STEP_STARTED, { step, startedAt }),
    ended: (entry) => log.info(STEP_ENDED, { step: entry.step, entry }),
  };
}
