/**
 * Points the high-level Vault name at the real primary: its weighted record to 255, the other's to
 * 0, in ONE ChangeResourceRecordSets batch. Route 53 applies a batch atomically; two calls would
 * leave a moment with both weights at 0, which Route 53 answers by splitting traffic evenly.
 */
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  ListResourceRecordSetsCommand,
  type ListResourceRecordSetsCommandOutput,
  type ResourceRecordSet,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { untilDeadline } from '../shared/aws-client-options';
import type { Deadline } from '../shared/deadline';
import { StepFailedError } from '../shared/errors';
import type { ClusterRef } from '../shared/settings/clusters';

export const PRIMARY_WEIGHT = 255;
export const SECONDARY_WEIGHT = 0;

export interface DnsTarget {
  readonly hostedZoneId: string;
  /** The high-level name, as an FQDN with or without the final dot. */
  readonly recordName: string;
  readonly recordType: string;
}

const fqdn = (name: string): string => `${name.toLowerCase().replace(/\.$/, '')}.`;

/** The weighted record of each cluster (set identifier = cluster name); throws when one is missing. */
export async function readWeightedRecords(
  route53: Route53Client,
  target: DnsTarget,
  clusters: readonly ClusterRef[],
  deadline: Deadline,
): Promise<Map<string, ResourceRecordSet>> {
  const wanted = new Set(clusters.map((c) => c.name));
  const found = new Map<string, ResourceRecordSet>();
  let start: { name: string; type: string; identifier?: string } | undefined = { name: fqdn(target.recordName), type: target.recordType };
  // The records of one name and type are contiguous in Route 53's order; stop once past them.
  while (start) {
    const page: ListResourceRecordSetsCommandOutput = await route53.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: target.hostedZoneId,
        StartRecordName: start.name,
        StartRecordType: start.type as never,
        ...(start.identifier ? { StartRecordIdentifier: start.identifier } : {}),
        MaxItems: 20,
      }),
      untilDeadline(deadline),
    );
    let pastTarget = false;
    for (const set of page.ResourceRecordSets ?? []) {
      if (fqdn(set.Name ?? '') !== fqdn(target.recordName) || set.Type !== target.recordType) {
        pastTarget = true;
        break;
      }
      if (set.SetIdentifier !== undefined && wanted.has(set.SetIdentifier)) found.set(set.SetIdentifier, set);
    }
    start = !pastTarget && page.IsTruncated && page.NextRecordName
      ? { name: page.NextRecordName, type: page.NextRecordType ?? target.recordType, ...(page.NextRecordIdentifier ? { identifier: page.NextRecordIdentifier } : {}) }
      : undefined;
  }
  for (const cluster of clusters) {
    const set = found.get(cluster.name);
    if (!set) {
      throw new StepFailedError(
        `hosted zone ${target.hostedZoneId} has no ${target.recordType} record ${fqdn(target.recordName)} with set identifier ${JSON.stringify(cluster.name)}; ` +
          'the weighted records must use the cluster names of VAULT_CLUSTERS as set identifiers',
        { next: null },
      );
    }
    if (set.Weight === undefined) throw new StepFailedError(`record ${fqdn(target.recordName)} (${cluster.name}) is not a weighted record`, { next: null });
  }
  return found;
}

export function weightsOf(records: Map<string, ResourceRecordSet>): Record<string, number> {
  return Object.fromEntries([...records].map(([name, set]) => [name, set.Weight ?? 0]));
}

/** The weights that point the name at `primary`: it gets 255, every other cluster 0. */
export function plannedWeights(before: Readonly<Record<string, number>>, primary: string): Record<string, number> {
  return Object.fromEntries(Object.keys(before).map((name) => [name, name === primary ? PRIMARY_WEIGHT : SECONDARY_WEIGHT]));
}

/** True when every weight already has its planned value (no change call is made). */
export function weightsMatch(before: Readonly<Record<string, number>>, after: Readonly<Record<string, number>>): boolean {
  const names = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...names].every((name) => before[name] === after[name]);
}

/** Submits both weights in one batch and returns the change id. */
export async function submitWeights(
  route53: Route53Client,
  target: DnsTarget,
  records: Map<string, ResourceRecordSet>,
  primaryName: string,
  deadline: Deadline,
): Promise<{ changeId: string; status: string }> {
  const changes = [...records].map(([name, set]) => ({
    Action: 'UPSERT' as const,
    ResourceRecordSet: { ...set, Weight: name === primaryName ? PRIMARY_WEIGHT : SECONDARY_WEIGHT },
  }));
  const out = await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: target.hostedZoneId,
      ChangeBatch: { Comment: `vault-dr dns-switch: ${primaryName} is the primary`, Changes: changes },
    }),
    untilDeadline(deadline),
  );
  const changeId = out.ChangeInfo?.Id;
  if (!changeId) throw new StepFailedError('Route 53 accepted the change but returned no change id');
  return { changeId, status: out.ChangeInfo?.Status ?? 'PENDING' };
}

/**
 * Polls GetChange until INSYNC, `timeoutMs`, or the invocation's deadline; returns the last status
 * seen. The change itself is already applied by Route 53: a wait cut short loses nothing.
 */
export async function waitForInsync(route53: Route53Client, changeId: string, timeoutMs: number, pollMs: number, deadline: Deadline): Promise<string> {
  const until = Date.now() + timeoutMs;
  let status = 'PENDING';
  for (;;) {
    try {
      const out = await route53.send(new GetChangeCommand({ Id: changeId }), untilDeadline(deadline));
      status = out.ChangeInfo?.Status ?? 'PENDING';
    } catch (err) {
      // Out of time (or GetChange failing): the change stands; report what was last seen.
      if (deadline.expired()) return status;
      throw err;
    }
    if (status === 'INSYNC' || Date.now() + pollMs > until || deadline.remainingMs() < pollMs) return status;
    await deadline.sleep(pollMs);
  }
}
