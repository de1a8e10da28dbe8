/**
 * bootstrap: set up DR replication between the two clusters once. Enable DR replication on the
 * primary if it is disabled, issue an activation token for the other cluster, enable that cluster
 * as the primary's DR secondary, and wait until it streams. Run on a healthy pair it is a no-op that
 * says so; run after a failure it picks up where the clusters are.
 *
 * Authentication. On the primary, dr-operations' own AWS login (its role carries the bootstrap
 * policy: primary/enable, and secondary-token through the primary-operations policy). The would-be
 * secondary has its own storage until it is enabled, and the functions' AWS auth method exists on
 * the primary only, so the operator supplies a token of that cluster for this one invocation
 * (`secondaryToken`: its root token from `vault operator init`, or a narrower one; docs/contracts.md).
 * It is held as a Secret, sent only to that cluster, never stored, logged or returned; enabling
 * the cluster erases it with the rest of the cluster's data.
 *
 * Safety. Every check happens before the first change: both clusters answer; the primary is the
 * one DR primary (or the operator names it); the would-be secondary holds no data
 * (cluster-data.ts) and does not replicate from another primary, unless `force`. The activation
 * token is encrypted to the secondary's own public key (generate-public-key), so it is useless to
 * anyone else and the secondary needs no call back to the primary's API to unwrap it.
 *
 * With `performanceSecondary` it sets up a performance secondary instead (bootstrap-performance.ts).
 */
import { describeView, isDemoted, type ClusterView } from '../shared/cluster-probe';
import { InputError, RefusedError, StepFailedError, type NextCommand } from '../shared/errors';
import type { Secret } from '../shared/secret';
import type { DrStatusData } from '../shared/vault-api';
import type { ClusterData } from './cluster-data';
import { checkWouldBeSecondary, describeData, holdsData } from './bootstrap-checks';
import { bootstrapPerformance } from './bootstrap-performance';
import type { OperationContext, OperationResult } from './operation-context';
import { isActivePrimary, waitForRole, WaitTimedOutError } from './replication-steps';

/** What the operator asked for, without the token itself. */
export interface BootstrapRequest {
  readonly primary: string | undefined;
  readonly force: boolean;
}

export type BootstrapPlan =
  | { readonly kind: 'no-op'; readonly primary: ClusterView; readonly secondary: ClusterView; readonly reason: string }
  /** The secondary is attached to this primary already and is catching up: wait for it to stream. */
  | { readonly kind: 'wait'; readonly primary: ClusterView; readonly secondary: ClusterView }
  | {
      readonly kind: 'bootstrap';
      readonly primary: ClusterView;
      readonly secondary: ClusterView;
      /** The primary has DR replication disabled: enable it first. */
      readonly enablePrimary: boolean;
      /**
       * `enable`: the secondary has DR replication disabled (secondary/enable with the operator's
       * token of it). `update-primary`: it is a DR secondary of another primary (forced; the
       * operator's token is a DR operation token of it).
       */
      readonly attach: 'enable' | 'update-primary';
    };

/** A cluster's replication set id (dr/status `cluster_id`): a primary and its DR secondaries share it. */
export type ReplicationIds = Readonly<Record<string, string | undefined>>;

/** The event that runs bootstrap again, with a placeholder where the operator must give the token. */
export function bootstrapNext(request: BootstrapRequest, why: string, options: { needsToken?: string; force?: boolean } = {}): NextCommand {
  return {
    function: 'dr-operations',
    event: {
      operation: 'bootstrap',
      ...(request.primary === undefined ? {} : { primary: request.primary }),
      ...(options.force ?? request.force ? { force: true } : {}),
      ...(options.needsToken === undefined ? {} : { secondaryToken: `<a token of ${options.needsToken}>` }),
    },
    why,
  };
}

const ANSWERING = new Set(['primary', 'dr-secondary', 'standalone']);

/** Decides from the clusters' answers alone; throws RefusedError or InputError when bootstrap must not go on. */
export function planBootstrap(views: readonly [ClusterView, ClusterView], ids: ReplicationIds, request: BootstrapRequest): BootstrapPlan {
  const refuse = (why: string, next: NextCommand | null): never => {
    throw new RefusedError(`bootstrap refused: ${why}`, { next }).attach({ changed: [], clusters: views.map(describeView), next });
  };
  if (request.primary !== undefined && !views.some((v) => v.name === request.primary)) {
    throw new InputError('primary', `must name one of the clusters (${views.map((v) => v.name).join(', ')}), got ${JSON.stringify(request.primary)}`);
  }
  const silent = views.find((v) => !ANSWERING.has(v.role));
  if (silent !== undefined) {
    return refuse(`${silent.name} does not answer as an active cluster (${describeView(silent)}); bootstrap needs both clusters`, bootstrapNext(request, `run it again once ${silent.name} answers`));
  }
  const primaries = views.filter((v) => v.role === 'primary');
  if (primaries.length === 2) {
    return refuse(
      'both clusters answer as DR primary: a split brain, or two separate replication sets. If it is a split brain, resolve it with link and demote; ' +
        'if one of them should become the other\'s secondary, disable DR replication on it first (runbook, "Enabling DR replication")',
      { function: 'dr-operations', event: { operation: 'link', demote: '<cluster>' }, why: 'demote the cluster clients did not write to', choose: { field: 'demote', from: views.map((v) => v.name) } },
    );
  }
  const current = primaries[0];
  let primary: ClusterView;
  if (request.primary !== undefined) {
    primary = views.find((v) => v.name === request.primary) as ClusterView;
    if (current !== undefined && current !== primary) {
      return refuse(
        `${current.name} is the DR primary already, so ${primary.name} cannot become the primary by bootstrap; run bootstrap without primary (it makes ${primary.name} the secondary of ${current.name}), then switchover if ${primary.name} should lead`,
        bootstrapNext({ primary: undefined, force: false }, `sets up ${primary.name} as the DR secondary of ${current.name}`),
      );
    }
    if (primary.role === 'dr-secondary') {
      return refuse(`${primary.name} is a DR secondary (${describeView(primary)}), so it cannot be the primary of a new pair`, null);
    }
  } else if (current !== undefined) {
    primary = current;
  } else {
    return refuse('no cluster is a DR primary yet, so the clusters do not say which one should lead; name it', {
      function: 'dr-operations',
      event: { operation: 'bootstrap', primary: '<cluster>' },
      why: 'the cluster whose data is kept and which becomes the DR primary; the other one\'s data is replaced',
      choose: { field: 'primary', from: views.filter((v) => v.role === 'standalone').map((v) => v.name) },
    });
  }
  const secondary = views[0] === primary ? views[1] : views[0];
  const enablePrimary = primary.role === 'standalone';
  if (secondary.role === 'standalone') return { kind: 'bootstrap', primary, secondary, enablePrimary, attach: 'enable' };
  // A DR secondary: of this primary's replication set, or of another one.
  const ownSet = !enablePrimary && ids[primary.name] !== undefined && ids[secondary.name] === ids[primary.name];
  if (ownSet) {
    if (isDemoted(secondary)) {
      return refuse(`${secondary.name} belongs to ${primary.name}'s replication set but knows no primary (it was demoted); re-attach it with link`, {
        function: 'dr-operations',
        event: { operation: 'link' },
        why: `re-attaches ${secondary.name} as the DR secondary of ${primary.name}`,
      });
    }
    if (secondary.drState === 'stream-wals' && secondary.connectedToPrimary === true) {
      return { kind: 'no-op', primary, secondary, reason: `${secondary.name} is the DR secondary of ${primary.name} and streams from it` };
    }
    return { kind: 'wait', primary, secondary };
  }
  if (!request.force) {
    return refuse(
      `${secondary.name} replicates from another primary (its replication set ${ids[secondary.name] ?? 'unknown'} is not ${primary.name}'s${enablePrimary ? ', which does not exist yet' : ` ${ids[primary.name] ?? 'unknown'}`}); ` +
        `attaching it to ${primary.name} replaces all its data. If that is intended, pass force: true with secondaryToken set to a DR operation token of ${secondary.name}`,
      bootstrapNext(request, `attaches ${secondary.name} to ${primary.name} anyway; its data is replaced by ${primary.name}'s`, { needsToken: secondary.name, force: true }),
    );
  }
  return { kind: 'bootstrap', primary, secondary, enablePrimary, attach: 'update-primary' };
}

async function replicationIds(ctx: OperationContext, views: readonly ClusterView[]): Promise<ReplicationIds> {
  const entries = await Promise.all(
    views.map(async (v) => {
      const status: DrStatusData | undefined = await ctx.clusters
        .api(v)
        .drStatus()
        .catch(() => undefined);
      return [v.name, status?.cluster_id || undefined] as const;
    }),
  );
  return Object.fromEntries(entries);
}

/** Waits for the secondary to stream from the primary; a warning when it does not within the bound. */
async function waitForStreaming(ctx: OperationContext, primary: ClusterView, secondary: ClusterView): Promise<{ view?: ClusterView; warning?: string }> {
  try {
    const view = await ctx.timeline.run(`wait for ${secondary.name} to stream from ${primary.name}`, () =>
      waitForRole(ctx, secondary, `a DR secondary streaming from ${primary.name}`, (v) => v.role === 'dr-secondary' && v.drState === 'stream-wals' && v.connectedToPrimary === true),
    );
    return { view };
  } catch (err) {
    if (!(err instanceof WaitTimedOutError)) throw err;
    return { warning: `${secondary.name} is attached to ${primary.name} but not streaming yet: ${err.message}` };
  }
}

export async function bootstrap(ctx: OperationContext): Promise<OperationResult> {
  const { timeline, request, journal } = ctx;
  // A performance secondary of the current DR primary: the DR pair is left as it is.
  if (request.performanceSecondary !== undefined) return bootstrapPerformance(ctx, request.performanceSecondary);
  const asked: BootstrapRequest = { primary: request.primary, force: request.force };
  const views = await timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | '));
  journal.see(...views);
  const ids = await timeline.run('read replication sets', () => replicationIds(ctx, views), (r) => Object.entries(r).map(([name, id]) => `${name}: ${id ?? 'none'}`).join(', '));
  const plan = planBootstrap(views, ids, asked);

  if (plan.kind === 'no-op') {
    timeline.note('bootstrap', 'no-op', plan.reason);
    return { outcome: 'no-op', summary: `nothing to do: ${plan.reason}`, clusters: views, next: null };
  }
  if (plan.kind === 'wait') {
    if (request.dryRun) {
      timeline.note(`wait for ${plan.secondary.name} to stream from ${plan.primary.name}`, 'planned');
      return {
        outcome: 'dry-run',
        summary: `${plan.secondary.name} is attached to ${plan.primary.name} (${describeView(plan.secondary)}); bootstrap would only wait for it to stream`,
        clusters: views,
        next: bootstrapNext(asked, 'waits for it to stream'),
      };
    }
    const waited = await waitForStreaming(ctx, plan.primary, plan.secondary);
    if (waited.warning !== undefined) {
      throw new StepFailedError(waited.warning, { next: bootstrapNext(asked, `waits again for ${plan.secondary.name} to finish its sync`) });
    }
    return {
      outcome: 'no-op',
      summary: `nothing changed: ${plan.secondary.name} was already attached to ${plan.primary.name} and now streams from it`,
      clusters: journal.views(),
      next: null,
    };
  }

  const { primary, secondary } = plan;
  const token = request.secondaryToken;
  if (token === undefined) {
    throw new InputError(
      'secondaryToken',
      plan.attach === 'enable'
        ? `is required: ${secondary.name} has DR replication disabled and only a token of its own lets it be checked and enabled (its root token from \`vault operator init\`, or a token with the policy in docs/contracts.md); it is used for this invocation only`
        : `is required: ${secondary.name} is a DR secondary of another primary, and only a DR operation token of it lets it change its primary`,
    );
  }
  let data: ClusterData | undefined;
  if (plan.attach === 'enable') {
    data = await checkWouldBeSecondary(ctx, token, {
      kind: 'dr',
      role: 'DR secondary',
      secondary,
      primaryName: primary.name,
      force: request.force,
      again: (why, options) => bootstrapNext(asked, why, options),
    });
  }

  const steps = [
    ...(plan.enablePrimary ? [`enable DR replication on ${primary.name} (it becomes the DR primary)`] : []),
    `generate a public key on ${secondary.name}`,
    `issue an activation token for ${secondary.name} on ${primary.name}, encrypted to that key`,
    plan.attach === 'enable'
      ? `enable ${secondary.name} as DR secondary of ${primary.name}: ALL its data is replaced by ${primary.name}'s${data && holdsData(data) ? ` (forced: ${describeData(data)})` : ''}`
      : `point ${secondary.name} at ${primary.name} with update-primary (forced): its data is replaced by ${primary.name}'s`,
    `wait for ${secondary.name} to stream from ${primary.name}`,
  ];
  if (request.dryRun) {
    for (const step of steps) timeline.note(step, 'planned');
    return {
      outcome: 'dry-run',
      summary: `would make ${primary.name} the DR primary and ${secondary.name} its DR secondary: ${steps.join('; ')}`,
      clusters: views,
      ...(data && data.ignored.length ? { warnings: data.ignored.map((i) => `not counted as data: ${i}`) } : {}),
      next: bootstrapNext(asked, 'does what this dry run describes', { needsToken: secondary.name }),
    };
  }

  const primaryApi = ctx.clusters.api(primary);
  const secondaryApi = ctx.clusters.api(secondary);
  let attached = false;
  const failed = (what: string, err: unknown): StepFailedError =>
    new StepFailedError(`bootstrap stopped: ${what}: ${(err as Error).message}`, {
      next: attached
        ? bootstrapNext(asked, `${secondary.name} was attached: bootstrap finds it so and waits for it to stream`)
        : bootstrapNext({ ...asked, primary: primary.name }, `it checks the clusters again and goes on from where they are`, { needsToken: secondary.name }),
    });
  try {
    const login = await timeline.run(`log in to ${primary.name}`, () => ctx.logins.get(primaryApi), (l) => `policies ${l.policies.join(', ')}, ttl ${l.leaseDurationSeconds} s`);
    if (plan.enablePrimary) {
      await timeline.run(`enable DR primary on ${primary.name}`, () => primaryApi.enablePrimary(login.token, primary.clusterAddress));
      journal.change(`enabled DR replication on ${primary.name} (DR primary)`);
      await timeline.run(`wait for ${primary.name} to be active primary`, () => waitForRole(ctx, primary, 'an active DR primary', isActivePrimary));
    }
    // On a DR secondary (update-primary) Vault answers generate-public-key without a token.
    const publicKey = await timeline.run(`generate public key on ${secondary.name}`, () => secondaryApi.generatePublicKey(plan.attach === 'enable' ? token : undefined));
    const id = `${secondary.name}-${ctx.now().getTime().toString(36)}`;
    const activation: Secret = await timeline.run(`issue activation token on ${primary.name}`, () => primaryApi.secondaryToken(login.token, id, publicKey, '30m'), () => `secondary id ${id}`);
    if (plan.attach === 'enable') {
      await timeline.run(`enable ${secondary.name} as DR secondary`, () => secondaryApi.enableSecondary(token, activation, primary.address), () => `of ${primary.name}`);
      journal.change(`enabled ${secondary.name} as DR secondary of ${primary.name} (its data is replaced by ${primary.name}'s)`);
    } else {
      await timeline.run(`update primary of ${secondary.name}`, () => secondaryApi.updatePrimary(token, activation, primary.address), () => `now follows ${primary.name}`);
      journal.change(`${secondary.name} attached to ${primary.name} with update-primary (its data is replaced by ${primary.name}'s)`);
    }
    attached = true;
  } catch (err) {
    throw failed('a step failed', err);
  }
  const waited = await waitForStreaming(ctx, primary, secondary);
  const after = await ctx.clusters.probe();
  journal.see(...after);
  return {
    outcome: 'succeeded',
    summary: waited.warning === undefined ? `${primary.name} is the DR primary and ${secondary.name} its DR secondary, streaming` : `${primary.name} is the DR primary and ${secondary.name} is attached to it`,
    clusters: after,
    ...(waited.warning === undefined ? {} : { warnings: [waited.warning] }),
    next: waited.warning === undefined ? null : bootstrapNext(asked, `waits for ${secondary.name} to finish its sync`),
  };
}
