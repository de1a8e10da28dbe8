/**
 * The replication changes an operation is made of, each with its wait for the cluster to reach its
 * new role, each bounded by VAULT_PROMOTION_TIMEOUT_MS and the invocation's deadline, each recorded
 * in the journal when it takes effect.
 *
 * Tokens: on a DR secondary (promote, update-primary) the stored batch DR operation token, the only
 * credential Vault accepts there; on a primary (demote, secondary-token) this function's own
 * short-lived AWS IAM login to that primary, made at the moment of need. generate-public-key takes
 * no token.
 */
import { type ClusterView, describeView } from '../shared/cluster-probe';
import { RefusedError, StepFailedError } from '../shared/errors';
import { unusableReason } from '../shared/dr-token-store';
import type { Secret } from '../shared/secret';
import type { ClusterRef } from '../shared/settings/clusters';
import type { OperationContext } from './operation-context';
import { classifyPromoteFailure, targetStateAfterPromote } from './promote-outcome';

/**
 * The DR operation token for the DR secondary operations of this invocation: the break-glass token
 * the event gave (used as given: Vault refuses it if it is not valid), else the stored batch token,
 * or a refusal that says why it cannot be used.
 */
export async function usableDrToken(ctx: OperationContext): Promise<Secret> {
  if (ctx.request.drOperationToken !== undefined) return ctx.request.drOperationToken;
  const lookup = await ctx.drToken;
  const problem = unusableReason(lookup, ctx.settings.minTokenRemainingSeconds, ctx.now());
  if (problem !== undefined || lookup.kind !== 'present') {
    throw new RefusedError(problem ?? 'the DR operation token is missing', {
      next: { function: 'dr-token-generator', event: {}, why: 'it stores a fresh DR token (it needs a reachable primary); then run this operation again' },
    });
  }
  return lookup.record.token;
}

/** The wait ended (bound or deadline) before the cluster reached the role. */
export class WaitTimedOutError extends StepFailedError {
  override readonly name = 'WaitTimedOutError';
  constructor(
    reason: string,
    readonly last: ClusterView | undefined,
  ) {
    super(reason);
  }
}

/** Probes `cluster` until `done` holds, for at most the promotion timeout (and the deadline). */
export async function waitForRole(
  ctx: OperationContext,
  cluster: ClusterRef,
  what: string,
  done: (view: ClusterView) => boolean,
): Promise<ClusterView> {
  const allowed = ctx.deadline.bound(ctx.settings.promotionTimeoutMs);
  const until = Date.now() + allowed;
  let last: ClusterView | undefined;
  for (;;) {
    last = await ctx.clusters.probeOne(cluster);
    ctx.journal.see(last);
    if (done(last)) return last;
    if (Date.now() + ctx.settings.pollMs > until || ctx.deadline.expired()) break;
    await ctx.deadline.sleep(ctx.settings.pollMs);
  }
  // The wait was cut by the deadline when less than the promotion timeout was left for it.
  const bound = allowed < ctx.settings.promotionTimeoutMs ? 'before the invocation ran out of time' : `within ${ctx.settings.promotionTimeoutMs} ms`;
  throw new WaitTimedOutError(`${cluster.name} did not become ${what} ${bound} (last seen: ${describeView(last)})`, last);
}

export const isActivePrimary = (v: ClusterView): boolean => v.role === 'primary';
export const isDrSecondary = (v: ClusterView): boolean => v.role === 'dr-secondary';

/** The promote was certainly not applied: the target is still a DR secondary. */
export class PromotionNotDoneError extends StepFailedError {
  override readonly name = 'PromotionNotDoneError';
}

/** Whether the promote was applied cannot be known within the bounds. */
export class PromotionUnknownError extends StepFailedError {
  override readonly name = 'PromotionUnknownError';
}

export interface Promotion {
  /** False when the cluster was found promoting or promoted without this call's answer (lost, or a concurrent promote). */
  readonly byThisInvocation: boolean;
  /** The cluster as it answered once active. */
  readonly view: ClusterView;
}

/**
 * Promotes a DR secondary and waits until it answers as active primary. When the call fails in a
 * way that may have reached the cluster, the cluster's state is found out first: promoting or
 * primary means continue with it; certainly still a DR secondary throws PromotionNotDoneError;
 * anything else throws PromotionUnknownError. Never a second promote of the same cluster.
 */
export async function promote(ctx: OperationContext, target: ClusterRef, drToken: Secret, force: boolean): Promise<Promotion> {
  const { timeline, journal, clusters } = ctx;
  let byThisInvocation = true;
  let failure: unknown;
  // Before the request: a promote whose answer is lost may still take effect.
  const replaced = await timeline.run(`record ${target.name} as the primary`, () => ctx.primaryRecord.write(target.name), (r) => `was ${r?.cluster ?? 'none'}`);
  const notDone = async (reason: string): Promise<never> => {
    await timeline.run('put the primary record back', () => ctx.primaryRecord.restore(replaced), () => replaced?.cluster ?? 'none').catch(() => undefined);
    throw new PromotionNotDoneError(reason);
  };
  await timeline
    .run(`promote ${target.name}`, () => clusters.api(target).promote(drToken, { force, primaryClusterAddr: target.clusterAddress }), () => (force ? 'with force' : undefined))
    .catch((err: unknown) => (failure = err));
  if (failure === undefined) {
    journal.change(`promote of ${target.name} accepted`);
  } else {
    const kind = classifyPromoteFailure(failure);
    const cause = (failure as Error).message;
    if (kind !== 'ambiguous') return notDone(`${target.name} was not promoted: ${cause}`);
    byThisInvocation = false;
    const state = await timeline.run(
      `find out whether ${target.name} was promoted`,
      () => discoverPromotion(ctx, target),
      (s) => s,
    );
    if (state === 'secondary') return notDone(`${target.name} was not promoted (${cause}); it still answers as a DR secondary`);
    if (state === 'unknown') {
      throw new PromotionUnknownError(`the promote of ${target.name} got no clear answer (${cause}) and its state could not be found out in time, so it may have accepted the promote`);
    }
    journal.change(`${target.name} found ${state === 'primary' ? 'promoted' : 'promoting'} after a promote without a clear answer`);
  }
  try {
    const view = await timeline.run(`wait for ${target.name} to be active primary`, () => waitForRole(ctx, target, 'an active DR primary', isActivePrimary));
    return { byThisInvocation, view };
  } catch (err) {
    if (err instanceof WaitTimedOutError) {
      throw new StepFailedError(`${target.name} accepted the promote but is not active yet: ${err.message}`, {
        next: { function: 'dr-operations', event: { operation: 'failover' }, why: `it waits for ${target.name} to become active and then moves DNS to it` },
      });
    }
    throw err;
  }
}

/** Consecutive DR-secondary answers needed before a target is called certainly not promoted. */
const SECONDARY_CONFIRMATIONS = 2;

async function discoverPromotion(ctx: OperationContext, target: ClusterRef): Promise<'primary' | 'promoting' | 'secondary' | 'unknown'> {
  const until = Date.now() + ctx.deadline.bound(ctx.settings.promotionTimeoutMs);
  const seen: ClusterView[] = [];
  for (;;) {
    const view = await ctx.clusters.probeFresh(target);
    ctx.journal.see(view);
    seen.push(view);
    const state = targetStateAfterPromote(seen, SECONDARY_CONFIRMATIONS);
    if (state === 'primary' || state === 'secondary') return state;
    if (Date.now() + ctx.settings.pollMs > until || ctx.deadline.expired()) return state;
    // Promoting: keep watching until it is primary (or the bound); the caller then waits for active.
    if (state === 'promoting') return 'promoting';
    await ctx.deadline.sleep(ctx.settings.pollMs);
  }
}

/**
 * Demotes a DR primary with this function's own login to it, and waits until it answers as a DR
 * secondary (waiting for update-primary).
 */
export async function demote(ctx: OperationContext, target: ClusterRef): Promise<ClusterView> {
  const api = ctx.clusters.api(target);
  const login = await ctx.timeline.run(`log in to ${target.name}`, () => ctx.logins.get(api), (l) => `policies ${l.policies.join(', ')}, ttl ${l.leaseDurationSeconds} s`);
  await ctx.timeline.run(`demote ${target.name}`, () => api.demote(login.token));
  ctx.journal.change(`demoted ${target.name}`);
  return ctx.timeline.run(`wait for ${target.name} to be DR secondary`, () => waitForRole(ctx, target, 'a DR secondary', isDrSecondary));
}

/**
 * Attaches `secondary` (a DR secondary: demoted, or stale) to `primary`: generate-public-key on the
 * secondary, secondary-token on the primary (this function's own login), update-primary on the
 * secondary (the batch DR token), in HashiCorp's order. Returns a warning when replication has not
 * reached stream-wals within the bound; the link itself is then in place and Vault keeps syncing.
 */
export async function relink(ctx: OperationContext, primary: ClusterRef, secondary: ClusterRef, drToken: Secret): Promise<string | undefined> {
  const { timeline, clusters } = ctx;
  const publicKey = await timeline.run(`generate public key on ${secondary.name}`, () => clusters.api(secondary).generatePublicKey());
  const primaryApi = clusters.api(primary);
  const login = await timeline.run(`log in to ${primary.name}`, () => ctx.logins.get(primaryApi), (l) => `policies ${l.policies.join(', ')}, ttl ${l.leaseDurationSeconds} s`);
  // Secondary ids must be unique on the primary; the name keeps them readable in dr/status.
  const id = `${secondary.name}-${ctx.now().getTime().toString(36)}`;
  const activation = await timeline.run(
    `issue activation token on ${primary.name}`,
    () => primaryApi.secondaryToken(login.token, id, publicKey, '30m'),
    () => `secondary id ${id}`,
  );
  await timeline.run(`update primary of ${secondary.name}`, () => clusters.api(secondary).updatePrimary(drToken, activation, primary.address), () => `now follows ${primary.name}`);
  ctx.journal.change(`${secondary.name} re-linked as DR secondary of ${primary.name}`);
  try {
    await timeline.run(`wait for ${secondary.name} to stream from ${primary.name}`, () =>
      waitForRole(ctx, secondary, 'a streaming DR secondary', (v) => v.role === 'dr-secondary' && v.drState === 'stream-wals'),
    );
    return undefined;
  } catch (err) {
    if (!(err instanceof WaitTimedOutError)) throw err;
    return `${secondary.name} is linked to ${primary.name} but not streaming yet: ${err.message}`;
  }
}
