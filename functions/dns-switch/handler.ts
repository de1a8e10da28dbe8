/**
 * dns-switch: moves the high-level Vault name to the cluster that answers as active primary
 * (docs/contracts.md). If no cluster, or both, answer as primary, it changes nothing and says so.
 */
import { Route53Client } from '@aws-sdk/client-route-53';
import { awsClientOptions } from '../shared/aws-client-options';
import { assessTopology, describeView, type ClusterView } from '../shared/cluster-probe';
import { optionalInteger, optionalString, requiredString, type Env } from '../shared/env';
import { InputError, RefusedError } from '../shared/errors';
import { eventObject, optionalBoolean, optionalText } from '../shared/event-fields';
import { createLogger } from '../shared/log';
import { Timeline, type TimelineEntry } from '../shared/timeline';
import { readVaultSettings } from '../shared/vault-config';
import { VaultClusters } from '../shared/vault-clusters';
import { PRIMARY_WEIGHT, SECONDARY_WEIGHT, readWeightedRecords, submitWeights, waitForInsync, weightsOf } from './switch-weights';

export interface DnsSwitchAnswer {
  readonly outcome: 'succeeded' | 'no-op' | 'dry-run';
  readonly summary: string;
  readonly primary: string;
  readonly weightsBefore: Record<string, number>;
  readonly weightsAfter: Record<string, number>;
  readonly changeId?: string;
  readonly changeStatus?: string;
  readonly clusters: readonly ClusterView[];
  readonly timeline: readonly TimelineEntry[];
}

/**
 * The cluster DNS must point at. Without an expected primary, both clusters were probed and exactly
 * one must answer as active primary. With one (dr-operations passes the cluster it has just
 * promoted, having probed both itself a moment earlier), only that cluster was probed, so a dead
 * old primary does not cost the failover a second probe timeout; it must still answer as primary.
 */
function choosePrimary(views: readonly ClusterView[], expected: string | undefined, weights: Record<string, number>): string {
  const refuse = (why: string): never => {
    throw new RefusedError(`DNS not switched: ${why}; the weights were left as they were (${JSON.stringify(weights)}). Clusters: ${views.map(describeView).join('; ')}`);
  };
  if (expected !== undefined) {
    const view = views[0] as ClusterView;
    return view.role === 'primary' ? expected : refuse(`${expected} was expected to be the active primary but answers as ${view.role}`);
  }
  const topology = assessTopology(views as [ClusterView, ClusterView]);
  if (topology.kind === 'split-brain') return refuse('both clusters answer as active primary (split brain)');
  if (topology.kind === 'no-primary') return refuse('no cluster answers as active primary');
  return topology.primary.name;
}

/** The Lambda entry point. */
export async function handler(event: unknown): Promise<DnsSwitchAnswer> {
  return switchDnsToPrimary(event, process.env);
}

export async function switchDnsToPrimary(event: unknown, env: Env): Promise<DnsSwitchAnswer> {
  const fields = eventObject(event, ['dryRun', 'expectedPrimary'], true);
  const dryRun = optionalBoolean(fields, 'dryRun');
  const expectedPrimary = optionalText(fields, 'expectedPrimary');
  const log = createLogger({ function: 'dns-switch', dryRun });
  const target = {
    hostedZoneId: requiredString(env, 'HOSTED_ZONE_ID').replace(/^\/hostedzone\//, ''),
    recordName: requiredString(env, 'DNS_RECORD_NAME'),
    recordType: optionalString(env, 'DNS_RECORD_TYPE') ?? 'CNAME',
  };
  const syncTimeoutMs = optionalInteger(env, 'DNS_SYNC_TIMEOUT_MS', 30_000, { min: 0, max: 600_000 });
  const syncPollMs = optionalInteger(env, 'DNS_SYNC_POLL_MS', 1000, { min: 10, max: 60_000 });
  const clusters = new VaultClusters(readVaultSettings(env));
  const expected = expectedPrimary === undefined ? undefined : clusters.refs.find((c) => c.name === expectedPrimary);
  if (expectedPrimary !== undefined && expected === undefined) {
    throw new InputError('expectedPrimary', `must name one of the clusters (${clusters.refs.map((c) => c.name).join(', ')}), got ${JSON.stringify(expectedPrimary)}`);
  }
  const route53 = new Route53Client(awsClientOptions(env));
  const timeline = new Timeline();
  try {
    // Probing and reading the records are independent: do both at once.
    const [views, records] = await Promise.all([
      expected === undefined
        ? timeline.run('probe clusters', () => clusters.probe(), (v) => v.map(describeView).join(' | '))
        : timeline.run(`probe ${expected.name}`, async () => [await clusters.probeOne(expected)], (v) => v.map(describeView).join(' | ')),
      timeline.run('read weighted records', () => readWeightedRecords(route53, target, clusters.refs), (r) => JSON.stringify(weightsOf(r))),
    ]);
    const primary = choosePrimary(views, expected?.name, weightsOf(records));
    const before = weightsOf(records);
    const after = Object.fromEntries(Object.keys(before).map((name) => [name, name === primary ? PRIMARY_WEIGHT : SECONDARY_WEIGHT]));
    const base = { primary, weightsBefore: before, weightsAfter: after, clusters: views };
    let answer: Omit<DnsSwitchAnswer, 'timeline'>;
    if (Object.keys(before).every((name) => before[name] === after[name])) {
      timeline.note('change weights', 'no-op', 'already right');
      answer = { ...base, outcome: 'no-op', summary: `DNS already points at ${primary}` };
    } else if (dryRun) {
      timeline.note('change weights', 'planned', JSON.stringify(after));
      answer = { ...base, outcome: 'dry-run', summary: `would point DNS at ${primary}` };
    } else {
      const change = await timeline.run('change weights', () => submitWeights(route53, target, records, primary), (c) => c.changeId);
      const start = Date.now();
      const status = await waitForInsync(route53, change.changeId, syncTimeoutMs, syncPollMs);
      timeline.note('wait for INSYNC', status === 'INSYNC' ? 'ok' : 'timed-out', status, start);
      answer = {
        ...base,
        outcome: 'succeeded',
        summary: status === 'INSYNC' ? `DNS points at ${primary}` : `DNS change to ${primary} submitted, still ${status} after ${syncTimeoutMs} ms (Route 53 completes it on its own)`,
        changeId: change.changeId,
        changeStatus: status,
      };
    }
    log.info(answer.summary, { weightsBefore: before, weightsAfter: answer.weightsAfter, timeline: timeline.entries });
    return { ...answer, timeline: timeline.entries };
  } catch (err) {
    log.error('DNS switch did not complete', { error: err, timeline: timeline.entries });
    throw err;
  } finally {
    route53.destroy();
    await clusters.close();
  }
}
