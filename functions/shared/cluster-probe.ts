/**
 * What each cluster says it is. The real primary is inferred from these answers, never from the
 * clusters' names or from their order in the configuration.
 */
import type { ClusterRef } from './vault-config';
import { VaultApiError, type VaultApi } from './vault-api';
import { VaultUnreachableError } from './vault-http';

export type ClusterRole =
  /** A DR primary with an active node: its active node, or a standby that reaches it, answered. */
  | 'primary'
  /** sys/health 472: a DR secondary (including a demoted primary waiting for update-primary). */
  | 'dr-secondary'
  /** An active cluster with DR replication disabled. */
  | 'standalone'
  /** sys/health 474 (or 429): unsealed, but no active node (mid-promotion, mid-election, lost quorum). */
  | 'no-leader'
  | 'sealed'
  /** Answered, but not with a role (500, 501, ...). */
  | 'error'
  /** No HTTP answer: refused, timed out, TLS failure. */
  | 'unreachable';

export interface ClusterView {
  readonly name: string;
  readonly address: string;
  readonly role: ClusterRole;
  /** True when the cluster sent any HTTP answer. */
  readonly reachable: boolean;
  readonly healthStatus?: number;
  readonly drMode?: string;
  /** DR replication state: `running` on a primary; `stream-wals`, `merkle-sync`, `idle`, ... on a secondary. */
  readonly drState?: string;
  readonly connectionState?: string;
  /** A secondary whose primary connection is up. */
  readonly connectedToPrimary?: boolean;
  /** A secondary that knows a primary it replicates from (false on a freshly demoted cluster). */
  readonly hasKnownPrimary?: boolean;
  readonly knownSecondaries?: readonly string[];
  /** Why the role is what it is when the cluster did not answer normally. */
  readonly problem?: string;
}

/**
 * The role from sys/health asked with standbyok and perfstandbyok (HEALTH_PATH). A cluster address
 * is a load balancer whose target group keeps standbys in service, so a probe may land on any node;
 * with those parameters a standby that reaches its active node answers 200 like the active node,
 * and one that does not answers 474. Vault's precedence keeps 472 for a DR secondary.
 */
function roleFromHealth(status: number, drMode: string | undefined): ClusterRole {
  if (status === 200) {
    if (drMode === 'primary') return 'primary';
    if (drMode === 'secondary') return 'dr-secondary';
    return 'standalone';
  }
  if (status === 472) return 'dr-secondary';
  if (status === 474 || status === 429) return 'no-leader';
  if (status === 503) return 'sealed';
  return 'error';
}

function reasonOf(err: unknown): string {
  if (err instanceof VaultUnreachableError) return err.reason;
  if (err instanceof VaultApiError) return `HTTP ${err.status}${err.errors.length ? `: ${err.errors.join('; ')}` : ''}`;
  return String((err as Error)?.message ?? err);
}

/** sys/health and sys/replication/dr/status, asked in parallel so a dead cluster costs one timeout. */
export async function probeCluster(cluster: ClusterRef, api: VaultApi): Promise<ClusterView> {
  const [health, dr] = await Promise.allSettled([api.health(), api.drStatus()]);
  if (health.status === 'rejected') {
    const unreachable = health.reason instanceof VaultUnreachableError;
    return { ...cluster, role: unreachable ? 'unreachable' : 'error', reachable: !unreachable, problem: reasonOf(health.reason) };
  }
  const status = dr.status === 'fulfilled' ? dr.value : undefined;
  const drMode = status?.mode ?? health.value.replication_dr_mode;
  const role = roleFromHealth(health.value.status, drMode);
  const primaries = status?.primaries ?? [];
  return {
    ...cluster,
    role,
    reachable: true,
    healthStatus: health.value.status,
    ...(drMode === undefined ? {} : { drMode }),
    ...(status?.state === undefined ? {} : { drState: status.state }),
    ...(status?.connection_state === undefined ? {} : { connectionState: status.connection_state }),
    ...(drMode === 'secondary'
      ? {
          connectedToPrimary: primaries.some((p) => p.connection_status === 'connected'),
          hasKnownPrimary: primaries.length > 0 || (status?.known_primary_cluster_addrs?.length ?? 0) > 0,
        }
      : {}),
    ...(status?.known_secondaries === undefined ? {} : { knownSecondaries: status.known_secondaries }),
    ...(role === 'error' || role === 'sealed' || role === 'no-leader'
      ? { problem: `sys/health answered ${health.value.status}` }
      : dr.status === 'rejected'
        ? { problem: `sys/replication/dr/status: ${reasonOf(dr.reason)}` }
        : {}),
  };
}

/**
 * A DR secondary that can be promoted without losing data: it replicates (stream-wals) from a
 * primary it knows. Its connection to that primary may be down: that is what a disaster looks like.
 */
export function isHealthyDrSecondary(view: ClusterView): boolean {
  return view.role === 'dr-secondary' && view.drState === 'stream-wals' && view.hasKnownPrimary === true;
}

export type Topology =
  | { readonly kind: 'one-primary'; readonly primary: ClusterView; readonly other: ClusterView }
  | { readonly kind: 'split-brain'; readonly primaries: readonly [ClusterView, ClusterView] }
  | { readonly kind: 'no-primary' };

export function assessTopology(views: readonly [ClusterView, ClusterView]): Topology {
  const [a, b] = views;
  if (a.role === 'primary' && b.role === 'primary') return { kind: 'split-brain', primaries: [a, b] };
  if (a.role === 'primary') return { kind: 'one-primary', primary: a, other: b };
  if (b.role === 'primary') return { kind: 'one-primary', primary: b, other: a };
  return { kind: 'no-primary' };
}

export function describeView(view: ClusterView): string {
  const parts: string[] = [view.role];
  if (view.drState) parts.push(`state ${view.drState}`);
  if (view.connectedToPrimary === false) parts.push('primary connection down');
  if (view.problem) parts.push(view.problem);
  return `${view.name} (${view.address}): ${parts.join(', ')}`;
}
