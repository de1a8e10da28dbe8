/**
 * Runs one fault schedule end to end: a fresh world (two simulated clusters with the schedule's
 * timings and seed on a scaled clock, moto, the Lambda endpoint), the REAL functions (runOperation,
 * switchDnsToPrimary, the chained dns-switch through the Lambda endpoint) with their production
 * defaults scaled to the clock and a Lambda context of their construct timeout (scaled), a client
 * writing through the name, the faults and invocations at their times; then the oracle heals
 * everything, lets the transitions settle, runs the named next command(s) and judges the run.
 */
import type fc from 'fast-check';
import { runOperation } from '../../functions/dr-operations/handler';
import type { LambdaContextLike } from '../../functions/shared/deadline';
import { switchDnsToPrimary } from '../../functions/dns-switch/handler';
import type { NextCommand } from '../../functions/shared/errors';
import type { Env } from '../../functions/shared/settings/variables';
import type { AnswerDrop, NetworkName, ObservedEvent, SimulatedCluster } from '../vault-simulator';
import { createDrWorld, type AwsDoubles, type DrWorld } from '../support/dr-harness';
import { lambdaContext } from '../support/lambda-invoke-endpoint';
import type { LogTap } from './log-tap';
import { judgeRun, type AnsweringSample, type InvocationRecord, type PromotionSnapshot, type Verdict } from './oracle';
import { startResolvingClient } from './resolving-client';
import { scaledEnv, scaledLambdaTimeoutMs } from './scaled-settings';
import { startScheduledWatchdog, type ScheduledWatchdog, type WatchdogReport } from './scheduled-watchdog';
import { DROP_PATHS, type FaultSpec, type Operation, type OperatorStep, type Schedule } from './schedule';

export interface RunOptions {
  /** Simulated ms per real ms, for the simulator and (divided) for the functions' settings. */
  readonly timeScale: number;
  readonly tap: LogTap;
  /** fast-check's scheduler: the start order of two invocations started at the same moment. */
  readonly scheduler?: fc.Scheduler;
  /** Set-up on the world before the schedule starts (a fault the schedule's kinds cannot name); healed with the rest. @default none */
  readonly beforeStart?: (world: DrWorld) => Promise<void>;
  /**
   * A client of the caller's own beside the writer (a drill's reader of a performance secondary):
   * started with the writer at the schedule's +0 (`t0`, simulated epoch ms), stopped with it once
   * the run has converged, before the oracle judges. @default none
   */
  readonly companion?: (world: DrWorld, t0: number) => { stop(): Promise<void> };
}

export interface RunReport {
  readonly verdict: Verdict;
  readonly realMs: number;
  /** One line per invocation (the run's and the oracle's), for a failure report or a drill. */
  readonly invocations: readonly string[];
  readonly convergenceSteps: number;
  readonly finalPrimary: string | undefined;
  /** The simulator's timeline (every node, network and role change), headed by the seed. */
  readonly timeline: string;
  readonly clientWrites: { readonly accepted: number; readonly refused: number; readonly unanswered: number };
  /** Where the schedule's +0 falls on the simulator's timeline (which starts at its first event), in ms. */
  readonly timelineOffsetMs: number;
  /** Every fault event applied or lifted, simulated ms from the start. */
  readonly faults: readonly { readonly atMs: number; readonly what: string }[];
  /** Each period a cluster answered as the active primary, simulated ms from the start (`toMs` absent: still). */
  readonly activePrimaries: readonly { readonly cluster: string; readonly fromMs: number; readonly toMs?: number }[];
  /** The watchdog's scheduled runs, its pages and the DNS changes seen meanwhile (schedules with a watchdog). */
  readonly watchdog?: WatchdogReport;
  /** The operator steps applied (schedule.operatorSteps), at simulated epoch ms. */
  readonly operatorSteps: readonly { readonly at: number; readonly step: OperatorStep; readonly what: string }[];
  /** The simulator observer's events, for checks beyond the five invariants (the upgrade drill's). */
  readonly events: readonly ObservedEvent[];
  /** Each cluster's Vault version at the end (its active node's). */
  readonly versions: Readonly<Record<string, string>>;
}

const NETWORKS: readonly NetworkName[] = ['functions', 'clients', 'replication'];
/** How much slower than the run's the oracle's next commands run (see below). */
export const CONVERGENCE_SLOWDOWN = 4;
let runCounter = 0;

const realSleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, Math.max(0, ms)));

function eventFor(operation: Operation, force: boolean): { fn: 'dr-operations' | 'dns-switch'; event: Record<string, unknown> } {
  if (operation === 'dns-switch') return { fn: 'dns-switch', event: {} };
  return { fn: 'dr-operations', event: { operation, ...(force && operation !== 'status' ? { force: true } : {}) } };
}

function describeInvocation(r: InvocationRecord, t0: number): string {
  const result = r.answer
    ? `${r.answer.outcome}: ${r.answer.summary}${r.answer.warnings?.length ? ` [warnings: ${r.answer.warnings.join(' | ')}]` : ''}`
    : `${r.error?.name}: ${r.error?.message.split('\n')[0]}`;
  const next = r.answer ? r.answer.next : r.error?.next;
  return `#${r.id} ${r.who}: ${r.fn} ${JSON.stringify(r.event)} at +${Math.round(r.startedSim - t0)} ms, took ${r.endedReal - r.startedReal} of ${r.timeoutMs} real ms -> ${result}; next: ${next ? JSON.stringify(next.event) + (next.function !== 'dr-operations' ? ` (${next.function})` : '') : 'none'}`;
}

export async function runSchedule(aws: AwsDoubles, schedule: Schedule, options: RunOptions): Promise<RunReport> {
  const k = options.timeScale;
  const started = Date.now();
  const runId = `${process.pid}-${++runCounter}`;
  const w: DrWorld = await createDrWorld(aws, {
    seed: schedule.seed,
    timeScale: k,
    timings: schedule.timings,
    replication: schedule.replication,
    performanceStandbys: schedule.performanceStandbys,
    ...(schedule.performanceSecondaries?.length ? { performanceSecondaries: schedule.performanceSecondaries } : {}),
    ...(schedule.versions ? { versions: [schedule.versions.east, schedule.versions.west] as const } : {}),
  });
  const mark = options.tap.mark();
  const invocations: InvocationRecord[] = [];
  const steps: InvocationRecord[] = [];
  const faultEvents: { at: number; what: string }[] = [];
  const promotions: PromotionSnapshot[] = [];
  const answering: AnsweringSample[] = [];
  const drops: AnswerDrop[] = [];
  const operatorSteps: { at: number; step: OperatorStep; what: string }[] = [];
  let ids = 0;
  let poller: NodeJS.Timeout | undefined;
  const client = { current: undefined as ReturnType<typeof startResolvingClient> | undefined };
  let companion: { stop(): Promise<void> } | undefined;
  let watchdog: ScheduledWatchdog | undefined;
  try {
    await w.storeDrToken({ ttl: '8h' });
    await options.beforeStart?.(w);
    const dnsFunction = `dns-switch-chaos-${runId}`;
    const opsEnv: Env = { ...scaledEnv(w.env.operations, k, 'operations'), DNS_SWITCH_FUNCTION_NAME: dnsFunction };
    const dnsEnv: Env = scaledEnv(w.env.dnsSwitch, k, 'dnsSwitch');
    // The oracle's next commands judge whether a command gets there, not how fast: they run with
    // the functions' time settings (and Lambda timeouts) at a quarter of the scale, so that a
    // loaded machine cannot turn a 60 ms probe timeout into a false dead end.
    const calm = k / CONVERGENCE_SLOWDOWN;
    const opsEnvCalm: Env = { ...scaledEnv(w.env.operations, calm, 'operations'), DNS_SWITCH_FUNCTION_NAME: dnsFunction };
    const dnsEnvCalm: Env = scaledEnv(w.env.dnsSwitch, calm, 'dnsSwitch');
    const clusters = w.vault.clusters as readonly SimulatedCluster[];
    let converging = false;
    const activeNow = (): string[] => w.vault.observer.activePrimaryIntervals().filter((i) => i.to === undefined).map((i) => i.cluster);

    const record = async (
      fn: 'dr-operations' | 'dns-switch',
      event: Record<string, unknown>,
      who: string,
      into: InvocationRecord[],
      run: (context: ReturnType<typeof lambdaContext>) => Promise<unknown>,
      timeoutMs: number,
      chained: boolean,
      context = lambdaContext(timeoutMs),
    ): Promise<InvocationRecord> => {
      const id = ++ids;
      const startedReal = Date.now();
      const startedSim = w.vault.now();
      let answer: InvocationRecord['answer'];
      let error: InvocationRecord['error'];
      try {
        answer = (await run(context)) as InvocationRecord['answer'];
      } catch (err) {
        const e = err as Error & { details?: { next?: NextCommand | null }; next?: NextCommand | null };
        error = { name: e.name, message: e.message ?? String(err), next: e.details?.next !== undefined ? e.details.next : e.next };
      }
      const endedReal = Date.now();
      const endedSim = w.vault.now();
      const atEnd = chained ? undefined : { activePrimaries: activeNow(), weights: await w.weights() };
      const rec: InvocationRecord = { id, who, fn, event, chained, startedReal, endedReal, startedSim, endedSim, timeoutMs, ...(answer ? { answer } : {}), ...(error ? { error } : {}), ...(atEnd ? { atEnd } : {}) };
      into.push(rec);
      return rec;
    };
    const invoke = (fn: 'dr-operations' | 'dns-switch', event: Record<string, unknown>, who: string, into = invocations): Promise<InvocationRecord> => {
      const scale = into === steps ? calm : k;
      return fn === 'dr-operations'
        ? record(fn, event, who, into, (ctx) => runOperation(event, into === steps ? opsEnvCalm : opsEnv, ctx), scaledLambdaTimeoutMs('operations', scale), false)
        : record(fn, event, who, into, (ctx) => switchDnsToPrimary(event, into === steps ? dnsEnvCalm : dnsEnv, ctx), scaledLambdaTimeoutMs('dnsSwitch', scale), false);
    };
    // The chained dns-switch, as the Lambda endpoint runs it (its own context), recorded too.
    const chainedHandler = async (event: unknown, context: ReturnType<typeof lambdaContext>): Promise<unknown> => {
        let outcome: unknown;
        let failure: unknown;
        const into = converging ? steps : invocations;
        await record('dns-switch', event as Record<string, unknown>, 'chained', into, async () => {
          try {
            outcome = await switchDnsToPrimary(event, converging ? dnsEnvCalm : dnsEnv, context);
            return outcome;
          } catch (err) {
            failure = err;
            throw err;
          }
        }, scaledLambdaTimeoutMs('dnsSwitch', converging ? calm : k), true, context);
        if (failure !== undefined) throw failure;
        return outcome;
    };
    aws.lambda.register(dnsFunction, chainedHandler, scaledLambdaTimeoutMs('dnsSwitch', k));

    for (const drop of schedule.drops) drops.push(w.vault.cluster(drop.cluster).dropAnswers({ path: DROP_PATHS[drop.path], times: drop.times }));
    // Route 53 faults for this run's hosted zone only: runs may share the proxy.
    const zone = w.hostedZoneId;
    const change = new RegExp(`^POST \\S*/hostedzone/${zone}/rrset/? `);
    const list = new RegExp(`^GET \\S*/hostedzone/${zone}/rrset`);
    if (schedule.route53.throttleChanges > 0) aws.route53Proxy.throttle(change, schedule.route53.throttleChanges, zone);
    if (schedule.route53.failChanges > 0) aws.route53Proxy.fail(change, schedule.route53.failChanges, zone);
    if (schedule.route53.throttleReads > 0) aws.route53Proxy.throttle(list, schedule.route53.throttleReads, zone);
    if (schedule.route53.pendingChanges > 0) aws.route53Proxy.pendingChangesIn(zone, schedule.route53.pendingChanges);

    // The oracle's own samples: who answers the functions as primary, and what a promoted cluster held.
    let eventsSeen = 0;
    const sample = (): void => {
      const now = w.vault.now();
      const current = Object.fromEntries(clusters.map((c) => [c.name, c.isAnsweringPrimary()]));
      const last = answering.at(-1);
      if (last === undefined || clusters.some((c) => last.answering[c.name] !== current[c.name])) answering.push({ at: now, answering: current });
      const events = w.vault.observer.events();
      for (const e of events.slice(eventsSeen)) {
        if (e.kind === 'transition' && e.detail.startsWith('promote started')) promotions.push({ cluster: e.cluster, at: e.at, held: w.vault.observer.writesHeldBy(e.cluster) });
      }
      eventsSeen = events.length;
    };
    sample();
    poller = setInterval(sample, 3);

    const t0 = w.vault.now();
    const until = async (offsetMs: number): Promise<void> => {
      const wait = t0 + offsetMs - w.vault.now();
      if (wait > 0) await w.vault.sleep(wait);
    };
    client.current = startResolvingClient(w, { seed: schedule.seed, intervalMs: schedule.clientIntervalMs, writeTimeoutMs: Math.max(100, Math.round(5000 / k)) });
    companion = options.companion?.(w, t0);
    if (schedule.watchdog !== undefined) {
      // The watchdog invokes dr-operations through the Lambda endpoint: recorded as any invocation.
      const operationsFunction = `dr-operations-chaos-${runId}`;
      aws.lambda.register(
        operationsFunction,
        async (event: unknown, context: LambdaContextLike) => {
          // The handler's own answer or error goes back to the watchdog, as Lambda would send it.
          let outcome: unknown;
          let failure: unknown;
          const run = async (ctx: LambdaContextLike): Promise<unknown> => {
            try {
              outcome = await runOperation(event, opsEnv, ctx);
              return outcome;
            } catch (err) {
              failure = err;
              throw err;
            }
          };
          await record('dr-operations', event as Record<string, unknown>, 'dr-watchdog', invocations, run, scaledLambdaTimeoutMs('operations', k), false, context);
          if (failure !== undefined) throw failure;
          return outcome;
        },
        scaledLambdaTimeoutMs('operations', k),
      );
      watchdog = await startScheduledWatchdog(w, {
        spec: schedule.watchdog,
        timeScale: k,
        tap: options.tap,
        t0,
        operationsFunctionName: operationsFunction,
        topicName: `vault-dr-pages-chaos-${runId}`,
        motoEndpoint: aws.moto.endpoint,
      });
    }

    // Faults, at their times, until the invocations are done.
    let faulting = true;
    const applied = (what: string): void => {
      faultEvents.push({ at: w.vault.now(), what });
    };
    const apply = async (f: FaultSpec, on: boolean, node?: string): Promise<string | undefined> => {
      const c = w.vault.cluster(f.cluster);
      if (f.kind === 'node') {
        const id = node ?? (f.node === 'active' ? (c.activeNode()?.id ?? c.node(0).id) : c.node(f.node).id);
        await c.setNodeFault(id, on ? f.fault : 'none');
        applied(`${id} ${on ? f.fault : 'recovers'}`);
        return id;
      }
      if (f.kind === 'cluster') await c.setFault(on ? f.fault : 'none');
      else await c.setNetwork(f.network, on ? f.state : 'up');
      applied(`${f.cluster} ${f.kind === 'cluster' ? f.fault : `${f.network} ${f.state}`} ${on ? 'on' : 'off'}`);
      return undefined;
    };
    for (const event of schedule.faults) {
      void (async () => {
        await until(event.atMs);
        if (!faulting) return;
        const node = await apply(event.fault, true);
        if (event.forMs === null) return;
        await until(event.atMs + event.forMs);
        if (faulting) await apply(event.fault, false, node);
      })().catch(() => undefined);
    }

    // The invocations, each with what its invoker does after a failure.
    const invoker = async (operation: Operation, force: boolean, who: string, onFailure: Schedule['invocations'][number]['onFailure']): Promise<void> => {
      const { fn, event } = eventFor(operation, force);
      const first = await invoke(fn, event, who);
      if (first.error === undefined || onFailure === 'stop') return;
      if (onFailure === 'same-again') {
        await invoke(fn, event, `${who} (again)`);
        return;
      }
      const next = first.error.next;
      if (!next || next.choose || next.function === 'dr-token-generator') return;
      if (next.notBefore) await realSleep(Math.min(Date.parse(next.notBefore) - Date.now() + 5, scaledLambdaTimeoutMs('operations', k)));
      await invoke(next.function, { ...next.event }, `${who} (next command)`);
    };
    // The operator's own steps on the clusters, one after the other (a version upgrade).
    const operate = async (): Promise<void> => {
      for (const step of schedule.operatorSteps ?? []) {
        await until(step.atMs);
        const c = w.vault.cluster(step.cluster);
        let what: string;
        if (step.step === 'snapshot') {
          what = `snapshot of ${c.name} saved (recorded: the simulator has no snapshot API)`;
        } else if (step.step === 'add-node') {
          const node = c.addNode({ version: step.version });
          what = `${node.id} launched on ${step.version} (${node.voter() ? 'voter' : 'non-voter'})`;
        } else {
          const newest = c.nodes.map((n) => n.version()).sort((a, b) => a.localeCompare(b, 'en', { numeric: true })).at(-1);
          const old = c.nodes.find((n) => n.version() !== newest);
          if (old === undefined) throw new Error(`operator step remove-old-node: ${c.name} has no node older than ${newest}`);
          await c.removeNode(old.id);
          what = `${old.id} (${old.version()}) terminated and removed from Raft`;
        }
        operatorSteps.push({ at: w.vault.now(), step, what });
        applied(`operator: ${what}`);
      }
    };
    await Promise.all([
      operate(),
      ...schedule.invocations.map(async (spec, i) => {
        await until(spec.atMs);
        const who = `operator ${String.fromCharCode(65 + i)}`;
        if (spec.twin === null) return invoker(spec.operation, spec.force, who, spec.onFailure);
        const twin = spec.twin;
        const starts = [
          { label: `${who}: ${spec.operation}`, run: () => invoker(spec.operation, spec.force, who, spec.onFailure) },
          { label: `${who}'s twin: ${twin.operation}`, run: () => invoker(twin.operation, twin.force, `${who}'s twin`, 'stop') },
        ];
        if (options.scheduler === undefined) return void (await Promise.all(starts.map((s) => s.run())));
        const s = options.scheduler;
        const runs = starts.map((start) => s.schedule(Promise.resolve(start.label), start.label).then(() => start.run()));
        await s.waitIdle();
        await Promise.all(runs);
      }),
    ]);
    const watchdogReport = await watchdog?.done();
    watchdog = undefined;
    faulting = false;

    // Heal everything, let every transition, election and re-sync finish, then converge.
    for (const d of drops) d.remove();
    aws.route53Proxy.clear(zone);
    for (const c of clusters) {
      await c.setFault('none');
      for (const n of NETWORKS) await c.setNetwork(n, 'up');
    }
    applied('every fault healed');
    const t = schedule.timings;
    const settleMs = Math.max(t.promoteMs, t.demoteMs, t.updatePrimaryMs + t.merkleDiffMs + t.merkleSyncMs, t.electionMs) + 2 * t.heartbeatIntervalMs + t.standbyModeLagMs + 30_000;
    const settle = async (): Promise<void> => {
      for (let i = 0; i < 3; i++) {
        w.vault.advanceClock(settleMs);
        await realSleep(5);
      }
    };
    await settle();
    const converged = async (): Promise<string | undefined> => {
      const active = activeNow();
      const writable = w.vault.observer.writableNow();
      const weights = await w.weights();
      const [p] = active;
      if (active.length !== 1 || writable.length !== 1 || writable[0] !== p) return undefined;
      // With performance secondaries, the next commands also bring each to follow the primary (invariant 6).
      const topology = w.vault.observer.topology();
      const lagging = (schedule.performanceSecondaries ?? []).some((name) => topology.find((v) => v.cluster === name)?.performancePrimary !== p);
      if (lagging) return undefined;
      return weights[p as string] === 255 && Object.entries(weights).every(([c, wgt]) => c === p || wgt === 0) ? p : undefined;
    };
    const latestAcknowledged = (): string | undefined =>
      [...w.vault.observer.clientWrites()].filter((x) => x.answered).sort((a, b) => a.at - b.at).at(-1)?.id;
    const choose = async (next: NextCommand): Promise<Record<string, unknown>> => {
      if (!next.choose) return { ...next.event };
      const weights = await w.weights();
      const latest = latestAcknowledged();
      const holds = (c: string) => latest !== undefined && w.vault.observer.writesHeldBy(c).includes(latest);
      const dnsOn = (c: string) => weights[c] === 255;
      const from = [...next.choose.from];
      // Keep the cluster holding the latest acknowledged write (where DNS points, on a tie).
      const keep = from.find((c) => holds(c) && !from.every(holds)) ?? from.find(dnsOn) ?? from[0];
      const value = next.choose.field === 'demote' ? from.find((c) => c !== keep) : keep;
      return { ...next.event, [next.choose.field]: value };
    };
    converging = true;
    aws.lambda.register(dnsFunction, chainedHandler, scaledLambdaTimeoutMs('dnsSwitch', calm));
    let problem: string | undefined;
    let finalPrimary = await converged();
    const lastEnded = [...invocations].filter((r) => !r.chained).sort((a, b) => a.endedReal - b.endedReal).at(-1);
    let next: NextCommand | null | undefined = lastEnded ? (lastEnded.answer ? lastEnded.answer.next : lastEnded.error?.next) : null;
    for (let step = 0; finalPrimary === undefined && step < 3; step++) {
      if (!next) {
        problem = `${step === 0 ? `the last result (#${lastEnded?.id})` : `the oracle's step ${step}`} names no next command, and the clusters have not converged: active primaries [${activeNow().join(', ')}], writable [${w.vault.observer.writableNow().join(', ')}], DNS ${JSON.stringify(await w.weights())}`;
        break;
      }
      if (next.function === 'dr-token-generator') {
        problem = `the next command is dr-token-generator, though the DR token is valid`;
        break;
      }
      if (next.notBefore) await realSleep(Math.min(Date.parse(next.notBefore) - Date.now() + 5, scaledLambdaTimeoutMs('operations', k)));
      const rec = await invoke(next.function, await choose(next), 'oracle (next command)', steps);
      await settle();
      finalPrimary = await converged();
      next = rec.answer ? rec.answer.next : rec.error?.next;
    }
    if (finalPrimary === undefined && problem === undefined) {
      problem = `three next commands did not converge: active primaries [${activeNow().join(', ')}], writable [${w.vault.observer.writableNow().join(', ')}], DNS ${JSON.stringify(await w.weights())}`;
    }

    await client.current.stop();
    await companion?.stop();
    companion = undefined;
    clearInterval(poller);
    poller = undefined;
    sample();
    const credentials = [w.env.operations, w.env.generator].flatMap((e) => [e.AWS_SECRET_ACCESS_KEY, e.AWS_SESSION_TOKEN]).filter((x): x is string => typeof x === 'string');
    const verdict = judgeRun({
      clusters: clusters.map((c) => c.name),
      invocations,
      faultEvents,
      overlaps: w.vault.observer.overlaps(),
      activePrimaryIntervals: w.vault.observer.activePrimaryIntervals(),
      promotions,
      answering,
      clientWrites: w.vault.observer.clientWrites(),
      convergence: { steps, converged: finalPrimary !== undefined, ...(problem ? { problem } : {}), ...(finalPrimary ? { finalPrimary } : {}) },
      heldByFinal: finalPrimary ? w.vault.observer.writesHeldBy(finalPrimary) : [],
      logLines: options.tap.lines(mark),
      secrets: [...w.vault.issuedSecrets(), w.vault.rootToken, ...credentials],
      ...(schedule.performanceSecondaries?.length
        ? {
            performance: {
              secondaries: schedule.performanceSecondaries,
              following: w.vault.observer.performanceFollowing(),
              readable: w.vault.observer.readableIntervals().filter((i) => schedule.performanceSecondaries?.includes(i.cluster)),
            },
          }
        : {}),
    });
    const attempts = client.current.attempts();
    return {
      verdict,
      realMs: Date.now() - started,
      invocations: [...invocations, ...steps].sort((a, b) => a.id - b.id).map((r) => describeInvocation(r, t0)),
      convergenceSteps: steps.filter((s) => !s.chained).length,
      finalPrimary,
      timeline: w.vault.observer.timeline(),
      clientWrites: {
        accepted: attempts.filter((a) => a.outcome === 'accepted').length,
        refused: attempts.filter((a) => a.outcome === 'refused').length,
        unanswered: attempts.filter((a) => a.outcome === 'no-answer').length,
      },
      timelineOffsetMs: Math.round(t0 - (w.vault.observer.events()[0]?.at ?? t0)),
      faults: faultEvents.map((e) => ({ atMs: Math.round(e.at - t0), what: e.what })),
      activePrimaries: w.vault.observer
        .activePrimaryIntervals()
        .map((i) => ({ cluster: i.cluster, fromMs: Math.round(i.from - t0), ...(i.to === undefined ? {} : { toMs: Math.round(i.to - t0) }) })),
      ...(watchdogReport === undefined ? {} : { watchdog: watchdogReport }),
      operatorSteps,
      events: w.vault.observer.events(),
      versions: Object.fromEntries(clusters.map((c) => [c.name, c.version()])),
    };
  } finally {
    await watchdog?.abort().catch(() => undefined);
    if (poller !== undefined) clearInterval(poller);
    await client.current?.stop().catch(() => undefined);
    await companion?.stop().catch(() => undefined);
    // Each registered handler holds this run's world: kept, a long run's heap grew past 1.5 GB and
    // its garbage collection pauses (seconds) counted against the functions' Lambda timeouts.
    aws.lambda.unregister(`dns-switch-chaos-${runId}`);
    aws.lambda.unregister(`dr-operations-chaos-${runId}`);
    await w.stop();
  }
}
