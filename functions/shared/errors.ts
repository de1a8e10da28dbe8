/**
 * How a DR function ends without success. Every error says what was wrong, what this invocation
 * changed, the state the clusters were left in, and the single next command that gets DNS to the
 * one active primary: in its message for a human, and as structured `details` for a CLI.
 */

/** The command an operator (or a CLI) runs next. */
export interface NextCommand {
  /** The function to invoke. */
  readonly function: 'dr-operations' | 'dns-switch' | 'dr-token-generator';
  /** Its event, exactly. */
  readonly event: Readonly<Record<string, unknown>>;
  /** Why this command, in one sentence. */
  readonly why: string;
  /** Not before this time (ISO-8601): another operation holds the lease until then. */
  readonly notBefore?: string;
  /** A field of `event` the operator must choose, and its possible values (e.g. which cluster to keep). */
  readonly choose?: { readonly field: string; readonly from: readonly string[] };
}

export type ErrorKind = 'input' | 'refused' | 'busy' | 'step-failed' | 'deadline';

export interface ErrorDetails {
  readonly kind: ErrorKind;
  /** What this invocation changed, in order ([] when nothing). */
  readonly changed: readonly string[];
  /** Each cluster's last known state, one line each. */
  readonly clusters: readonly string[];
  /** What is known about DNS, when the function knows it. */
  readonly dns?: string;
  /** null when nothing needs to be run (DNS points at the one active primary), or to fix the input. */
  readonly next: NextCommand | null;
}

export function describeNext(next: NextCommand | null): string {
  if (next === null) return 'none';
  const choose = next.choose ? ` with ${next.choose.field} set to one of ${next.choose.from.join(', ')}` : '';
  const after = next.notBefore ? ` after ${next.notBefore}` : '';
  return `invoke ${next.function} with ${JSON.stringify(next.event)}${choose}${after}: ${next.why}`;
}

function render(reason: string, details: ErrorDetails): string {
  const changed = details.changed.length ? details.changed.join('; ') : 'nothing';
  const clusters = details.clusters.length ? ` Clusters: ${details.clusters.join('; ')}.` : '';
  const dns = details.dns ? ` DNS: ${details.dns}.` : '';
  return `${reason}. Changed: ${changed}.${clusters}${dns} Next: ${describeNext(details.next)}.`;
}

/** Base of every error the functions throw on purpose. */
export abstract class DrError extends Error {
  abstract readonly kind: ErrorKind;
  /** The reason alone, without the details. */
  readonly reason: string;
  /** Set when the error is raised, or by the handler from what the invocation recorded. */
  details: ErrorDetails | undefined;
  /** The next command, when the raiser knows it better than the handler. */
  readonly next: NextCommand | null | undefined;

  constructor(reason: string, options: { next?: NextCommand | null } = {}) {
    super(reason.replace(/\.$/, ''));
    this.reason = reason.replace(/\.$/, '');
    this.next = options.next;
  }

  /** Completes the error with what the invocation changed and saw; the message then says it all. */
  attach(details: Omit<ErrorDetails, 'kind'>): this {
    this.details = { kind: this.kind, ...details };
    this.message = render(this.reason, this.details);
    return this;
  }

  /** What a Lambda error payload carries: the message, a newline, then the details as JSON. */
  payloadMessage(): string {
    return this.details === undefined ? this.message : `${this.message}\n${JSON.stringify(this.details)}`;
  }
}

/** The event or the configuration is malformed. Nothing was changed. */
export class InputError extends DrError {
  override readonly name: string = 'InputError';
  readonly kind = 'input';
  /** The event field or environment variable at fault, e.g. `operation` or `VAULT_CLUSTERS`. */
  readonly field: string;
  constructor(field: string, problem: string) {
    super(`${field}: ${problem}`, { next: null });
    this.field = field;
  }
}

/** The operation could not be done safely, so it was not started (or stopped before a change). */
export class RefusedError extends DrError {
  override readonly name: string = 'RefusedError';
  readonly kind: ErrorKind = 'refused';
}

/** Another operation holds the lease. Nothing was changed. */
export class LeaseBusyError extends RefusedError {
  override readonly name: string = 'LeaseBusyError';
  override readonly kind: ErrorKind = 'busy';
}

/** The operation started and a step failed. */
export class StepFailedError extends DrError {
  override readonly name: string = 'StepFailedError';
  readonly kind: ErrorKind = 'step-failed';
}

/** The invocation's time ran out before a step could finish (or start). */
export class DeadlineError extends StepFailedError {
  override readonly name: string = 'DeadlineError';
  override readonly kind: ErrorKind = 'deadline';
}
