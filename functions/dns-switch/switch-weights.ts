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
import { StepFailedError } from '../shared/errors';
import type { ClusterRef } from '../shared/vault-config';

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
          'the weighted records must use the cluster names of VAULT_CLUSTERS as set identifiers. Nothing was changed.',
      );
    }
    if (set.Weight === undefined) throw new StepFailedError(`record ${fqdn(target.recordName)} (${cluster.name}) is not a weighted record. Nothing was changed.`);
  }
  return found;
}

export function weightsOf(records: Map<string, ResourceRecordSet>): Record<string, number> {
  return Object.fromEntries([...records].map(([name, set]) => [name, set.Weight ?? 0]));
}

/** Submits both weights in one batch and returns the change id. */
export async function submitWeights(
  route53: Route53Client,
  target: DnsTarget,
  records: Map<string, ResourceRecordSet>,
  primaryName: string,
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
  );
  const changeId = out.ChangeInfo?.Id;
  if (!changeId) throw new StepFailedError('Route 53 accepted the change but returned no change id');
  return { changeId, status: out.ChangeInfo?.Status ?? 'PENDING' };
}

/** Polls GetChange until INSYNC or the bound; returns the last status seen. */
export async function waitForInsync(route53: Route53Client, changeId: string, timeoutMs: number, pollMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const out = await route53.send(new GetChangeCommand({ Id: changeId }));
    const status = out.ChangeInfo?.Status ?? 'PENDING';
    if (status === 'INSYNC' || Date.now() + pollMs > deadline) return status;
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
