/** status: both clusters' real role, replication state and the DR token's expiry. Read-only. */
import { assessTopology, describeView } from '../shared/cluster-probe';
import { secondsToExpiry } from '../shared/dr-token-store';
import type { OperationContext, OperationResult } from './operation-context';

export async function status(ctx: OperationContext): Promise<OperationResult> {
  const [views, token] = await Promise.all([
    ctx.timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | ')),
    ctx.timeline.run('read DR token', () => ctx.drToken, (t) => t.kind),
  ]);
  const topology = assessTopology(views);
  const summary =
    topology.kind === 'one-primary'
      ? `${topology.primary.name} is the primary; ${describeView(topology.other)}`
      : topology.kind === 'split-brain'
        ? 'SPLIT BRAIN: both clusters answer as DR primary; run link with demote to resolve it'
        : `no cluster answers as an active primary: ${views.map(describeView).join('; ')}`;
  const now = ctx.now();
  return {
    outcome: 'succeeded',
    summary,
    clusters: views,
    drToken:
      token.kind === 'present'
        ? { present: true, expiresAt: token.record.expiresAt, secondsToExpiry: secondsToExpiry(token.record, now) }
        : { present: false, problem: token.reason },
  };
}
