/**
 * The three ways a DR function ends without success. Each carries a message written for the
 * operator reading the Lambda error or the alarm: what was wrong and what to do about it.
 */

/** The event or the configuration is malformed. Nothing was changed. */
export class InputError extends Error {
  override readonly name = 'InputError';
  /** The event field or environment variable at fault, e.g. `operation` or `VAULT_CLUSTERS`. */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`);
    this.field = field;
  }
}

/** The operation could not be done safely, so it was not started. Nothing was changed. */
export class RefusedError extends Error {
  override readonly name = 'RefusedError';
}

/**
 * The operation started and a step failed. The message says which step, what was rolled back and
 * the state both clusters were left in.
 */
export class StepFailedError extends Error {
  override readonly name = 'StepFailedError';
}
