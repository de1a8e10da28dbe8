/**
 * The last step of every failed invocation: the error is completed with what the invocation
 * changed, the clusters' last known state and the next command, so that no failure is a dead end.
 * An unexpected error (a Vault or AWS error no step turned into a DrError) is wrapped the same way.
 */
import { DrError, StepFailedError, type NextCommand } from './errors';

export interface FailureContext {
  readonly changed: readonly string[];
  readonly clusters: readonly string[];
  readonly dns?: string;
  /** Used when the error does not name its own next command. */
  readonly defaultNext: NextCommand | null;
}

export function finalizeError(err: unknown, context: FailureContext): DrError {
  const error =
    err instanceof DrError
      ? err
      : Object.assign(new StepFailedError(`${(err as Error)?.name ?? 'Error'}: ${(err as Error)?.message ?? String(err)}`), { cause: err });
  if (error.details === undefined) {
    error.attach({
      changed: context.changed,
      clusters: context.clusters,
      ...(context.dns === undefined ? {} : { dns: context.dns }),
      next: error.next !== undefined ? error.next : context.defaultNext,
    });
  }
  return error;
}

/** What Lambda reports for a thrown error is its name and message: the details go in the message. */
export function lambdaError(error: DrError): Error {
  return Object.assign(new Error(error.payloadMessage()), { name: error.name });
}
