/** The dns-switch event, parsed at the edge; every problem names its field. */
import * as v from 'valibot';
import { eventObject, flag, name, orEmpty } from '../shared/settings/events';
import { parseInput } from '../shared/settings/variables';

const schema = orEmpty(
  v.pipe(
    eventObject({
      dryRun: flag(),
      expectedPrimary: name(),
      leaseOwner: name(),
      budgetMs: v.optional(
        v.pipe(
          v.number((issue) => `must be a whole number of ms, got ${JSON.stringify(issue.input)}`),
          v.integer((issue) => `must be a whole number of ms, got ${issue.input}`),
          v.minValue(0, (issue) => `must be a whole number of ms, at least 0, got ${issue.input}`),
        ),
      ),
    }),
    v.forward(
      v.check((e) => e.leaseOwner === undefined || e.expectedPrimary !== undefined, 'is only sent by dr-operations, with expectedPrimary'),
      ['leaseOwner'],
    ),
  ),
);

export interface DnsSwitchRequest {
  readonly dryRun: boolean;
  /**
   * The cluster the caller has just seen answer as the only primary: only that cluster is probed
   * (a dead old primary costs no second probe timeout) and it must answer as primary.
   */
  readonly expectedPrimary: string | undefined;
  /** The caller's lease owner: this invocation runs under that lease instead of taking its own. */
  readonly leaseOwner: string | undefined;
  /** What is left of the caller's time for this call, in ms. */
  readonly budgetMs: number | undefined;
}

export function parseDnsSwitchEvent(event: unknown): DnsSwitchRequest {
  const e = parseInput(schema, event);
  return { dryRun: e.dryRun, expectedPrimary: e.expectedPrimary, leaseOwner: e.leaseOwner, budgetMs: e.budgetMs };
}
