/**
 * What a world shares with its clusters and its replication engines (DR and performance): the clock, the seeded
 * randomness, the settings, the observer, the secrets log, the batch-token registry, the recovery
 * key and DR operation tokens, the route table, and `changed()`, which every state change calls so that elections, replication
 * links and the observer's samples are brought up to date at once.
 */
import type { BatchTokenRegistry } from './batch-tokens';
import type { SimulatedClock } from './clock';
import type { ClusterCore } from './cluster';
import type { DrOperationTokens } from './dr-operation-token';
import type { Observer } from './observer';
import type { PerformanceReplication } from './performance';
import type { Replication } from './replication';
import type { SeededRandom } from './rng';
import type { Route } from './router';
import type { SecretLog } from './secrets';
import type { SimulatorSettings } from './state';
import type { ServerTls } from './tls';
import type { TokenEntry } from './token-store';
import type { PerformanceBehaviour, ReplicationBehaviour, TargetHealthChecks, Timings } from './types';

export interface WorldContext {
  readonly clock: SimulatedClock;
  readonly random: SeededRandom;
  readonly timings: Timings;
  readonly healthChecks: TargetHealthChecks | false;
  readonly behaviour: ReplicationBehaviour;
  readonly performanceBehaviour: PerformanceBehaviour;
  readonly performanceStandbys: boolean;
  readonly settings: SimulatorSettings;
  readonly observer: Observer;
  readonly replication: Replication;
  /** Performance replication beside DR (performance.ts). */
  readonly performanceReplication: PerformanceReplication;
  readonly secrets: SecretLog;
  readonly batchTokens: BatchTokenRegistry;
  /** The recovery key, generate-operation-token attempts and the DR operation tokens they made. */
  readonly drOperationTokens: DrOperationTokens;
  readonly root: TokenEntry;
  readonly tls: ServerTls;
  readonly routes: readonly Route[];
  cluster(name: string): ClusterCore;
  /** Brings elections, replication links and the observer up to date after any state change. */
  changed(): void;
}
