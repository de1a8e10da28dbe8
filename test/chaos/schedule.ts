/**
 * A fault schedule: what fails, when and for how long, how long Vault's transitions take, which
 * answers are lost, what Route 53 does, and who invokes what, when (concurrent invocations and
 * retries included). Plain data (JSON), so a failing schedule prints and replays as it is; drawn by
 * `scheduleArbitrary` with fast-check, which shrinks a failing one to a small one.
 *
 * Times are simulated ms from the start of the run.
 */
import fc from 'fast-check';
import type { WatchdogMode } from '../../functions/dr-watchdog/settings';
import type { NetworkName, NodeFault, ReplicationBehaviour, Timings } from '../vault-simulator';

export const CLUSTERS = ['east', 'west'] as const;
export type ClusterName = (typeof CLUSTERS)[number];

export type FaultSpec =
  /** One node behind the load balancer ('active': whichever node is active when it is applied). */
  | { readonly kind: 'node'; readonly cluster: ClusterName; readonly node: number | 'active'; readonly fault: Exclude<NodeFault, 'none' | 'uninitialized' | 'removed'> }
  /** Every node at once ('down' = every node refuses). */
  | { readonly kind: 'cluster'; readonly cluster: ClusterName; readonly fault: 'down' | 'blackhole' | 'sealed' | 'error500' | 'slow' }
  /** One of the three networks of a cluster. */
  | { readonly kind: 'network'; readonly cluster: ClusterName; readonly network: NetworkName; readonly state: 'blackhole' | 'refused' };

export interface FaultEvent {
  readonly atMs: number;
  /** How long it lasts; null: until the run ends (the oracle heals everything before converging). */
  readonly forMs: number | null;
  readonly fault: FaultSpec;
}

/** Requests whose answer is lost after the cluster applied them (the simulator's dropAnswers). */
export interface DropSpec {
  readonly cluster: ClusterName;
  readonly path: 'promote' | 'demote' | 'update-primary' | 'secondary-token' | 'generate-public-key' | 'login' | 'dr-status' | 'client-write';
  readonly times: number;
}

export const DROP_PATHS: Record<DropSpec['path'], RegExp> = {
  promote: /^sys\/replication\/dr\/secondary\/promote$/,
  demote: /^sys\/replication\/dr\/primary\/demote$/,
  'update-primary': /^sys\/replication\/dr\/secondary\/update-primary$/,
  'secondary-token': /^sys\/replication\/dr\/primary\/secondary-token$/,
  'generate-public-key': /^sys\/replication\/dr\/secondary\/generate-public-key$/,
  login: /^auth\/.*\/login$/,
  'dr-status': /^sys\/replication\/dr\/status$/,
  'client-write': /^secret\//,
};

export interface Route53Faults {
  /** ChangeResourceRecordSets answered 400 Throttling this many times first. */
  readonly throttleChanges: number;
  /** ChangeResourceRecordSets answered 500 InternalFailure this many times first (after the throttles). */
  readonly failChanges: number;
  /** ListResourceRecordSets answered 400 Throttling this many times first. */
  readonly throttleReads: number;
  /** GetChange answers PENDING this many times first. */
  readonly pendingChanges: number;
}

export type Operation = 'failover' | 'switchover' | 'link' | 'status' | 'dns-switch';

export interface InvocationSpec {
  readonly atMs: number;
  readonly operation: Operation;
  readonly force: boolean;
  /** What the invoker does when it fails: nothing, the same event again, or the next command it names. */
  readonly onFailure: 'stop' | 'same-again' | 'next-command';
  /**
   * A second invocation started at the same moment (another operator, or a retry of the same event
   * by a client that timed out): which of the two starts first is drawn by fast-check's scheduler.
   */
  readonly twin: { readonly operation: Operation; readonly force: boolean } | null;
}

/**
 * dr-watchdog on its EventBridge schedule: `runs` runs, one every `intervalMs` from `firstAtMs`,
 * each started at its time whether or not the one before has ended (as the scheduler does), with
 * the watchdog's production settings on the scaled clock and its pages to an SNS topic on moto.
 */
export interface WatchdogSpec {
  readonly mode: WatchdogMode;
  readonly firstAtMs: number;
  /** The construct's rate (modules/dr-automation/defaults.ts, WATCHDOG_RATE_MINUTES) in ms. */
  readonly intervalMs: number;
  readonly runs: number;
}

/**
 * What an operator does to the clusters themselves during a planned change (runbook 9.3, a Vault
 * version upgrade): record a snapshot (the simulator has no snapshot API: the step is recorded in
 * the timeline), launch a node of a version, terminate and remove-peer the oldest node of an older
 * version than the cluster's newest.
 */
export type OperatorStep =
  | { readonly atMs: number; readonly step: 'snapshot'; readonly cluster: ClusterName }
  | { readonly atMs: number; readonly step: 'add-node'; readonly cluster: ClusterName; readonly version: string }
  | { readonly atMs: number; readonly step: 'remove-old-node'; readonly cluster: ClusterName };

export interface Schedule {
  /** The simulator's seed (load balancer draws, elections) and the client's resolver draws. */
  readonly seed: number;
  readonly timings: Omit<Timings, 'heartbeatIntervalMs'> & { readonly heartbeatIntervalMs: number };
  /** `newerPrimary` left out: the simulator's default. */
  readonly replication: Omit<ReplicationBehaviour, 'newerPrimary'> & Partial<Pick<ReplicationBehaviour, 'newerPrimary'>>;
  /** Each cluster's Vault version at the start. @default the simulator's */
  readonly versions?: Readonly<Record<ClusterName, string>>;
  /** Operator steps on the clusters (a version upgrade), in order; the run waits for them like for the invocations. @default none */
  readonly operatorSteps?: readonly OperatorStep[];
  readonly performanceStandbys: boolean;
  /**
   * Performance secondaries of east beside the DR pair (issue 12): the functions get them in
   * VAULT_PERFORMANCE_SECONDARIES and the oracle judges invariants 6 and 7. Faults stay on east
   * and west. @default none
   */
  readonly performanceSecondaries?: readonly string[];
  readonly faults: readonly FaultEvent[];
  readonly drops: readonly DropSpec[];
  readonly route53: Route53Faults;
  readonly invocations: readonly InvocationSpec[];
  /** Simulated ms between two client writes. */
  readonly clientIntervalMs: number;
  /** The watchdog on its schedule (the drill's watchdog scenarios); none when absent. */
  readonly watchdog?: WatchdogSpec;
}

/** Durations up to minutes, most of them short: log-uniform in [min, max]. */
const duration = (min: number, max: number): fc.Arbitrary<number> =>
  fc.double({ min: Math.log(min), max: Math.log(max), noNaN: true }).map((x) => Math.round(Math.exp(x)));

const transition = fc.oneof(
  { weight: 6, arbitrary: duration(20, 3000) },
  { weight: 3, arbitrary: duration(3000, 30_000) },
  { weight: 1, arbitrary: duration(30_000, 120_000) },
);

const cluster = fc.constantFrom(...CLUSTERS);

const faultSpec: fc.Arbitrary<FaultSpec> = fc.oneof(
  fc.record({
    kind: fc.constant('node' as const),
    cluster,
    node: fc.oneof(fc.integer({ min: 0, max: 4 }), fc.constant('active' as const)),
    fault: fc.constantFrom('refused', 'blackhole', 'slow', 'sealed', 'error500') as fc.Arbitrary<Exclude<NodeFault, 'none' | 'uninitialized' | 'removed'>>,
  }),
  fc.record({ kind: fc.constant('cluster' as const), cluster, fault: fc.constantFrom('down', 'blackhole', 'sealed', 'error500', 'slow') as fc.Arbitrary<'down' | 'blackhole' | 'sealed' | 'error500' | 'slow'> }),
  fc.record({
    kind: fc.constant('network' as const),
    cluster,
    network: fc.constantFrom('functions', 'clients', 'replication') as fc.Arbitrary<NetworkName>,
    state: fc.constantFrom('blackhole', 'refused') as fc.Arbitrary<'blackhole' | 'refused'>,
  }),
);

const faultEvent: fc.Arbitrary<FaultEvent> = fc.record({
  atMs: fc.integer({ min: 0, max: 20_000 }),
  forMs: fc.oneof(fc.constant(null), duration(500, 60_000)),
  fault: faultSpec,
});

/** The disaster most schedules are about: the primary (east) fails early, by node, cluster or network. */
const disaster: fc.Arbitrary<FaultEvent[]> = fc.oneof(
  fc.record({ atMs: fc.integer({ min: 0, max: 4000 }), forMs: fc.oneof(fc.constant(null), duration(5000, 90_000)), fault: fc.record({ kind: fc.constant('cluster' as const), cluster: fc.constant('east' as const), fault: fc.constantFrom('down', 'blackhole', 'sealed', 'error500') as fc.Arbitrary<'down' | 'blackhole' | 'sealed' | 'error500'> }) }).map((e) => [e]),
  // A partition: the functions and the secondary lose the primary; clients may still reach it.
  fc
    .record({ atMs: fc.integer({ min: 0, max: 4000 }), forMs: fc.oneof(fc.constant(null), duration(5000, 90_000)), state: fc.constantFrom('blackhole', 'refused') as fc.Arbitrary<'blackhole' | 'refused'>, clientsToo: fc.boolean() })
    .map(({ atMs, forMs, state, clientsToo }) =>
      (['functions', 'replication', ...(clientsToo ? ['clients' as const] : [])] as NetworkName[]).map((network) => ({ atMs, forMs, fault: { kind: 'network' as const, cluster: 'east' as const, network, state } })),
    ),
  // A majority of the primary's nodes fail one after the other: quorum is lost.
  fc
    .record({ atMs: fc.integer({ min: 0, max: 4000 }), gapMs: fc.integer({ min: 0, max: 3000 }), fault: fc.constantFrom('refused', 'blackhole', 'sealed') as fc.Arbitrary<'refused' | 'blackhole' | 'sealed'>, forMs: fc.oneof(fc.constant(null), duration(5000, 90_000)) })
    .map(({ atMs, gapMs, fault, forMs }) => [0, 1, 2].map((node) => ({ atMs: atMs + node * gapMs, forMs, fault: { kind: 'node' as const, cluster: 'east' as const, node, fault } }))),
);

const operation: fc.Arbitrary<Operation> = fc.oneof(
  { weight: 12, arbitrary: fc.constant('failover' as const) },
  { weight: 4, arbitrary: fc.constant('switchover' as const) },
  { weight: 2, arbitrary: fc.constant('link' as const) },
  { weight: 1, arbitrary: fc.constant('status' as const) },
  { weight: 2, arbitrary: fc.constant('dns-switch' as const) },
);

const force = fc.oneof({ weight: 6, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });

const invocation: fc.Arbitrary<InvocationSpec> = fc.record({
  atMs: fc.integer({ min: 0, max: 15_000 }),
  operation,
  force,
  onFailure: fc.constantFrom('stop', 'same-again', 'next-command') as fc.Arbitrary<InvocationSpec['onFailure']>,
  twin: fc.oneof({ weight: 3, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.record({ operation, force }) }),
});

export const scheduleArbitrary: fc.Arbitrary<Schedule> = fc.record({
  seed: fc.integer({ min: 1, max: 2 ** 31 - 1 }),
  timings: fc.record({
    electionMs: duration(10, 15_000),
    promoteMs: transition,
    demoteMs: transition,
    updatePrimaryMs: duration(10, 20_000),
    merkleDiffMs: duration(10, 10_000),
    merkleSyncMs: duration(10, 20_000),
    walLagMs: duration(10, 3000),
    heartbeatIntervalMs: duration(500, 5000),
    standbyModeLagMs: duration(10, 10_000),
    slowMs: duration(500, 6000),
  }),
  replication: fc.record({
    stateWhileDisconnected: fc.constantFrom('stream-wals', 'idle') as fc.Arbitrary<ReplicationBehaviour['stateWhileDisconnected']>,
    walIndexAfterDemote: fc.constantFrom('kept', 'reset') as fc.Arbitrary<ReplicationBehaviour['walIndexAfterDemote']>,
    walIndexAfterPromote: fc.constantFrom('continued', 'reset') as fc.Arbitrary<ReplicationBehaviour['walIndexAfterPromote']>,
  }),
  performanceStandbys: fc.boolean(),
  faults: fc
    .tuple(fc.oneof({ weight: 3, arbitrary: disaster }, { weight: 2, arbitrary: fc.constant([]) }), fc.array(faultEvent, { maxLength: 3 }))
    .map(([a, b]) => [...a, ...b]),
  drops: fc.array(
    fc.record({ cluster, path: fc.constantFrom(...(Object.keys(DROP_PATHS) as DropSpec['path'][])), times: fc.integer({ min: 1, max: 2 }) }),
    { maxLength: 2 },
  ),
  route53: fc.record({
    throttleChanges: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 4 }) }),
    failChanges: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
    throttleReads: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 3 }) }),
    pendingChanges: fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 6 }) }),
  }),
  invocations: fc.array(invocation, { minLength: 1, maxLength: 3 }),
  clientIntervalMs: duration(1000, 4000),
});

/** The opt-in: every schedule of `scheduleArbitrary` with a performance secondary, south, of east. */
export const performanceScheduleArbitrary: fc.Arbitrary<Schedule> = scheduleArbitrary.map((s) => ({ ...s, performanceSecondaries: ['south'] }));

/** One line per part: what a person reads in a failure report. */
export function describeSchedule(s: Schedule): string {
  const fault = (f: FaultSpec): string =>
    f.kind === 'node' ? `${f.cluster} node ${f.node} ${f.fault}` : f.kind === 'cluster' ? `${f.cluster} ${f.fault}` : `${f.cluster} ${f.network} network ${f.state}`;
  const t = s.timings;
  return [
    `seed ${s.seed}; promote ${t.promoteMs} ms, demote ${t.demoteMs} ms, update-primary ${t.updatePrimaryMs} ms, election ${t.electionMs} ms, WAL lag ${t.walLagMs} ms, merkle ${t.merkleDiffMs}+${t.merkleSyncMs} ms, standby lag ${t.standbyModeLagMs} ms, slow ${t.slowMs} ms; ` +
      `${s.replication.stateWhileDisconnected}/${s.replication.walIndexAfterDemote}/${s.replication.walIndexAfterPromote}${s.performanceStandbys ? ', performance standbys' : ''}${s.performanceSecondaries?.length ? `, performance secondaries ${s.performanceSecondaries.join(', ')}` : ''}`,
    ...s.faults.map((f) => `  fault at +${f.atMs} ms${f.forMs === null ? '' : ` for ${f.forMs} ms`}: ${fault(f.fault)}`),
    ...s.drops.map((d) => `  answer lost ${d.times}x: ${d.cluster} ${d.path}`),
    `  Route 53: ${s.route53.throttleChanges} throttled and ${s.route53.failChanges} failed changes, ${s.route53.throttleReads} throttled reads, ${s.route53.pendingChanges} PENDING answers`,
    ...(s.versions ? [`  versions: ${Object.entries(s.versions).map(([c, v]) => `${c} ${v}`).join(', ')}${s.replication.newerPrimary ? `; a newer primary: ${s.replication.newerPrimary}` : ''}`] : []),
    ...(s.operatorSteps ?? []).map((o) => `  at +${o.atMs} ms: ${o.step} on ${o.cluster}${o.step === 'add-node' ? ` (${o.version})` : ''}`),
    ...s.invocations.map(
      (i) => `  at +${i.atMs} ms: ${i.operation}${i.force ? ' (force)' : ''}, on failure ${i.onFailure}${i.twin ? `; at the same time ${i.twin.operation}${i.twin.force ? ' (force)' : ''}` : ''}`,
    ),
    `  a client writes every ${s.clientIntervalMs} ms`,
    ...(s.watchdog === undefined
      ? []
      : [`  dr-watchdog (${s.watchdog.mode}) runs ${s.watchdog.runs} times, every ${s.watchdog.intervalMs} ms from +${s.watchdog.firstAtMs} ms`]),
  ].join('\n');
}
