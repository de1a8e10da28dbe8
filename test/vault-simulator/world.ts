/**
 * startVaultWorld: N clusters of Vault nodes on 127.0.0.1 (two load balancer listeners each: the
 * functions' and the clients'), each with its own storage, with DR roles, one simulated clock,
 * one seeded random source and one observer. startVaultPair (pair.ts) is the two-cluster case.
 */
import { BatchTokenRegistry } from './batch-tokens';
import { SimulatedClock } from './clock';
import { ClusterCore } from './cluster';
import { configureDr, createDrBatchToken } from './configure';
import type { WorldContext } from './context';
import { DrOperationTokens } from './dr-operation-token';
import { Observer } from './observer';
import { PerformanceReplication } from './performance';
import { Replication } from './replication';
import { SeededRandom, chooseSeed } from './rng';
import { ROUTES } from './routes';
import { VAULT_VERSION } from './routes/health';
import { SecretLog } from './secrets';
import {
  checkNodeCount,
  parseVersion,
  resolveHealthChecks,
  resolveOperationTokenGeneration,
  resolvePerformance,
  resolveReplication,
  resolveTimings,
} from './settings';
import { getServerTls } from './tls';
import { TokenStore } from './token-store';
import type { ConfiguredDrNames, SimulatedCluster, StartVaultWorldOptions, VaultWorld } from './types';

const DEFAULT_DR_TOKEN_TTL = '8h';

type Role = 'primary' | 'disabled' | { secondaryOf: string };

interface Roles {
  readonly dr: Map<string, Role>;
  readonly performance: Map<string, Role>;
}

function checkSpecs(options: StartVaultWorldOptions): Roles {
  if (!Array.isArray(options.clusters) || options.clusters.length === 0) {
    throw new RangeError('startVaultWorld: clusters must list at least one cluster, e.g. [{ name: "east", dr: "primary" }]');
  }
  const roles = new Map<string, Role>();
  const performance = new Map<string, Role>();
  for (const spec of options.clusters) {
    if (typeof spec.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(spec.name)) {
      throw new RangeError(`startVaultWorld: cluster name must be lower-case letters, digits and dashes, got ${JSON.stringify(spec.name)}`);
    }
    if (roles.has(spec.name)) throw new RangeError(`startVaultWorld: the cluster names must differ, got "${spec.name}" twice`);
    checkNodeCount(spec.name, spec.nodes);
    parseVersion(`cluster "${spec.name}" version`, spec.version ?? VAULT_VERSION);
    roles.set(spec.name, spec.dr ?? 'disabled');
    performance.set(spec.name, spec.performance ?? 'disabled');
  }
  for (const [name, role] of roles) {
    if (typeof role === 'string') {
      if (role !== 'primary' && role !== 'disabled') throw new RangeError(`cluster "${name}": dr must be 'primary', 'disabled' or { secondaryOf }, got "${role}"`);
      continue;
    }
    if (roles.get(role.secondaryOf) !== 'primary') {
      throw new RangeError(`cluster "${name}": dr.secondaryOf must name a cluster with dr 'primary', got "${role.secondaryOf}"`);
    }
    if (performance.get(name) !== 'disabled') {
      throw new RangeError(`cluster "${name}": a DR secondary takes its DR primary's performance role; leave performance out`);
    }
  }
  for (const [name, role] of performance) {
    if (typeof role === 'string') {
      if (role !== 'primary' && role !== 'disabled') throw new RangeError(`cluster "${name}": performance must be 'primary', 'disabled' or { secondaryOf }, got "${role}"`);
      continue;
    }
    if (performance.get(role.secondaryOf) !== 'primary') {
      throw new RangeError(`cluster "${name}": performance.secondaryOf must name a cluster with performance 'primary', got "${role.secondaryOf}"`);
    }
  }
  return { dr: roles, performance };
}

export async function startVaultWorld(options: StartVaultWorldOptions): Promise<VaultWorld> {
  const roles = checkSpecs(options);
  const seed = chooseSeed(options.seed);
  const clock = new SimulatedClock(options.timeScale ?? 1);
  const timings = resolveTimings(options.timings);
  const healthChecks = resolveHealthChecks(options.healthChecks);
  const behaviour = resolveReplication(options.replication);
  const performanceBehaviour = resolvePerformance(options.performance);
  const operationTokenGeneration = resolveOperationTokenGeneration(options.drOperationTokenGeneration);
  const tls = await getServerTls();
  const secrets = new SecretLog();
  const root = new TokenStore(clock, secrets).issueRoot();
  const observer = new Observer(clock, seed);
  const byName = new Map<string, ClusterCore>();
  let reconciling = false;
  let again = false;

  const context: WorldContext = {
    clock,
    random: new SeededRandom(seed),
    timings,
    healthChecks,
    behaviour,
    performanceBehaviour,
    performanceStandbys: options.performanceStandbys ?? false,
    settings: { stsEndpoint: options.stsEndpoint, iamServerIdHeaderValue: options.iamServerIdHeaderValue },
    observer,
    // Set right below: the replication engines need the context too.
    replication: undefined as unknown as Replication,
    performanceReplication: undefined as unknown as PerformanceReplication,
    secrets,
    batchTokens: new BatchTokenRegistry(clock),
    drOperationTokens: new DrOperationTokens(clock, secrets, operationTokenGeneration),
    root,
    tls,
    routes: ROUTES,
    cluster(name) {
      const found = byName.get(name);
      if (found === undefined) throw new Error(`no simulated cluster named "${name}" (have ${[...byName.keys()].join(', ')})`);
      return found;
    },
    changed() {
      // Re-entrant calls (an election that changes a link that ...) loop here until nothing moves.
      if (reconciling) {
        again = true;
        return;
      }
      reconciling = true;
      try {
        do {
          again = false;
          for (const cluster of byName.values()) if (cluster.reconcileHa()) again = true;
          context.replication.reconcile();
          context.performanceReplication.reconcile();
          observer.sample();
        } while (again);
      } finally {
        reconciling = false;
      }
    },
  };
  const replication = new Replication(context);
  (context as { replication: Replication }).replication = replication;
  const performance = new PerformanceReplication(context);
  (context as { performanceReplication: PerformanceReplication }).performanceReplication = performance;

  const clusters = await Promise.all(
    options.clusters.map((spec) =>
      ClusterCore.start(context, { name: spec.name, nodes: checkNodeCount(spec.name, spec.nodes), version: spec.version ?? VAULT_VERSION }),
    ),
  );
  for (const cluster of clusters) byName.set(cluster.name, cluster);
  replication.initialise(clusters, roles.dr, () => performance.initialise(clusters, roles.performance));
  performance.settle();
  observer.watch(clusters);
  context.changed();

  let configured: ConfiguredDrNames | undefined;
  const answeringPrimary = (): ClusterCore => {
    const answering = clusters.filter((cluster) => cluster.isAnsweringPrimary());
    if (answering.length !== 1) {
      throw new Error(`no single answering DR primary to configure (answering primaries: [${answering.map((c) => c.name).join(', ')}])`);
    }
    return answering[0] as ClusterCore;
  };
  const target = {
    caPem: tls.caPem,
    rootToken: root.id,
    stsEndpoint: options.stsEndpoint,
    iamServerIdHeaderValue: options.iamServerIdHeaderValue,
    primaryAddress: () => answeringPrimary().address,
    clusterAddress: (name: string) => context.cluster(name).address,
  };

  const world: VaultWorld = {
    clusters,
    cluster(name: string): SimulatedCluster {
      return context.cluster(name);
    },
    caPem: tls.caPem,
    caFile: tls.caFile,
    rootToken: root.id,
    seed,
    timeScale: clock.timeScale,
    timings,
    now: () => clock.now(),
    sleep: (ms) => clock.sleep(ms),
    advanceClock: (ms) => clock.advance(ms),
    observer,
    primaryNames: () => replication.primaryNames(),
    answeringPrimaryNames: () => replication.answeringPrimaryNames(),
    maxAnsweringPrimaries: () => observer.maxConcurrentWritable(),
    transitions: () => replication.transitions(),
    performanceTransitions: () => performance.transitions(),
    issuedSecrets: () => secrets.all(),
    recoveryKeys: () => context.drOperationTokens.recoveryKeys(),
    async waitForReplication(waitOptions = {}) {
      const timeoutMs = waitOptions.timeoutMs ?? 5000;
      const until = Date.now() + timeoutMs;
      for (;;) {
        const drLaggards = clusters
          .filter((cluster) => {
            if (cluster.dr.mode !== 'secondary' || cluster.dr.primaryName === undefined || cluster.dr.state !== 'stream-wals') return false;
            const primary = context.cluster(cluster.dr.primaryName);
            return replication.linkUp(primary, cluster) && cluster.dr.lastRemoteWal < primary.lastWal();
          })
          .map((c) => {
            const primary = context.cluster(c.dr.primaryName as string);
            return { behind: `${c.name} at WAL ${c.dr.lastRemoteWal} of ${primary.lastWal()}`, dueAt: primary.wal.nextDueAt(c.dr.lastRemoteWal, timings.walLagMs) };
          });
        const laggards = [...drLaggards, ...performance.laggards()];
        if (laggards.length === 0) return;
        if (Date.now() > until) {
          throw new Error(`waitForReplication: still behind after ${timeoutMs} ms: ${laggards.map((l) => l.behind).join(', ')}`);
        }
        if (waitOptions.advanceClock === true) {
          const due = laggards.map((l) => l.dueAt).filter((at): at is number => at !== undefined);
          if (due.length > 0) {
            // Fires the stream's pump when the entry is due (at once when it is due already).
            clock.advance(Math.max(0, Math.min(...due) - clock.now()));
            await new Promise((resolve) => setImmediate(resolve));
            continue;
          }
        }
        await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(20, clock.realMs(timings.walLagMs)))));
      }
    },
    async configureDr(drOptions, wait) {
      configured = await configureDr(target, drOptions);
      await world.waitForReplication(wait);
      return configured;
    },
    async createDrBatchToken(tokenOptions = {}) {
      if (configured === undefined) throw new Error('createDrBatchToken: call configureDr first');
      const token = await createDrBatchToken(target, configured.tokenRole, tokenOptions.ttl ?? DEFAULT_DR_TOKEN_TTL);
      const entry = answeringPrimary().state.tokens.lookup(token);
      if (entry?.expiresAt === undefined) throw new Error('createDrBatchToken: the new token is not in the store');
      return { token, expiresAt: new Date(entry.expiresAt) };
    },
    async stop() {
      replication.stop();
      performance.stop();
      clock.stop();
      await Promise.all(clusters.map((cluster) => cluster.stop()));
    },
  };
  return world;
}
