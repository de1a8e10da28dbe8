/** The dr-operations event, parsed at the edge; every problem names its field. */
import * as v from 'valibot';
import { choice, eventObject, flag, name } from '../shared/settings/events';
import { parseInput } from '../shared/settings/variables';

export const OPERATIONS = ['status', 'failover', 'switchover', 'link'] as const;
export type OperationName = (typeof OPERATIONS)[number];

const schema = v.pipe(
  eventObject(
    {
      operation: choice(OPERATIONS),
      dryRun: flag(),
      force: flag(),
      demote: name(),
      target: name(),
    },
    { operation: `one of ${OPERATIONS.join(', ')}` },
  ),
  v.forward(
    v.check((e) => e.demote === undefined || e.operation === 'link', (issue) => `is only accepted by the link operation, not ${(issue.input as { operation: string }).operation}`),
    ['demote'],
  ),
  v.forward(
    v.check((e) => e.target === undefined || e.operation === 'failover', (issue) => `is only accepted by the failover operation, not ${(issue.input as { operation: string }).operation}`),
    ['target'],
  ),
);

export interface OperationRequest {
  readonly operation: OperationName;
  /** Probe and check everything, change nothing, say what would be done. */
  readonly dryRun: boolean;
  /**
   * Skip the checks that stand between a doubt and a change: a DR secondary that is not healthy,
   * a primary that still answers, or the confirmation that a primary is down.
   */
  readonly force: boolean;
  /** link only, and only in a split brain: the cluster to demote and re-attach. */
  readonly demote: string | undefined;
  /** failover only: the cluster to promote, when the operator chooses (e.g. both clusters are DR secondaries). */
  readonly target: string | undefined;
}

export function parseOperationEvent(event: unknown): OperationRequest {
  const e = parseInput(schema, event);
  return { operation: e.operation, dryRun: e.dryRun, force: e.force, demote: e.demote, target: e.target };
}
