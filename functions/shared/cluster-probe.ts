/**
 * What each cluster says it is. The real primary is inferred from these answers, never from the
 * clusters' names or from their order in the configuration. `classify` is pure: the answers in,
 * the view out.
 */
import type { NextCommand } from './errors';
import type { ClusterRef } from './settings/clusters';
import { VaultApiError, type DrStatusData, type HealthAnswer, type VaultApi } from './vault-api';
import { VaultUnreachableError } from './vault-http';

export type ClusterRole =
  /** A DR primary with an active node: its active node, or a standby that reaches it, answered. */
  | 'primary'
  /** sys/health 472 (or 200 with DR mode secondary): a DR secondary, including a demoted primary waiting for update-primary. */
  | 'dr-secondary'
  /** An active cluster with DR replication disabled. */
  | 'standalone'
  /**
   * sys/health 474 (or 429): unsealed, but no active node (mid-promotion, mid-election, lost
   * quorum); or a role change still spreading: sys/health and the DR status name different DR
   * modes (a standby learns the active node's new mode late), so neither can be acted on yet.
   */
  | 'no-leader'
  /** sys/health 503. */
  | 'sealed'
  /** Answered, but not with a role (500, 501, 530, ...). */
  | 'error'
  /** No HTTP answer: refused, timed out, TLS failure. */
  | 'unreachable';

/** A DR secondary's own view of its primary (sys/replication/dr/status `primaries[]`). */
export interface PrimaryLink {
  /** Some entry of `primaries` has connection_status "connected". */
  readonly connected: boolean;
  /**
   * How long ago the newest heartbeat from a primary was, by the secondary's own clock
   * (sys/health server_time_utc) when it gives one; undefined when no heartbeat time is known.
   */
  readonly heartbeatAgeMs: number | undefined;
}

export interface ClusterView {
  readonly name: string;
  readonly address: string;
  readonly clusterAddress?: string;
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
  /** A secondary's view of its primary, when it reported one. */
  readonly primaryLink?: PrimaryLink;
  /** A secondary's last received WAL index, when it reported a number. */
  readonly lastRemoteWal?: number;
  readonly knownSecondaries?: readonly string[];
  /** sys/health `version`: the Vault version of the node that answered (during a rolling upgrade nodes differ). */
  readonly version?: string;
  /** Why the role is what it is when the cluster did not answer normally. */
  readonly problem?: string;
}

/**
 * The role from sys/health asked with standbyok and perfstandbyok (HEALTH_PATH). A cluster address
 * is a load balancer whose target group keeps standbys in service, so a probe may land on any node;
 * with those parameters a standby that reaches its active node answers 200 like the active node,
 * and one that does not answers 474. Vault's precedence keeps 472 for a DR secondary.
 */
export function roleFromHealth(status: number, drMode: string | undefined): ClusterRole {
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

export function reasonOf(err: unknown): string {
  if (err instanceof VaultUnreachableError) return err.reason;
  if (err instanceof VaultApiError) return `HTTP ${err.status}${err.errors.length ? `: ${err.errors.join('; ')}` : ''}`;
  return String((err as Error)?.message ?? err);
}

function wholeNumber(value: unknown): number | undefined {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : undefined;
}

/** The secondary's view of its primary from its dr/status, aged by its own clock when it gives one. */
export function primaryLinkOf(status: DrStatusData, serverTimeSeconds: number | undefined, nowMs: number): PrimaryLink | undefined {
  const primaries = status.primaries ?? [];
  if (primaries.length === 0) return undefined;
  const beats = primaries
    .map((p) => (typeof p.last_heartbeat === 'string' ? Date.parse(p.last_heartbeat) : NaN))
    .filter((t) => Number.isFinite(t) && t > 0);
  const reference = typeof serverTimeSeconds === 'number' && Number.isFinite(serverTimeSeconds) ? serverTimeSeconds * 1000 : nowMs;
  // server_time_utc is whole seconds: a heartbeat in the current second can look a little younger than 0.
  const newest = beats.length ? Math.max(...beats) : undefined;
  return {
    connected: primaries.some((p) => p.connection_status === 'connected'),
    heartbeatAgeMs: newest === undefined ? undefined : Math.max(0, reference - newest),
  };
}

export type Answer<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** The view of one cluster from its two answers. Pure. */
export function classify(cluster: ClusterRef, health: Answer<HealthAnswer>, dr: Answer<DrStatusData>, nowMs: number): ClusterView {
  const ref = { name: cluster.name, address: cluster.address, ...(cluster.clusterAddress === undefined ? {} : { clusterAddress: cluster.clusterAddress }) };
  if (!health.ok) {
    const unreachable = health.error instanceof VaultUnreachableError;
    return { ...ref, role: unreachable ? 'unreachable' : 'error', reachable: !unreachable, problem: reasonOf(health.error) };
  }
  const status = dr.ok ? dr.value : undefined;
  const drMode = status?.mode ?? health.value.replication_dr_mode;
  const healthRole = roleFromHealth(health.value.status, drMode);
  // The two answers may come from different nodes: one that has not learned a promote or demote
  // yet names the old mode. A DR secondary whose status says primary (or the reverse) is changing
  // role: waiting for it is safe, promoting or demoting it on either answer is not.
  const healthMode = health.value.replication_dr_mode;
  const statusMode = status?.mode;
  const modesDisagree =
    (healthRole === 'primary' || healthRole === 'dr-secondary' || healthRole === 'standalone') &&
    statusMode !== undefined &&
    healthMode !== undefined &&
    healthMode !== statusMode;
  const role: ClusterRole = modesDisagree ? 'no-leader' : healthRole;
  const secondary = drMode === 'secondary' && status !== undefined;
  const link = secondary ? primaryLinkOf(status, health.value.server_time_utc, nowMs) : undefined;
  const wal = secondary ? wholeNumber(status.last_remote_wal) : undefined;
  return {
    ...ref,
    role,
    reachable: true,
    healthStatus: health.value.status,
    ...(drMode === undefined ? {} : { drMode }),
    ...(status?.state === undefined ? {} : { drState: status.state }),
    ...(status?.connection_state === undefined ? {} : { connectionState: status.connection_state }),
    ...(secondary
      ? {
          connectedToPrimary: link?.connected === true,
          hasKnownPrimary: (status.primaries?.length ?? 0) > 0 || (status.known_primary_cluster_addrs?.length ?? 0) > 0,
        }
      : {}),
    ...(link === undefined ? {} : { primaryLink: link }),
    ...(wal === undefined ? {} : { lastRemoteWal: wal }),
    ...(status?.known_secondaries === undefined ? {} : { knownSecondaries: status.known_secondaries }),
    ...(typeof health.value.version === 'string' && health.value.version !== '' ? { version: health.value.version } : {}),
    ...(modesDisagree
      ? { problem: `sys/health (${health.value.status}) says DR mode ${healthMode} but sys/replication/dr/status says ${statusMode}: a role change not every node has learned yet` }
      : role === 'error' || role === 'sealed' || role === 'no-leader'
      ? { problem: `sys/health answered ${health.value.status}` }
      : !dr.ok
        ? { problem: `sys/replication/dr/status: ${reasonOf(dr.error)}` }
        : {}),
  };
}

const settle = async <T>(p: Promise<T>): Promise<Answer<T>> => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

/**
 * sys/health and sys/replication/dr/status, asked in parallel so a dead cluster costs one timeout.
 * `fresh`: each on a new connection with one attempt (a confirmation probe).
 */
export async function probeCluster(cluster: ClusterRef, api: VaultApi, fresh = false): Promise<ClusterView> {
  const [health, dr] = await Promise.all([settle(api.health(fresh)), settle(api.drStatus(fresh))]);
  return classify(cluster, health, dr, Date.now());
}

/**
 * A DR secondary that can be promoted without losing data: it replicates (stream-wals) from a
 * primary it knows. Its connection to that primary may be down: that is what a disaster looks like.
 */
export function isHealthyDrSecondary(view: ClusterView): boolean {
  return view.role === 'dr-secondary' && view.drState === 'stream-wals' && view.hasKnownPrimary === true;
}

/**
 * A DR secondary that says it knows no primary: a demoted primary waiting for update-primary. One
 * whose replication status could not be read is not known to be demoted.
 */
export function isDemoted(view: ClusterView): boolean {
  return view.role === 'dr-secondary' && view.hasKnownPrimary === false;
}

/** Vault's promote refuses these states without `force` (its data is not in sync). */
export function needsVaultForce(view: ClusterView): boolean {
  return view.drState === 'merkle-sync' || view.drState === 'merkle-diff';
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

/**
 * What to run once `primary` is the only cluster that answers as an active primary. When its
 * replication status failed (sys/health may have been answered by a standby that reaches a failing
 * active node), it may not serve clients: nothing may claim all is well (`null`); failover looks
 * again, and refuses naming force if it still does not answer in full. Otherwise, what to run about
 * the other cluster (linkNextFor).
 */
export function nextWithPrimary(primary: ClusterView, other: ClusterView): NextCommand | null {
  if (primary.problem !== undefined) {
    return {
      function: 'dr-operations',
      event: { operation: 'failover' },
      why: `${primary.name} answers sys/health as an active primary, but ${primary.problem}, so it may not serve clients: failover looks again (nothing to do if it answers in full)`,
    };
  }
  return linkNextFor(primary, other);
}

/**
 * What to run about the other cluster once `primary` is the only active primary. A cluster that
 * answers without an active node (mid-election, quorum lost), sealed, failing or not at all may
 * come back as the primary it was: link with demote covers both (it demotes it if it is a primary,
 * and re-attaches it either way), so the next command converges whatever it returns as. A DR
 * secondary that is not healthy is re-attached; a healthy one needs nothing.
 */
export function linkNextFor(primary: ClusterView, other: ClusterView): NextCommand | null {
  if (other.role === 'dr-secondary') {
    return isHealthyDrSecondary(other) ? null : { function: 'dr-operations', event: { operation: 'link' }, why: `re-attach ${other.name} as the DR secondary of ${primary.name}` };
  }
  if (other.role === 'unreachable' || other.role === 'sealed' || other.role === 'error' || other.role === 'no-leader') {
    return {
      function: 'dr-operations',
      event: { operation: 'link', demote: other.name },
      why: `when ${other.name} answers again, demote it if it comes back as a primary and re-attach it as the DR secondary of ${primary.name}`,
    };
  }
  return null;
}

export function describeView(view: ClusterView): string {
  const parts: string[] = [view.role === 'dr-secondary' && isDemoted(view) ? 'dr-secondary (demoted, no primary)' : view.role];
  if (view.drState) parts.push(`state ${view.drState}`);
  if (view.connectedToPrimary === false && view.hasKnownPrimary === true) parts.push('primary connection down');
  if (view.problem) parts.push(view.problem);
  return `${view.name} (${view.address}): ${parts.join(', ')}`;
}
