/**
 * vault-dr's exit codes, one per outcome, so that a script can tell a refusal from a failure
 * without parsing text (README, "The operator CLI"). 0 is "done, nothing else to do".
 */
export const EXIT_CODES = {
  /** The operation succeeded (for status: everything is as it should be, `next` is null). */
  succeeded: 0,
  /** Something unexpected: a bug, or a function error without the DR functions' details. */
  unexpected: 1,
  /** Bad flags or event, or the function's configuration is invalid (InputError): nothing was changed. */
  input: 2,
  /** Refused: a safety check stopped it before any change. */
  refused: 3,
  /** Another operation holds the lease (or the function's one concurrent run is taken): nothing was changed. */
  busy: 4,
  /** A step failed after the operation started: run the next command printed. */
  stepFailed: 5,
  /** The invocation's deadline stopped it: run the next command printed. */
  deadline: 6,
  /** The function could not be invoked: credentials, region, function name, network. */
  invokeFailed: 7,
  /** The operator did not confirm. Nothing was invoked. */
  notConfirmed: 8,
  /** Nothing to do: the clusters are already as asked. */
  noOp: 10,
  /** A dry run: what would be done was printed, nothing was changed. */
  dryRun: 11,
  /** status only: something needs doing; the next command is printed. */
  attention: 12,
} as const;

export type ExitReason = keyof typeof EXIT_CODES;

/** The exit reason for a DR function error's `kind` (functions/shared/errors.ts). */
export function reasonOfErrorKind(kind: string | undefined): ExitReason {
  switch (kind) {
    case 'input':
      return 'input';
    case 'refused':
      return 'refused';
    case 'busy':
      return 'busy';
    case 'step-failed':
      return 'stepFailed';
    case 'deadline':
      return 'deadline';
    default:
      return 'unexpected';
  }
}

/** The exit reason for an answer's outcome. */
export function reasonOfOutcome(outcome: string | undefined, options: { status: boolean; next: unknown }): ExitReason {
  if (outcome === 'no-op') return 'noOp';
  if (outcome === 'dry-run') return 'dryRun';
  if (outcome === 'succeeded') return options.status && options.next !== null && options.next !== undefined ? 'attention' : 'succeeded';
  return 'unexpected';
}
