/**
 * bootstrap with `performanceSecondary`: make a cluster of VAULT_PERFORMANCE_SECONDARIES a
 * performance secondary of the current DR primary, once. Enable performance replication on that
 * primary if it is not a performance primary yet, issue an activation token for the named cluster
 * (id: its name), enable the cluster as performance secondary with the operator's token of it, and
 * wait until it streams. On a cluster that already streams from the primary it is a no-op that says
 * so; run after a failure it picks up where the clusters are. The DR pair is left as it is.
 *
 * The primary is the one the clusters' answers name (performance-target.ts): one answering DR
 * primary, not a stale one (recorded-primary.ts); otherwise it refuses and names the DR command.
 *
 * Authentication as in the DR bootstrap (bootstrap.ts): dr-operations' own AWS login on the
 * primary (primary/enable through the bootstrap policy, secondary-token through the performance
 * operations policy, which also grants sudo on it), the operator's `secondaryToken` on the named
 * cluster, which has its own storage (no AWS auth method for the functions) until the enable
 * replaces it with the primary's. Performance replication takes ordinary tokens only.
 *
 * The activation token is encrypted to the named cluster's own public key
 * (sys/replication/performance/secondary/generate-public-key, then secondary-token with
 * `secondary_public_key`, Vault 1.3+; docs/vault-api.md): useless to anyone else, and the secondary
 * needs no call back to the primary's API to unwrap it. It is a Secret: never logged or returned.
 *
 * Safety: every check happens before the first change (the cluster answers and is not a DR
 * secondary, its performance role, the token may enable it, it holds no data), and `force` only
 * waives the data check and a secondary of another replication set. A performance primary is never
 * turned into a secondary, forced or not.
 */
import { describeView, type ClusterView } from '../shared/cluster-probe';
import { InputError, RefusedError, StepFailedError, type NextCommand } from '../shared/errors';
import { assessPerformanceSecondary, classifyPerformance, performanceLinkNext, type PerformanceAssessment, type PerformanceView } from '../shared/performance-probe';
import type { Secret } from '../shared/secret';
import type { ClusterRef } from '../shared/settings/clusters';
import type { PerformanceStatusData } from '../shared/vault-api';
import { checkSecondaryToken, checkNoData, describeData, holdsData, type WouldBeSecondary } from './bootstrap-checks';
import type { ClusterData } from './cluster-data';
import type { OperationContext, OperationResult } from './operation-context';
import type { PerformanceReport } from './performance-follow';
import { performanceTarget } from './performance-target';
import { pollUntil } from './poll-until';

/** What the named cluster and the primary answered: the plan's inputs. */
export interface PerformanceBootstrapAnswers {
  /** The DR primary it must follow. */
  readonly primary: ClusterView;
  /** The primary's sys/replication/performance/status `data`; undefined when it could not be read. */
  readonly primaryPerformance: PerformanceStatusData | undefined;
  /** The named cluster as sys/health and its DR status show it. */
  readonly target: ClusterView;
  /** The named cluster's performance status. */
  readonly targetPerformance: PerformanceView;
  /** The named cluster's performance replication set (`cluster_id` of its performance status), when it gave one. */
  readonly targetSetId: string | undefined;
  /** The DR clusters (VAULT_CLUSTERS): whom a secondary's primary addresses name. */
  readonly clusters: readonly ClusterRef[];
}

export type PerformanceBootstrapPlan =
  | { readonly kind: 'no-op'; readonly reason: string; readonly assessment: PerformanceAssessment }
  /** It is a performance secondary of this primary already, still syncing or connecting: wait for it to stream. */
  | { readonly kind: 'wait'; readonly assessment: PerformanceAssessment }
  | {
      readonly kind: 'bootstrap';
      /** The primary is not a performance primary yet: enable it first. */
      readonly enablePrimary: boolean;
      /**
       * `enable`: performance replication is disabled on the cluster (secondary/enable, which
       * erases its data). `update-primary`: it is a performance secondary of another replication
       * set (forced; update-primary with an activation token of this primary).
       */
      readonly attach: 'enable' | 'update-primary';
    };

/** The event that runs this bootstrap again, with a placeholder where the operator must give the token. */
export function performanceBootstrapNext(name: string, why: string, options: { needsToken?: string; force?: boolean } = {}): NextCommand {
  return {
    function: 'dr-operations',
    event: {
      operation: 'bootstrap',
      performanceSecondary: name,
      ...(options.force ? { force: true } : {}),
      ...(options.needsToken === undefined ? {} : { secondaryToken: `<a token of ${options.needsToken}>` }),
    },
    why,
  };
}

const streams = (view: PerformanceView): boolean => view.state === 'stream-wals' && view.connected;

/** Decides from the answers alone; throws RefusedError when bootstrap must not go on. */
export function planPerformanceBootstrap(a: PerformanceBootstrapAnswers, request: { readonly force: boolean }): PerformanceBootstrapPlan {
  const { primary, target } = a;
  const name = target.name;
  const again = (why: string): NextCommand => performanceBootstrapNext(name, why);
  const refuse = (why: string, next: NextCommand | null): never => {
    throw new RefusedError(`bootstrap refused: ${why}`, { next }).attach({ changed: [], clusters: [describeView(primary), describeView(target)], next });
  };
  const primaryMode = a.primaryPerformance?.mode;
  if (a.primaryPerformance === undefined) {
    return refuse(`the performance replication status of ${primary.name}, the DR primary, could not be read`, again(`run it again once ${primary.name} answers it`));
  }
  if (primaryMode !== 'primary' && primaryMode !== 'disabled') {
    return refuse(
      `${primary.name}, the DR primary, is not a performance primary and cannot become one (its performance mode is ${primaryMode ?? 'not given'}); a performance secondary must be promoted, not enabled, to lead`,
      null,
    );
  }
  if (target.role === 'dr-secondary') {
    return refuse(`${name} is a DR secondary (${describeView(target)}): a DR secondary takes no part in performance replication; make its DR primary the performance secondary`, null);
  }
  if (target.role !== 'standalone' && target.role !== 'primary') {
    return refuse(`${name} does not answer as an active cluster (${describeView(target)})`, again(`run it again once ${name} answers`));
  }
  const view = a.targetPerformance;
  if (view.mode === undefined) {
    return refuse(`the performance replication status of ${name} could not be read (${view.problem ?? 'no mode given'})`, again(`run it again once ${name} answers it`));
  }
  if (view.mode === 'primary') {
    return refuse(
      `${name} is a performance primary (of a replication set of its own) and may serve clients' writes: bootstrap does not turn a primary into a secondary, forced or not. ` +
        `If ${name} should follow ${primary.name}, disable performance replication on it by hand first (sys/replication/performance/primary/disable), then run bootstrap again`,
      null,
    );
  }
  const enablePrimary = primaryMode === 'disabled';
  if (view.mode === 'disabled') return { kind: 'bootstrap', enablePrimary, attach: 'enable' };
  if (view.mode !== 'secondary') {
    return refuse(`${name} is changing its performance role (mode ${view.mode})`, again(`run it again once ${name} settles`));
  }
  const assessment = assessPerformanceSecondary(view, { name: primary.name, performance: a.primaryPerformance }, a.clusters);
  if (assessment.verdict === 'follows' || assessment.verdict === 'follows-disconnected') {
    if (streams(view)) return { kind: 'no-op', reason: `${name} is a performance secondary of ${primary.name} and streams from it`, assessment };
    return { kind: 'wait', assessment };
  }
  // It follows another cluster, or none: of this replication set (the other DR cluster, an old
  // primary) link re-points it without wiping it; of another set only a forced attach does.
  const sameSet = !enablePrimary && a.targetSetId !== undefined && a.targetSetId === a.primaryPerformance.cluster_id;
  if (assessment.follows !== undefined || sameSet) {
    return refuse(`${assessment.detail}: it is a performance secondary of ${primary.name}'s replication set already, and link points it at ${primary.name} without erasing it`, performanceLinkNext(name, primary.name));
  }
  if (!request.force) {
    return refuse(
      `${assessment.detail}; it replicates from another primary (its replication set ${a.targetSetId ?? 'unknown'} is not ${primary.name}'s${enablePrimary ? ', which does not exist yet' : ` ${a.primaryPerformance.cluster_id ?? 'unknown'}`}). ` +
        `Attaching it to ${primary.name} replaces all its replicated data. If that is intended, pass force: true`,
      performanceBootstrapNext(name, `attaches ${name} to ${primary.name} anyway; its data is replaced by ${primary.name}'s`, { needsToken: name, force: true }),
    );
  }
  return { kind: 'bootstrap', enablePrimary, attach: 'update-primary' };
}

/**
 * Secondary ids must be unique on a primary: the cluster's name, unless the primary knows that id
 * already (an activation token issued by a run whose secondary never took it, or a secondary that
 * was disabled since); then the name with the time, as the DR re-link does.
 */
export function secondaryIdFor(name: string, known: readonly string[] | undefined, now: Date): string {
  return (known ?? []).includes(name) ? `${name}-${now.getTime().toString(36)}` : name;
}

/** One line for a cluster's performance role, as the DR clusters' lines read. */
export function describePerformance(view: PerformanceView): string {
  const parts = [`performance ${view.mode ?? 'mode unknown'}`];
  if (view.state) parts.push(`state ${view.state}`);
  if (view.mode === 'secondary') parts.push(view.connected ? 'connected' : 'not connected');
  if (view.problem) parts.push(view.problem);
  return `${view.name} (${view.address}): ${parts.join(', ')}`;
}

function reportOf(a: PerformanceAssessment, repointed: boolean): PerformanceReport {
  return { name: a.name, verdict: a.verdict, follows: a.follows ?? null, connected: a.connected, repointed, detail: a.detail, next: a.next };
}

async function probeTarget(ctx: OperationContext, ref: ClusterRef): Promise<{ view: PerformanceView; setId: string | undefined }> {
  const answer = await ctx.clusters
    .api(ref)
    .performanceStatus()
    .then((data) => ({ data }), (error: unknown) => ({ error }));
  return { view: classifyPerformance(ref, answer), setId: 'data' in answer ? answer.data.cluster_id || undefined : undefined };
}

/** The named cluster against the primary, as the functions judge whom it follows. */
async function assessTarget(ctx: OperationContext, ref: ClusterRef, primary: ClusterRef): Promise<{ view: PerformanceView; assessment: PerformanceAssessment }> {
  const [{ view }, performance] = await Promise.all([probeTarget(ctx, ref), ctx.clusters.api(primary).performanceStatus().catch(() => undefined)]);
  return { view, assessment: assessPerformanceSecondary(view, { name: primary.name, ...(performance === undefined ? {} : { performance }) }, ctx.settings.clusters) };
}

/** Waits until the named cluster follows the primary and streams; a warning when it does not within the bound. */
async function waitForStreaming(ctx: OperationContext, ref: ClusterRef, primary: ClusterRef): Promise<{ assessment: PerformanceAssessment; warning?: string }> {
  const polled = await ctx.timeline.run(
    `wait for ${ref.name} to stream from ${primary.name}`,
    () => pollUntil(ctx, () => assessTarget(ctx, ref, primary), (s) => s.assessment.verdict === 'follows' && streams(s.view)),
    (p) => p.last.assessment.detail,
  );
  if (polled.done) return { assessment: polled.last.assessment };
  return { assessment: polled.last.assessment, warning: `${ref.name} is attached to ${primary.name} but not streaming ${polled.bound} (last seen: ${polled.last.assessment.detail}, state ${polled.last.view.state ?? 'unknown'})` };
}

export async function bootstrapPerformance(ctx: OperationContext, name: string): Promise<OperationResult> {
  const { timeline, request, journal } = ctx;
  const [views, record] = await Promise.all([
    timeline.run('probe clusters', () => ctx.clusters.probe(), (v) => v.map(describeView).join(' | ')),
    timeline.run('read primary record', () => ctx.primaryRecord.read(), (r) => r?.cluster ?? 'none'),
  ]);
  journal.see(...views);
  const { primary, secondary } = performanceTarget('bootstrap', views, name, ctx.settings.performanceSecondaries, record);
  const primaryApi = ctx.clusters.api(primary);
  const secondaryApi = ctx.clusters.api(secondary);
  const [target, probed, primaryPerformance] = await timeline.run(
    `probe ${name} and the performance status of ${primary.name}`,
    () => Promise.all([ctx.clusters.probeOne(secondary), probeTarget(ctx, secondary), primaryApi.performanceStatus().catch(() => undefined)]),
    ([t, p, pp]) => `${describeView(t)}, performance mode ${p.view.mode ?? 'unknown'}; ${primary.name} performance mode ${pp?.mode ?? 'unknown'}`,
  );
  const plan = planPerformanceBootstrap(
    { primary, primaryPerformance, target, targetPerformance: probed.view, targetSetId: probed.setId, clusters: ctx.settings.clusters },
    { force: request.force },
  );
  const again = (why: string, options: { needsToken?: string; force?: boolean } = {}): NextCommand => performanceBootstrapNext(name, why, { force: request.force, ...options });

  if (plan.kind === 'no-op') {
    timeline.note('bootstrap', 'no-op', plan.reason);
    return { outcome: 'no-op', summary: `nothing to do: ${plan.reason}`, clusters: views, next: null, performanceSecondaries: [reportOf(plan.assessment, false)] };
  }
  if (plan.kind === 'wait') {
    if (request.dryRun) {
      timeline.note(`wait for ${name} to stream from ${primary.name}`, 'planned');
      return {
        outcome: 'dry-run',
        summary: `${name} is attached to ${primary.name} (${plan.assessment.detail}); bootstrap would only wait for it to stream`,
        clusters: views,
        next: again('waits for it to stream'),
        performanceSecondaries: [reportOf(plan.assessment, false)],
      };
    }
    const waited = await waitForStreaming(ctx, secondary, primary);
    if (waited.warning !== undefined) throw new StepFailedError(waited.warning, { next: again(`waits again for ${name} to finish its sync`) });
    return {
      outcome: 'no-op',
      summary: `nothing changed: ${name} was already attached to ${primary.name} and now streams from it`,
      clusters: views,
      next: null,
      performanceSecondaries: [reportOf(waited.assessment, false)],
    };
  }

  const token = request.secondaryToken;
  if (token === undefined) {
    throw new InputError(
      'secondaryToken',
      plan.attach === 'enable'
        ? `is required: ${name} has performance replication disabled and only a token of its own lets it be checked and enabled (its root token from \`vault operator init\`, or a token with the policy in docs/contracts.md); it is used for this invocation only`
        : `is required: ${name} is a performance secondary of another primary, and only a token of its own lets it change its primary`,
    );
  }
  const wouldBe: WouldBeSecondary = { kind: 'performance', role: 'performance secondary', secondary, primaryName: primary.name, force: request.force, again, attach: plan.attach };
  await checkSecondaryToken(ctx, token, wouldBe);
  // A secondary of another set holds that set's replicated data, which force replaces anyway.
  const data: ClusterData | undefined = plan.attach === 'enable' ? await checkNoData(ctx, token, wouldBe) : undefined;

  const steps = [
    ...(plan.enablePrimary ? [`enable performance replication on ${primary.name} (it becomes the performance primary)`] : []),
    `generate a public key on ${name}`,
    `issue a performance activation token for ${name} on ${primary.name}, encrypted to that key`,
    plan.attach === 'enable'
      ? `enable ${name} as performance secondary of ${primary.name}: ALL its data is replaced by ${primary.name}'s${data && holdsData(data) ? ` (forced: ${describeData(data)})` : ''}`
      : `point ${name} at ${primary.name} with update-primary (forced): its replicated data is replaced by ${primary.name}'s`,
    `wait for ${name} to stream from ${primary.name}`,
  ];
  if (request.dryRun) {
    for (const step of steps) timeline.note(step, 'planned');
    return {
      outcome: 'dry-run',
      summary: `would make ${name} a performance secondary of ${primary.name}: ${steps.join('; ')}`,
      clusters: views,
      ...(data && data.ignored.length ? { warnings: data.ignored.map((i) => `not counted as data: ${i}`) } : {}),
      next: again('does what this dry run describes', { needsToken: name }),
    };
  }

  let attached = false;
  try {
    const login = await timeline.run(`log in to ${primary.name}`, () => ctx.logins.get(primaryApi), (l) => `policies ${l.policies.join(', ')}, ttl ${l.leaseDurationSeconds} s`);
    if (plan.enablePrimary) {
      await timeline.run(`enable performance primary on ${primary.name}`, () => primaryApi.enablePrimary(login.token, primary.clusterAddress, 'performance'));
      journal.change(`enabled performance replication on ${primary.name} (performance primary)`);
      const polled = await timeline.run(
        `wait for ${primary.name} to be performance primary`,
        () => pollUntil(ctx, () => primaryApi.performanceStatus().catch(() => undefined), (s) => s?.mode === 'primary'),
        (p) => `performance mode ${p.last?.mode ?? 'unknown'}`,
      );
      if (!polled.done) throw new Error(`${primary.name} did not become a performance primary ${polled.bound} (performance mode ${polled.last?.mode ?? 'unknown'})`);
    }
    const publicKey = await timeline.run(`generate public key on ${name}`, () => secondaryApi.generatePublicKey(token, 'performance'));
    const known = (await primaryApi.performanceStatus().catch(() => undefined))?.known_secondaries;
    const id = secondaryIdFor(name, known, ctx.now());
    const activation: Secret = await timeline.run(
      `issue performance activation token on ${primary.name}`,
      () => primaryApi.secondaryToken(login.token, id, publicKey, '30m', 'performance'),
      () => `secondary id ${id}`,
    );
    if (plan.attach === 'enable') {
      await timeline.run(`enable ${name} as performance secondary`, () => secondaryApi.enableSecondary(token, activation, primary.address, 'performance'), () => `of ${primary.name}`);
      journal.change(`enabled ${name} as performance secondary of ${primary.name} (its data is replaced by ${primary.name}'s)`);
    } else {
      await timeline.run(`update primary of ${name}`, () => secondaryApi.performanceUpdatePrimaryWithToken(token, activation, primary.address), () => `now follows ${primary.name}`);
      journal.change(`${name} attached to ${primary.name} with update-primary (its replicated data is replaced by ${primary.name}'s)`);
    }
    attached = true;
  } catch (err) {
    const next = attached
      ? again(`${name} was attached: bootstrap finds it so and waits for it to stream`)
      : again('it checks the clusters again and goes on from where they are', { needsToken: name });
    // The state left: the DR clusters as last seen, and the named cluster as it answers now.
    const left = await probeTarget(ctx, secondary).then(
      (p) => describePerformance(p.view),
      () => `${name} (${secondary.address}): not known`,
    );
    throw new StepFailedError(`bootstrap stopped: a step failed: ${(err as Error).message}`, { next }).attach({ changed: [...journal.changed], clusters: [...journal.describeClusters(), left], next });
  }
  const waited = await waitForStreaming(ctx, secondary, primary);
  return {
    outcome: 'succeeded',
    summary: waited.warning === undefined ? `${name} is a performance secondary of ${primary.name}, streaming` : `${name} is a performance secondary of ${primary.name}, attached but not streaming yet`,
    clusters: views,
    ...(waited.warning === undefined ? {} : { warnings: [waited.warning] }),
    next: waited.warning === undefined ? null : again(`waits for ${name} to finish its sync`),
    performanceSecondaries: [reportOf(waited.assessment, true)],
  };
}
