/** status: both clusters' real role, replication state, the DR token's expiry and any operation running. Read-only. */
import { assessTopology, describeView, isHealthyDrSecondary, nextWithPrimary } from '../shared/cluster-probe';
import { secondsToExpiry } from '../shared/dr-token-store';
import type { NextCommand } from '../shared/errors';
import type { LeaseHolder } from '../shared/lease';
import { findStalePrimary, splitBrainNext, stalePrimaryNext, stalePrimaryReason } from '../shared/recorded-primary';
import type { OperationContext, OperationResult } from './operation-context';
import { performanceFields, reportPerformanceSecondaries, withPerformanceNext } from './performance-follow';

export async function status(ctx: OperationContext, currentLease: () => Promise<LeaseHolder | undefined>): Promise<OperationResult> {
  const [views, token, lease, record] = await Promise.all([
    ctx.timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | ')),
    ctx.timeline.run('read DR token', () => ctx.drToken, (t) => t.kind),
    ctx.timeline.run('read lease', () => currentLease(), (l) => (l ? `held by ${l.holder} until ${l.expiresAt}` : 'free')).catch(() => undefined),
    ctx.timeline.run('read primary record', () => ctx.primaryRecord.read(), (r) => r?.cluster ?? 'none').catch(() => undefined),
  ]);
  ctx.journal.see(...views);
  const topology = assessTopology(views);
  let next: NextCommand | null = null;
  let summary: string;
  const stale = findStalePrimary(views, record);
  if (stale !== undefined) {
    summary = `STALE PRIMARY: ${stalePrimaryReason(stale)}`;
    next = stalePrimaryNext(stale);
  } else if (topology.kind === 'one-primary') {
    summary = `${topology.primary.name} is the primary; ${describeView(topology.other)}`;
    if (topology.primary.problem !== undefined) {
      summary = `${topology.primary.name} answers as the primary, but ${topology.primary.problem}; ${describeView(topology.other)}`;
    }
    // The same next command as failover and dns-switch name for this pair: an old primary that does
    // not answer may come back as one, so it gets link with demote, never silence (seed 20261207).
    next = nextWithPrimary(topology.primary, topology.other);
    if (next === null && !isHealthyDrSecondary(topology.other)) {
      next = { function: 'dr-operations', event: { operation: 'link' }, why: `re-attaches ${topology.other.name} as the DR secondary of ${topology.primary.name}` };
    }
  } else if (topology.kind === 'split-brain') {
    summary = 'SPLIT BRAIN: both clusters answer as DR primary; run link with demote to resolve it';
    next = splitBrainNext(views, record);
  } else {
    summary = `no cluster answers as an active primary: ${views.map(describeView).join('; ')}`;
    next = { function: 'dr-operations', event: { operation: 'failover' }, why: 'makes a cluster the active primary (or says why it cannot) and moves DNS to it' };
  }
  // Only a primary that nothing disputes is the one to follow (not a stale one, not in a split brain).
  const followed = stale === undefined && topology.kind === 'one-primary' ? ctx.clusters.ref(topology.primary.name) : undefined;
  const performance = await reportPerformanceSecondaries(ctx, followed);
  const lagging = performance.filter((r) => r.verdict !== 'follows');
  if (performance.length) {
    summary += lagging.length
      ? `; performance secondaries: ${lagging.map((r) => r.detail).join('; ')}`
      : `; performance secondaries ${performance.map((r) => r.name).join(', ')} follow ${followed?.name}`;
  }
  const now = ctx.now();
  return {
    outcome: 'succeeded',
    summary,
    clusters: views,
    next: withPerformanceNext(next, performance),
    ...performanceFields(performance),
    lease: lease ? { holder: lease.holder, acquiredAt: lease.acquiredAt, expiresAt: lease.expiresAt } : null,
    primaryRecord: record ?? null,
    drToken:
      token.kind === 'present'
        ? { present: true, expiresAt: token.record.expiresAt, secondsToExpiry: secondsToExpiry(token.record, now) }
        : { present: false, problem: token.reason },
  };
}
