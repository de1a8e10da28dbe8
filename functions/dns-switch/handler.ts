/**
 * dns-switch: moves the high-level Vault name to the cluster that answers as active primary
 * (docs/contracts.md). If no cluster, or both, answer as primary, it changes nothing and says so.
 * Invoked directly it takes the operation lease; chained from dr-operations it runs under its
 * caller's lease and within the caller's remaining time.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Route53Client } from '@aws-sdk/client-route-53';
import { awsClientOptions } from '../shared/aws-client-options';
import { readCaFile } from '../shared/ca-file';
import { describeView, nextWithPrimary, type ClusterView } from '../shared/cluster-probe';
import { Deadline, type LambdaContextLike } from '../shared/deadline';
import { InputError, LeaseBusyError, RefusedError, type NextCommand } from '../shared/errors';
import { finalizeError, lambdaError } from '../shared/failure';
import { LeaseTable } from '../shared/lease';
import { PrimaryRecordStore } from '../shared/primary-record';
import { invocationIdOf, logSteps } from '../shared/progress';
import { createLogger } from '../shared/log';
import type { ClusterRef } from '../shared/settings/clusters';
import type { Env } from '../shared/settings/variables';
import { Timeline, type TimelineEntry } from '../shared/timeline';
import { VaultClusters } from '../shared/vault-clusters';
import { chooseDnsTarget } from './choose-primary';
import { parseDnsSwitchEvent } from './event';
import { DNS_SWITCH_LOCAL_BUDGET_MS, parseDnsSwitchSettings } from './settings';
import { plannedWeights, readWeightedRecords, submitWeights, waitForInsync, weightsMatch, weightsOf } from './switch-weights';

export interface DnsSwitchAnswer {
  readonly outcome: 'succeeded' | 'no-op' | 'dry-run';
  readonly summary: string;
  readonly primary: string;
  readonly weightsBefore: Record<string, number>;
  readonly weightsAfter: Record<string, number>;
  readonly changeId?: string;
  readonly changeStatus?: string;
  readonly clusters: readonly ClusterView[];
  /**
   * On success DNS points at the one active primary (Route 53 completes a PENDING change on its
   * own): null, or, when both clusters were probed and the other may come back as a primary or is
   * not a healthy DR secondary, the link that deals with it (link with demote for one that did not
   * answer as a DR secondary).
   */
  readonly next: NextCommand | null;
  readonly timeline: readonly TimelineEntry[];
}

const FAILOVER: NextCommand = {
  function: 'dr-operations',
  event: { operation: 'failover' },
  why: 'it makes one cluster the active primary (or says why it cannot) and then moves DNS to it',
};

/** Fresh probes of the expected primary before it is judged not to be one. */
export const EXPECTED_PRIMARY_PROBES = 5;

/**
 * The cluster the caller has just seen answer as the only primary. Each probe is on a new
 * connection (the load balancer draws a node per connection): a standby learns its active node's
 * new replication mode only after a while, so right after a promotion one answer from a standby
 * may still say DR secondary. Up to EXPECTED_PRIMARY_PROBES probes, DNS_SYNC_POLL_MS apart, within
 * the deadline; the first that answers as primary ends it.
 */
async function probeExpected(clusters: VaultClusters, expected: ClusterRef, pollMs: number, deadline: Deadline): Promise<ClusterView> {
  let view = await clusters.probeOne(expected);
  for (let probe = 1; probe < EXPECTED_PRIMARY_PROBES && view.role !== 'primary' && view.reachable && deadline.remainingMs() > pollMs; probe++) {
    await deadline.sleep(pollMs);
    view = await clusters.probeFresh(expected);
  }
  return view;
}

/** The Lambda entry point. */
export async function handler(event: unknown, context?: LambdaContextLike): Promise<DnsSwitchAnswer> {
  try {
    return await switchDnsToPrimary(event, process.env, context);
  } catch (err) {
    throw lambdaError(finalizeError(err, { changed: [], clusters: [], defaultNext: null }));
  }
}

export async function switchDnsToPrimary(event: unknown, env: Env, context?: LambdaContextLike): Promise<DnsSwitchAnswer> {
  const request = parseDnsSwitchEvent(event);
  const settings = parseDnsSwitchSettings(env);
  const expected = request.expectedPrimary === undefined ? undefined : settings.clusters.find((c) => c.name === request.expectedPrimary);
  if (request.expectedPrimary !== undefined && expected === undefined) {
    throw new InputError('expectedPrimary', `must name one of the clusters (${settings.clusters.map((c) => c.name).join(', ')}), got ${JSON.stringify(request.expectedPrimary)}`);
  }
  const requestId = context?.awsRequestId ?? randomUUID();
  const invocation = invocationIdOf(context);
  const log = createLogger({ function: 'dns-switch', dryRun: request.dryRun, requestId, ...(invocation ? { invocation } : {}) }, settings.logLevel);
  const own = Deadline.forInvocation(context, settings.deadlineReserveMs, DNS_SWITCH_LOCAL_BUDGET_MS);
  const deadline = request.budgetMs === undefined ? own : own.within(request.budgetMs);
  const target = { hostedZoneId: settings.hostedZoneId, recordName: settings.recordName, recordType: settings.recordType };
  const aws = { connectTimeoutMs: settings.awsConnectTimeoutMs, requestTimeoutMs: settings.awsRequestTimeoutMs, maxAttempts: settings.awsMaxAttempts };
  const clusters = new VaultClusters(settings.clusters, settings, readCaFile(settings.caFile), deadline);
  const route53 = new Route53Client(awsClientOptions(aws, deadline));
  const dynamodb = new DynamoDBClient(awsClientOptions(aws, deadline));
  const lease = new LeaseTable(dynamodb, settings.leaseTableName, deadline);
  const primaryRecord = new PrimaryRecordStore(dynamodb, settings.leaseTableName, deadline, `dns-switch (request ${requestId})`);
  const timeline = new Timeline(logSteps(log));
  const owner = `dns-switch/${requestId}/${randomUUID()}`;
  let ownLease = false;
  let views: readonly ClusterView[] = [];
  let changed: string[] = [];
  // The event to run again: the same, without the chained-call fields (a retry takes its own lease).
  const again: NextCommand = { function: 'dns-switch', event: request.dryRun ? { dryRun: true } : {}, why: 'it moves DNS to the cluster that answers as the only active primary' };
  try {
    if (!request.dryRun) {
      if (request.leaseOwner !== undefined) {
        const held = await timeline.run('check caller\'s lease', () => lease.isHeldBy(request.leaseOwner as string), (h) => (h ? 'held' : 'not held'));
        if (!held) {
          throw new RefusedError('DNS not switched: the calling operation\'s lease is no longer held (it expired or was taken over), so another operation may be running', { next: FAILOVER });
        }
      } else {
        const got = await timeline.run('take lease', () => lease.acquire(owner, `dns-switch (request ${requestId})`, deadline.endMs), (a) => (a.acquired ? 'taken' : 'held by another'));
        if (!got.acquired) {
          const holder = got.holder;
          throw new LeaseBusyError(
            `DNS not switched: another operation is running: ${holder ? `${holder.holder}, since ${holder.acquiredAt}, until ${holder.expiresAt} at the latest` : 'its lease could not be read'}`,
            { next: { ...again, ...(holder ? { notBefore: holder.expiresAt } : {}), why: 'run it again once the other operation has ended (its lease expires at the latest then)' } },
          );
        }
        ownLease = true;
      }
    }
    // Probing and reading the records are independent: do them at once. Only a switch to whichever
    // cluster answers needs the primary record: an expected primary was chosen by its caller.
    const [probed, records, record] = await Promise.all([
      expected === undefined
        ? timeline.run('probe clusters', () => clusters.probe(), (v) => v.map(describeView).join(' | '))
        : timeline.run(`probe ${expected.name}`, async () => [await probeExpected(clusters, expected, settings.syncPollMs, deadline)], (v) => v.map(describeView).join(' | ')),
      timeline.run('read weighted records', () => readWeightedRecords(route53, target, settings.clusters, deadline), (r) => JSON.stringify(weightsOf(r))),
      expected === undefined ? timeline.run('read primary record', () => primaryRecord.read(), (r) => r?.cluster ?? 'none') : Promise.resolve(undefined),
    ]);
    views = probed;
    const before = weightsOf(records);
    const choice = chooseDnsTarget(views, expected?.name, record);
    if (choice.kind === 'refuse') {
      throw new RefusedError(`DNS not switched: ${choice.why}; the weights were left as they were (${JSON.stringify(before)})`, { next: choice.next ?? FAILOVER });
    }
    const primary = choice.primary;
    const after = plannedWeights(before, primary);
    const primaryView = views.find((v) => v.name === primary);
    const otherView = views.find((v) => v.name !== primary);
    const next = primaryView !== undefined && otherView !== undefined ? nextWithPrimary(primaryView, otherView) : null;
    const base = { primary, weightsBefore: before, weightsAfter: after, clusters: views, next };
    let answer: Omit<DnsSwitchAnswer, 'timeline'>;
    if (weightsMatch(before, after)) {
      timeline.note('change weights', 'no-op', 'already right');
      answer = { ...base, outcome: 'no-op', summary: `DNS already points at ${primary}` };
    } else if (request.dryRun) {
      timeline.note('change weights', 'planned', JSON.stringify(after));
      answer = { ...base, outcome: 'dry-run', summary: `would point DNS at ${primary}` };
    } else {
      const change = await timeline.run('change weights', () => submitWeights(route53, target, records, primary, deadline), (c) => c.changeId);
      changed = [`weights set to ${JSON.stringify(after)} (change ${change.changeId})`];
      const start = Date.now();
      const status = await waitForInsync(route53, change.changeId, settings.syncTimeoutMs, settings.syncPollMs, deadline);
      timeline.note('wait for INSYNC', status === 'INSYNC' ? 'ok' : 'timed-out', status, start);
      answer = {
        ...base,
        outcome: 'succeeded',
        summary:
          status === 'INSYNC'
            ? `DNS points at ${primary}`
            : `DNS change to ${primary} submitted, still ${status} after waiting ${Date.now() - start} ms (the wait ends at DNS_SYNC_TIMEOUT_MS, ${settings.syncTimeoutMs} ms, or with the invocation's time; Route 53 completes the change on its own)`,
        changeId: change.changeId,
        changeStatus: status,
      };
    }
    log.info(answer.summary, { weightsBefore: before, weightsAfter: answer.weightsAfter, timeline: timeline.entries });
    return { ...answer, timeline: timeline.entries };
  } catch (err) {
    const error = finalizeError(err, { changed, clusters: views.map(describeView), defaultNext: again });
    log.error('DNS switch did not complete', { error: { name: error.name, message: error.message }, timeline: timeline.entries });
    throw error;
  } finally {
    if (ownLease) await lease.release(owner).catch((err: unknown) => log.warn('could not release the lease; it expires on its own', { error: { name: (err as Error).name, message: (err as Error).message } }));
    route53.destroy();
    dynamodb.destroy();
    await clusters.close();
  }
}
