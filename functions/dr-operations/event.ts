/** The dr-operations event, parsed at the edge; every problem names its field. */
import * as v from 'valibot';
import { Secret } from '../shared/secret';
import { choice, eventObject, flag, name } from '../shared/settings/events';
import { parseInput } from '../shared/settings/variables';

export const OPERATIONS = ['status', 'failover', 'switchover', 'link', 'bootstrap'] as const;
export type OperationName = (typeof OPERATIONS)[number];

/** A credential field: its messages never repeat what was sent. */
const secretText = () =>
  v.optional(
    v.pipe(
      v.string('must be a string: a Vault token of the cluster that becomes the (DR or performance) secondary (its value is never shown)'),
      v.trim(),
      v.minLength(1, 'must not be empty'),
    ),
  );

const onlyBy = (operation: OperationName, input: unknown): string =>
  `is only accepted by the ${operation} operation, not ${(input as { operation: string }).operation}`;

/** What a next command shows where the operator puts a break-glass token again (never the token). */
export const BREAK_GLASS_TOKEN_PLACEHOLDER = '<DR operation token>';

/** Longest `reason` kept: it is logged and returned, so it stays a paragraph, not a document. */
export const REASON_MAX_LENGTH = 4096;

const reason = () =>
  v.optional(
    v.pipe(
      v.string((issue) => `must be a string (why this operation is run), got ${typeof issue.input}`),
      v.trim(),
      v.minLength(1, 'must be a non-empty string when given'),
      v.maxLength(REASON_MAX_LENGTH, `must be at most ${REASON_MAX_LENGTH} characters`),
    ),
  );

/**
 * A DR operation token given for this invocation only (break glass). Its messages never quote the
 * input: a wrong value may still be a credential.
 */
const operationToken = () =>
  v.optional(
    v.pipe(
      v.string('must be a string: the DR operation token (its value is not repeated here)'),
      v.check((t) => t.length > 0 && t.length <= 512 && !/\s/.test(t), 'must be one token of 1 to 512 characters without spaces (its value is not repeated here)'),
      v.transform((t) => new Secret(t)),
    ),
  );

const schema = v.pipe(
  eventObject(
    {
      operation: choice(OPERATIONS),
      dryRun: flag(),
      force: flag(),
      demote: name(),
      target: name(),
      primary: name(),
      secondaryToken: secretText(),
      reason: reason(),
      drOperationToken: operationToken(),
      performanceSecondary: name(),
    },
    { operation: `one of ${OPERATIONS.join(', ')}` },
  ),
  v.forward(
    v.check((e) => e.demote === undefined || e.operation === 'link', (issue) => onlyBy('link', issue.input)),
    ['demote'],
  ),
  v.forward(
    v.check((e) => e.target === undefined || e.operation === 'failover', (issue) => onlyBy('failover', issue.input)),
    ['target'],
  ),
  v.forward(
    v.check((e) => e.primary === undefined || e.operation === 'bootstrap', (issue) => onlyBy('bootstrap', issue.input)),
    ['primary'],
  ),
  v.forward(
    v.check((e) => e.secondaryToken === undefined || e.operation === 'bootstrap', (issue) => onlyBy('bootstrap', issue.input)),
    ['secondaryToken'],
  ),
  v.forward(
    v.check(
      (e) => e.performanceSecondary === undefined || e.operation === 'link' || e.operation === 'bootstrap',
      (issue) => `is only accepted by the link operation (and by bootstrap), not ${(issue.input as { operation: string }).operation}`,
    ),
    ['performanceSecondary'],
  ),
  v.forward(
    v.check(
      (e) => e.performanceSecondary === undefined || e.operation !== 'link' || (e.demote === undefined && e.force === false && e.drOperationToken === undefined),
      'is a link of its own: it re-points that performance secondary only (with an ordinary token, never a DR operation token), so leave out demote, force and drOperationToken',
    ),
    ['performanceSecondary'],
  ),
  v.forward(
    v.check(
      (e) => e.performanceSecondary === undefined || e.operation !== 'bootstrap' || e.primary === undefined,
      'makes that cluster a performance secondary of the current DR primary, which the clusters\' answers name: leave out primary',
    ),
    ['performanceSecondary'],
  ),
  v.forward(
    v.check(
      (e) => e.drOperationToken === undefined || (e.operation !== 'status' && e.operation !== 'bootstrap'),
      'is only accepted by failover, switchover and link (status and bootstrap use no DR operation token); leave it out',
    ),
    ['drOperationToken'],
  ),
);

export interface OperationRequest {
  readonly operation: OperationName;
  /** Probe and check everything, change nothing, say what would be done. */
  readonly dryRun: boolean;
  /**
   * Skip the checks that stand between a doubt and a change: a DR secondary that is not healthy,
   * a primary that still answers, or the confirmation that a primary is down. For bootstrap: a
   * would-be secondary that holds data or replicates from another primary.
   */
  readonly force: boolean;
  /** link only, and only in a split brain: the cluster to demote and re-attach. */
  readonly demote: string | undefined;
  /** failover only: the cluster to promote, when the operator chooses (e.g. both clusters are DR secondaries). */
  readonly target: string | undefined;
  /** bootstrap only: the cluster that is (or becomes) the DR primary, when the clusters' answers do not tell. */
  readonly primary?: string | undefined;
  /**
   * bootstrap only: a token of the cluster that becomes the DR secondary (or, with
   * `performanceSecondary`, the performance secondary), used for this invocation only (never
   * stored, logged or returned): before replication the functions have no role there.
   */
  readonly secondaryToken?: Secret | undefined;
  /** Why this operation runs (an operator's ticket, the watchdog's evidence): logged and returned. */
  readonly reason: string | undefined;
  /**
   * A DR operation token for this invocation only (break glass: generated on the DR secondary from
   * the recovery keys when the stored batch token has expired). Used instead of the stored token
   * for the DR secondary operations (promote, update-primary); never stored, logged or returned.
   */
  readonly drOperationToken: Secret | undefined;
  /**
   * link and bootstrap: the performance secondary (a `VAULT_PERFORMANCE_SECONDARIES` name). link
   * points it at the active primary (update-primary with this function's own login there);
   * bootstrap enables it as a performance secondary of the current DR primary (with
   * `secondaryToken`, a token of that cluster). Either leaves the DR pair as it is.
   */
  readonly performanceSecondary?: string | undefined;
}

export function parseOperationEvent(event: unknown): OperationRequest {
  const e = parseInput(schema, event);
  return {
    operation: e.operation,
    dryRun: e.dryRun,
    force: e.force,
    demote: e.demote,
    target: e.target,
    primary: e.primary,
    secondaryToken: e.secondaryToken === undefined ? undefined : new Secret(e.secondaryToken),
    reason: e.reason,
    drOperationToken: e.drOperationToken,
    ...(e.performanceSecondary === undefined ? {} : { performanceSecondary: e.performanceSecondary }),
  };
}
