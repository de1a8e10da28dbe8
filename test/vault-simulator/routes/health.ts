/**
 * sys/health, sys/seal-status and sys/leader: unauthenticated, answered with raw JSON (no
 * envelope) by the node the request reached, never forwarded (Vault's http/handler.go registers
 * them outside request forwarding). sys/health follows Vault's http/sys_health.go: a standby
 * reports the replication mode it last learned from its active node.
 */
import { NO_AUTH } from '../auth';
import { RECOVERY_SHARES, RECOVERY_THRESHOLD } from '../dr-operation-token';
import { type SimResponse, VaultError } from '../envelope';
import type { VaultNode } from '../node';
import { type Route, exact } from '../router';
import type { ClusterCore } from '../cluster';

export const VAULT_VERSION = '1.21.0+ent';

const CODE_PARAMS = [
  'activecode',
  'standbycode',
  'drsecondarycode',
  'performancestandbycode',
  'sealedcode',
  'uninitcode',
  'haunhealthycode',
  'removedcode',
] as const;
type CodeParam = (typeof CODE_PARAMS)[number];

const DEFAULT_CODES: Readonly<Record<CodeParam, number>> = {
  activecode: 200,
  standbycode: 429,
  drsecondarycode: 472,
  performancestandbycode: 473,
  sealedcode: 503,
  uninitcode: 501,
  haunhealthycode: 474,
  removedcode: 530,
};

// A bad value answers 400 with an empty error list: http/sys_health.go logs the error and calls
// respondError(w, code, nil).
function parseBool(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  if (value === null) return false;
  // A bare `?standbyok` means true, as with Go's query parsing plus parseutil.
  if (value === '' || /^(1|t|true)$/i.test(value)) return true;
  if (/^(0|f|false)$/i.test(value)) return false;
  throw new VaultError(400);
}

function codes(query: URLSearchParams): Record<CodeParam, number> {
  const result = { ...DEFAULT_CODES };
  for (const name of CODE_PARAMS) {
    const value = query.get(name);
    if (value === null) continue;
    if (!/^\d+$/.test(value)) throw new VaultError(400);
    result[name] = Number(value);
  }
  return result;
}

/** The status code and body `node` answers sys/health with (status only for HEAD). */
export function nodeHealth(cluster: ClusterCore, node: VaultNode, query: URLSearchParams, head: boolean): SimResponse {
  const standbyOk = parseBool(query, 'standbyok');
  const perfStandbyOk = parseBool(query, 'perfstandbyok');
  const code = codes(query);
  const base = {
    server_time_utc: Math.floor(cluster.now() / 1000),
    // The answering node's binary (http/sys_health.go reports version.GetVersion() of the process).
    version: node.version,
    enterprise: true,
  };
  const unknownModes = { performance_standby: false, replication_performance_mode: 'unknown', replication_dr_mode: 'unknown' };
  const fault = node.fault();
  let status: number;
  let body: Record<string, unknown>;
  if (fault === 'uninitialized') {
    status = code.uninitcode;
    body = { initialized: false, sealed: true, standby: true, ...base, ...unknownModes };
  } else if (fault === 'removed') {
    status = code.removedcode;
    body = { initialized: true, sealed: true, standby: true, removed_from_cluster: true, ...base, ...unknownModes };
  } else if (fault === 'sealed') {
    status = code.sealedcode;
    body = { initialized: true, sealed: true, standby: true, ...base, ...unknownModes };
  } else {
    const active = cluster.isActive(node);
    // A standby with no active node to heartbeat (an election, lost quorum), and every node of a
    // cluster mid-promote/demote, is HA-unhealthy: 474, ahead of the DR-secondary and standby codes.
    const haUnhealthy = cluster.transitioning() || (!active && !cluster.hasActiveNode());
    const mode = cluster.learnedMode(node);
    const perfStandby = !active && cluster.performanceStandbys();
    if (haUnhealthy) status = code.haunhealthycode;
    else if (mode === 'secondary') status = code.drsecondarycode;
    else if (perfStandby) status = perfStandbyOk ? code.activecode : code.performancestandbycode;
    else if (!active) status = standbyOk ? code.activecode : code.standbycode;
    else status = code.activecode;
    body = {
      initialized: true,
      sealed: false,
      standby: !active || cluster.transitioning(),
      performance_standby: perfStandby,
      ...base,
      // Its performance mode as the node knows it (a standby learns it late, as the DR mode).
      replication_performance_mode: cluster.learnedPerformanceMode(node),
      replication_dr_mode: mode,
      cluster_name: cluster.name,
      cluster_id: node.healthClusterId,
      removed_from_cluster: false,
      echo_duration_ms: 0,
      clock_skew_ms: 0,
      replication_primary_canary_age_ms: 0,
      // `last_wal,omitempty` (http/sys_health.go HealthResponse): the active node's, left out while 0.
      ...(active ? (cluster.lastWal() > 0 ? { last_wal: cluster.lastWal() } : {}) : { ha_connection_healthy: !haUnhealthy }),
    };
  }
  return head ? { status } : { status, body };
}

export const sealStatusRoute: Route = {
  match: exact('sys/seal-status'),
  auth: () => NO_AUTH,
  operations: {
    read: ({ cluster, node }) => {
      const sealed = ['sealed', 'uninitialized', 'removed'].includes(node.fault());
      return {
        status: 200,
        // KMS auto-unseal (the project's clusters): t and n are the recovery key threshold and shares.
        body: {
          type: 'awskms',
          initialized: node.fault() !== 'uninitialized',
          sealed,
          t: RECOVERY_THRESHOLD,
          n: RECOVERY_SHARES,
          progress: 0,
          nonce: '',
          version: node.version,
          build_date: '2025-10-01T00:00:00Z',
          migration: false,
          recovery_seal: true,
          storage_type: 'raft',
          removed_from_cluster: node.fault() === 'removed',
          ...(sealed ? {} : { cluster_name: cluster.name, cluster_id: node.healthClusterId }),
        },
      };
    },
  },
};

export const leaderRoute: Route = {
  match: exact('sys/leader'),
  auth: () => NO_AUTH,
  operations: {
    read: ({ cluster, node }) => {
      const active = cluster.activeNodeAddress();
      return {
        status: 200,
        body: {
          ha_enabled: true,
          is_self: cluster.isActive(node),
          active_time: '2025-01-01T00:00:00Z',
          leader_address: active ?? '',
          leader_cluster_address: active ?? '',
          performance_standby: false,
          performance_standby_last_remote_wal: 0,
          raft_committed_index: cluster.lastWal(),
          raft_applied_index: cluster.lastWal(),
        },
      };
    },
  },
};
