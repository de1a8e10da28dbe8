/**
 * Cluster views as an operator describes them ("a healthy DR secondary whose primary connection is
 * down"), for the decision tests. Each is what classify makes of the answers a real cluster gives
 * (test/functions/decisions/cluster-role.test.ts checks the classification itself); the planners
 * are tested from these views alone.
 */
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { RefusedError, type ErrorDetails, type NextCommand } from '../../../functions/shared/errors';

export const at = (name: string) => ({ name, address: `https://${name}.example.com:8200` });

/** Answers 200 with DR mode primary: its active node (or a standby that reaches it) answered. */
export const primary = (name: string): ClusterView => ({ ...at(name), role: 'primary', reachable: true, healthStatus: 200, drMode: 'primary', drState: 'running' });

/** A DR secondary streaming WALs from the primary it knows, connected to it. */
export const secondary = (name: string, extra: Partial<ClusterView> = {}): ClusterView => ({
  ...at(name),
  role: 'dr-secondary',
  reachable: true,
  healthStatus: 472,
  drMode: 'secondary',
  drState: 'stream-wals',
  connectedToPrimary: true,
  hasKnownPrimary: true,
  primaryLink: { connected: true, heartbeatAgeMs: 1000 },
  ...extra,
});

/** Still a healthy DR secondary (it streams from a primary it knows), but its primary connection is down: what a disaster looks like from it. */
export const cutOff = (name: string, heartbeatAgeMs = 60_000, extra: Partial<ClusterView> = {}): ClusterView =>
  secondary(name, { connectedToPrimary: false, primaryLink: { connected: false, heartbeatAgeMs }, ...extra });

/** A DR secondary out of sync (merkle-sync, merkle-diff) or idle: promoting it may lose data. */
export const unsynced = (name: string, drState: 'merkle-sync' | 'merkle-diff' | 'idle', extra: Partial<ClusterView> = {}): ClusterView => secondary(name, { drState, ...extra });

/** A demoted primary waiting for update-primary: a DR secondary that knows no primary. */
export const demoted = (name: string): ClusterView => ({
  ...at(name),
  role: 'dr-secondary',
  reachable: true,
  healthStatus: 472,
  drMode: 'secondary',
  drState: 'idle',
  connectedToPrimary: false,
  hasKnownPrimary: false,
});

/** Answered sys/health as a DR secondary, but its replication status could not be read: what it replicates from is unknown. */
export const unreadSecondary = (name: string): ClusterView => ({
  ...at(name),
  role: 'dr-secondary',
  reachable: true,
  healthStatus: 472,
  drMode: 'secondary',
  problem: 'sys/replication/dr/status: HTTP 500: internal error',
});

export const noLeader = (name: string): ClusterView => ({ ...at(name), role: 'no-leader', reachable: true, healthStatus: 474, problem: 'sys/health answered 474' });
export const sealed = (name: string): ClusterView => ({ ...at(name), role: 'sealed', reachable: true, healthStatus: 503, problem: 'sys/health answered 503' });
export const erroring = (name: string): ClusterView => ({ ...at(name), role: 'error', reachable: true, healthStatus: 500, problem: 'sys/health answered 500' });
export const unreachable = (name: string): ClusterView => ({ ...at(name), role: 'unreachable', reachable: false, problem: 'UND_ERR_CONNECT_TIMEOUT' });
export const standalone = (name: string): ClusterView => ({ ...at(name), role: 'standalone', reachable: true, healthStatus: 200, drMode: 'disabled' });

/** The refusal `fn` throws: a RefusedError whose details say nothing was changed. */
export function refusalOf(fn: () => unknown): RefusedError & { details: ErrorDetails } {
  let thrown: unknown;
  try {
    fn();
  } catch (err) {
    thrown = err;
  }
  if (thrown === undefined) throw new Error('expected a refusal, got a plan');
  expect(thrown).toBeInstanceOf(RefusedError);
  const refusal = thrown as RefusedError;
  expect(refusal.details).toBeDefined();
  expect(refusal.details?.changed).toEqual([]);
  // The error carries its next command itself too (the handler reads it from there).
  expect(refusal.next).toEqual(refusal.details?.next);
  return refusal as RefusedError & { details: ErrorDetails };
}

/** The next command of a refusal. */
export function nextOf(fn: () => unknown): NextCommand | null {
  return refusalOf(fn).details.next;
}
