/**
 * The replication changes an operation is made of, each with its wait for the cluster to reach
 * its new role. Waits are bounded by VAULT_PROMOTION_TIMEOUT_MS; a step that times out throws.
 */
import { type ClusterView, describeView } from '../shared/cluster-probe';
import { RefusedError, StepFailedError } from '../shared/errors';
import { unusableReason } from '../shared/dr-token-store';
import { VaultApiError } from '../shared/vault-api';
import { VaultUnreachableError } from '../shared/vault-http';
import type { ClusterRef } from '../shared/vault-config';
import type { OperationContext } from './operation-context';

/** The DR batch token, or a refusal that says why it cannot be used. */
export async function usableDrToken(ctx: OperationContext): Promise<string> {
  const lookup = await ctx.drToken;
  const problem = unusableReason(lookup, ctx.settings.minTokenRemainingSeconds, ctx.now());
  if (problem !== undefined || lookup.kind !== 'present') throw new RefusedError(`${problem}. Nothing was changed.`);
  return lookup.record.token;
}

/** Probes `cluster` until `done` holds, for at most the promotion timeout. */
export async function waitForRole(
  ctx: OperationContext,
  cluster: ClusterRef,
  what: string,
  done: (view: ClusterView) => boolean,
): Promise<ClusterView> {
  const deadline = Date.now() + ctx.settings.promotionTimeoutMs;
  let last: ClusterView | undefined;
  for (;;) {
    last = await ctx.clusters.probeOne(cluster);
    if (done(last)) return last;
    if (Date.now() + ctx.settings.pollMs > deadline) break;
    await new Promise((r) => setTimeout(r, ctx.settings.pollMs));
  }
  throw new StepFailedError(`${cluster.name} did not become ${what} within ${ctx.settings.promotionTimeoutMs} ms (last seen: ${describeView(last)})`);
}

export const isActivePrimary = (v: ClusterView): boolean => v.role === 'primary';
export const isDrSecondary = (v: ClusterView): boolean => v.role === 'dr-secondary';

export interface Promotion {
  /** False when a concurrent invocation had already started this promotion. */
  readonly byThisInvocation: boolean;
  /** The cluster as it answered once active. */
  readonly view: ClusterView;
}

/**
 * Promotes a DR secondary and waits until it answers as active primary. If the promote call is
 * refused because the cluster is already promoting or promoted (a concurrent invocation got there
 * first), this waits for that promotion instead of starting another.
 */
export async function promote(ctx: OperationContext, target: ClusterRef, drToken: string, force: boolean): Promise<Promotion> {
  let byThisInvocation = true;
  await ctx.timeline.run(
    `promote ${target.name}`,
    async () => {
      try {
        await ctx.clusters.api(target).promote(drToken, { force, primaryClusterAddr: target.clusterAddress });
      } catch (err) {
        // Refused as already promoting (a concurrent invocation), or sent without an answer (it may
        // have been applied): either way, look at the cluster before calling it a failure.
        const ambiguous = (err instanceof VaultApiError && err.status === 400) || (err instanceof VaultUnreachableError && err.sent);
        if (!ambiguous) throw err;
        const now = await ctx.clusters.probeOne(target);
        if (now.role !== 'no-leader' && now.role !== 'primary') throw err;
        byThisInvocation = false;
      }
    },
    () => (byThisInvocation ? (force ? 'with force' : undefined) : 'already being promoted (another invocation, or an answer lost in transit)'),
  );
  const view = await ctx.timeline.run(`wait for ${target.name} to be active primary`, () =>
    waitForRole(ctx, target, 'an active DR primary', isActivePrimary),
  );
  return { byThisInvocation, view };
}

/**
 * After `operation` demoted `oldPrimary` and then failed to promote the other cluster: promotes the
 * old primary back so that a cluster serves again, and throws saying what happened.
 */
export async function promoteBack(ctx: OperationContext, oldPrimary: ClusterRef, drToken: string, operation: string, cause: Error): Promise<never> {
  try {
    await promote(ctx, oldPrimary, drToken, false);
  } catch (rollbackErr) {
    throw new StepFailedError(
      `${operation} failed (${cause.message}) and promoting ${oldPrimary.name} back also failed (${(rollbackErr as Error).message}): NO cluster is primary. Run failover to promote one.`,
    );
  }
  throw new StepFailedError(`${operation} failed (${cause.message}); ${oldPrimary.name} was promoted back and is primary again`);
}

/** Demotes a DR primary and waits until it answers as a DR secondary (waiting for update-primary). */
export async function demote(ctx: OperationContext, target: ClusterRef, drToken: string): Promise<ClusterView> {
  await ctx.timeline.run(`demote ${target.name}`, () => ctx.clusters.api(target).demote(drToken));
  return ctx.timeline.run(`wait for ${target.name} to be DR secondary`, () => waitForRole(ctx, target, 'a DR secondary', isDrSecondary));
}

/**
 * Attaches `secondary` (a DR secondary: demoted, or stale) to `primary`: generate-public-key on the
 * secondary, secondary-token on the primary, update-primary on the secondary (HashiCorp's order).
 * Returns a warning when replication has not reached stream-wals within the bound; the link itself
 * is then in place and Vault keeps syncing.
 */
export async function relink(ctx: OperationContext, primary: ClusterRef, secondary: ClusterRef, drToken: string): Promise<string | undefined> {
  const { timeline, clusters } = ctx;
  const publicKey = await timeline.run(`generate public key on ${secondary.name}`, () => clusters.api(secondary).generatePublicKey(drToken));
  // Secondary ids must be unique on the primary; the name keeps them readable in dr/status.
  const id = `${secondary.name}-${ctx.now().getTime().toString(36)}`;
  const activation = await timeline.run(
    `issue activation token on ${primary.name}`,
    () => clusters.api(primary).secondaryToken(drToken, id, publicKey, '30m'),
    () => `secondary id ${id}`,
  );
  await timeline.run(`update primary of ${secondary.name}`, () => clusters.api(secondary).updatePrimary(drToken, activation, primary.address), () => `now follows ${primary.name}`);
  try {
    await timeline.run(`wait for ${secondary.name} to stream from ${primary.name}`, () =>
      waitForRole(ctx, secondary, 'a streaming DR secondary', (v) => v.role === 'dr-secondary' && v.drState === 'stream-wals'),
    );
    return undefined;
  } catch (err) {
    if (!(err instanceof StepFailedError)) throw err;
    return `${secondary.name} is linked to ${primary.name} but not streaming yet: ${err.message}`;
  }
}
