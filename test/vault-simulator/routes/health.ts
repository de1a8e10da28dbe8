/**
 * sys/health, sys/seal-status and sys/leader: unauthenticated, and answered with raw JSON (no
 * envelope), as Vault does. The 'sealed' fault is applied before routing (cluster.ts) except for
 * sys/health, which reports it here.
 */
import { NO_AUTH } from '../auth';
import { RECOVERY_SHARES, RECOVERY_THRESHOLD } from '../dr-operation-token';
import { type SimResponse, VaultError } from '../envelope';
import type { ClusterNode } from '../node';
import { type Route, exact } from '../router';
import type { SharedState } from '../state';

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

function nowSeconds(state: SharedState): number {
  return Math.floor(state.clock.now() / 1000);
}

/**
 * Precedence as Vault's: sealed, then the mid-transition standby (the cluster has no active node),
 * then DR secondary (472 even with standbyok), then active.
 */
export function healthResponse(node: ClusterNode, state: SharedState, query: URLSearchParams, head: boolean): SimResponse {
  const standbyOk = parseBool(query, 'standbyok');
  parseBool(query, 'perfstandbyok');
  const code = codes(query);
  const base = {
    initialized: true,
    performance_standby: false,
    server_time_utc: nowSeconds(state),
    version: VAULT_VERSION,
    enterprise: true,
  };
  let status: number;
  let body: Record<string, unknown>;
  if (node.fault() === 'sealed') {
    status = code.sealedcode;
    body = {
      ...base,
      sealed: true,
      standby: true,
      replication_performance_mode: 'unknown',
      replication_dr_mode: 'unknown',
    };
  } else {
    // Mid-transition the cluster has no active node: its nodes are standbys that cannot reach one,
    // which Vault reports as HA-unhealthy (474), ahead of the DR-secondary and standby codes.
    const viaStandby = node.healthAnsweredBy === 'standby';
    const standby = node.transitioning() || viaStandby;
    if (node.transitioning()) status = code.haunhealthycode;
    else if (node.mode === 'secondary') status = code.drsecondarycode;
    else if (viaStandby) status = standbyOk ? code.activecode : code.standbycode;
    else status = code.activecode;
    body = {
      ...base,
      sealed: false,
      standby,
      replication_performance_mode: 'disabled',
      replication_dr_mode: node.mode,
      cluster_name: node.name,
      cluster_id: node.healthClusterId,
      echo_duration_ms: 0,
      clock_skew_ms: 0,
      replication_primary_canary_age_ms: 0,
    };
  }
  return head ? { status } : { status, body };
}

export const sealStatusRoute: Route = {
  match: exact('sys/seal-status'),
  auth: () => NO_AUTH,
  operations: {
    read: ({ node }) => ({
      status: 200,
      // KMS auto-unseal (the project's clusters): t and n are the recovery key threshold and shares.
      body: {
        type: 'awskms',
        initialized: true,
        sealed: false,
        t: RECOVERY_THRESHOLD,
        n: RECOVERY_SHARES,
        progress: 0,
        nonce: '',
        version: VAULT_VERSION,
        build_date: '2025-10-01T00:00:00Z',
        migration: false,
        cluster_name: node.name,
        cluster_id: node.healthClusterId,
        recovery_seal: true,
        storage_type: 'raft',
      },
    }),
  },
};

export const leaderRoute: Route = {
  match: exact('sys/leader'),
  auth: () => NO_AUTH,
  operations: {
    read: ({ node }) => ({
      status: 200,
      body: {
        ha_enabled: true,
        is_self: true,
        active_time: '2025-01-01T00:00:00Z',
        leader_address: node.address,
        leader_cluster_address: node.address,
        performance_standby: false,
        performance_standby_last_remote_wal: 0,
        raft_committed_index: 100,
        raft_applied_index: 100,
      },
    }),
  },
};
