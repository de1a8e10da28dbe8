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
      v.string('must be a string: a Vault token of the cluster that becomes the DR secondary (its value is never shown)'),
      v.trim(),
      v.minLength(1, 'must not be empty'),
    ),
  );

const onlyBy = (operation: OperationName, input: unknown): string =>
  `is only accepted by the ${operation} operation, not ${(input as { operation: string }).operation}`;

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
   * bootstrap only: a token of the cluster that becomes the DR secondary, used for this invocation
   * only (never stored, logged or returned): before replication the functions have no role there.
   */
  readonly secondaryToken?: Secret | undefined;
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
  };
}
