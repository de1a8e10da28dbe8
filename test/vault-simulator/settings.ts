/**
 * The simulator's settings, their defaults and their validation. Every number a HashiCorp or AWS
 * page does not fix is a setting; README.md ("Settings") says for each where its default comes
 * from. Invalid options fail startVaultWorld with an error naming the field, before anything starts.
 */
import { VAULT_HEALTH_CHECK } from '../../modules/vault-cluster/health-check';
import type { PerformanceBehaviour, ReplicationBehaviour, TargetHealthChecks, Timings } from './types';

/**
 * Defaults for tests of the functions: transitions short enough for real-time tests, the same
 * promote/demote time as the simulator always had, and no delay where a delay would only slow
 * every test down (elections, re-syncs, standby learning); the simulator's own tests set those.
 */
export const FAST_TIMINGS: Timings = Object.freeze({
  electionMs: 0,
  promoteMs: 100,
  demoteMs: 100,
  updatePrimaryMs: 0,
  merkleDiffMs: 0,
  merkleSyncMs: 0,
  walLagMs: 10,
  heartbeatIntervalMs: 100,
  standbyModeLagMs: 0,
  slowMs: 1500,
});

/**
 * Minute-scale values for runs with a large timeScale. Each is a plausible point inside what the
 * sources allow, not a measurement (README.md, "Settings"): HashiCorp's DR scenario allows 120 s
 * for a leader after promote and demote; Raft's timings are scaled by performance_multiplier 5 by
 * default, which puts leader-loss detection plus election at several seconds.
 */
export const REALISTIC_TIMINGS: Timings = Object.freeze({
  electionMs: 10_000,
  promoteMs: 30_000,
  demoteMs: 30_000,
  updatePrimaryMs: 10_000,
  merkleDiffMs: 5_000,
  merkleSyncMs: 30_000,
  walLagMs: 500,
  heartbeatIntervalMs: 5_000,
  standbyModeLagMs: 5_000,
  slowMs: 3_000,
});

/** The project's target group (modules/vault-cluster/health-check.ts), in ms. */
export const PROJECT_HEALTH_CHECKS: TargetHealthChecks = Object.freeze({
  intervalMs: VAULT_HEALTH_CHECK.intervalSeconds * 1000,
  timeoutMs: VAULT_HEALTH_CHECK.timeoutSeconds * 1000,
  healthyThreshold: VAULT_HEALTH_CHECK.healthyThreshold,
  unhealthyThreshold: VAULT_HEALTH_CHECK.unhealthyThreshold,
});

/** What the project's target group asks sys/health (standbyok, perfstandbyok, drsecondarycode=200). */
export const PROJECT_HEALTH_QUERY = new URLSearchParams(VAULT_HEALTH_CHECK.path.split('?')[1] ?? '');
export const PROJECT_HEALTH_MATCHER = Number(VAULT_HEALTH_CHECK.matcher);

export const DEFAULT_REPLICATION: ReplicationBehaviour = Object.freeze({
  stateWhileDisconnected: 'stream-wals',
  walIndexAfterDemote: 'kept',
  walIndexAfterPromote: 'continued',
  newerPrimary: 'refused',
});

export const DEFAULT_PERFORMANCE: PerformanceBehaviour = Object.freeze({
  followPromotedPrimary: 'update-primary',
  drSecondaryReports: 'disabled',
  forwardedWriteWaitMs: 2000,
});

export const DEFAULT_NODES = 5;
const MAX_NODES = 9;

function nonNegative(field: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${field} must be a finite number of simulated ms >= 0, got ${String(value)}`);
  }
  return value;
}

export function resolveTimings(partial: Partial<Timings> | undefined): Timings {
  const merged = { ...FAST_TIMINGS, ...(partial ?? {}) };
  for (const key of Object.keys(merged) as (keyof Timings)[]) {
    if (!(key in FAST_TIMINGS)) throw new RangeError(`timings.${key} is not a setting (known: ${Object.keys(FAST_TIMINGS).join(', ')})`);
    nonNegative(`timings.${key}`, merged[key]);
  }
  if (merged.heartbeatIntervalMs === 0) throw new RangeError('timings.heartbeatIntervalMs must be above 0');
  return Object.freeze(merged);
}

export function resolveHealthChecks(option: TargetHealthChecks | false | undefined): TargetHealthChecks | false {
  if (option === false) return false;
  const checks = option ?? PROJECT_HEALTH_CHECKS;
  if (nonNegative('healthChecks.intervalMs', checks.intervalMs) === 0) throw new RangeError('healthChecks.intervalMs must be above 0');
  nonNegative('healthChecks.timeoutMs', checks.timeoutMs);
  for (const field of ['healthyThreshold', 'unhealthyThreshold'] as const) {
    if (!Number.isInteger(checks[field]) || checks[field] < 1) {
      throw new RangeError(`healthChecks.${field} must be a whole number >= 1, got ${String(checks[field])}`);
    }
  }
  return checks;
}

export function resolveReplication(partial: Partial<ReplicationBehaviour> | undefined): ReplicationBehaviour {
  const merged = { ...DEFAULT_REPLICATION, ...(partial ?? {}) };
  const allowed: Record<keyof ReplicationBehaviour, readonly string[]> = {
    stateWhileDisconnected: ['stream-wals', 'idle'],
    walIndexAfterDemote: ['kept', 'reset'],
    walIndexAfterPromote: ['continued', 'reset'],
    newerPrimary: ['refused', 'stream-stops', 'streams'],
  };
  for (const key of Object.keys(merged) as (keyof ReplicationBehaviour)[]) {
    const choices = allowed[key];
    if (choices === undefined) throw new RangeError(`replication.${key} is not a setting (known: ${Object.keys(allowed).join(', ')})`);
    if (!choices.includes(merged[key])) throw new RangeError(`replication.${key} must be one of ${choices.join(', ')}, got ${String(merged[key])}`);
  }
  return Object.freeze(merged);
}

export function resolvePerformance(partial: Partial<PerformanceBehaviour> | undefined): PerformanceBehaviour {
  const merged = { ...DEFAULT_PERFORMANCE, ...(partial ?? {}) };
  const allowed: Record<Exclude<keyof PerformanceBehaviour, 'forwardedWriteWaitMs'>, readonly string[]> = {
    followPromotedPrimary: ['update-primary', 'automatic'],
    drSecondaryReports: ['disabled', 'inherited'],
  };
  for (const key of Object.keys(merged) as (keyof PerformanceBehaviour)[]) {
    if (key === 'forwardedWriteWaitMs') {
      nonNegative('performance.forwardedWriteWaitMs', merged[key]);
      continue;
    }
    const choices = allowed[key];
    if (choices === undefined) throw new RangeError(`performance.${key} is not a setting (known: ${[...Object.keys(allowed), 'forwardedWriteWaitMs'].join(', ')})`);
    if (!choices.includes(merged[key])) throw new RangeError(`performance.${key} must be one of ${choices.join(', ')}, got ${String(merged[key])}`);
  }
  return Object.freeze(merged);
}

/** How generate-operation-token authenticates (dr-operation-token.ts); README.md, "DR operation tokens from key shares". */
export function resolveOperationTokenGeneration(option: 'unauthenticated' | 'token' | undefined): 'unauthenticated' | 'token' {
  const value = option ?? 'unauthenticated';
  if (value !== 'unauthenticated' && value !== 'token') {
    throw new RangeError(`drOperationTokenGeneration must be 'unauthenticated' or 'token', got ${JSON.stringify(option)}`);
  }
  return value;
}

export function checkNodeCount(cluster: string, nodes: number | undefined): number {
  const count = nodes ?? DEFAULT_NODES;
  if (!Number.isInteger(count) || count < 1 || count > MAX_NODES) {
    throw new RangeError(`cluster "${cluster}": nodes must be a whole number from 1 to ${MAX_NODES}, got ${String(nodes)}`);
  }
  return count;
}

/** [major, minor, patch] of "1.21.0+ent" (a suffix is ignored), or a clear error. */
export function parseVersion(field: string, version: string): [number, number, number] {
  const match = /^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$/.exec(version);
  if (match === null) throw new RangeError(`${field} must look like "1.21.0+ent", got "${version}"`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

/** Negative when a is older than b, 0 when equal, positive when newer. */
export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseVersion('version', a), parseVersion('version', b)];
  for (let i = 0; i < 3; i++) {
    const diff = (x[i] as number) - (y[i] as number);
    if (diff !== 0) return diff;
  }
  return 0;
}
