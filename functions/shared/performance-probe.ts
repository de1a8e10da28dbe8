/**
 * What a performance secondary says about itself (sys/replication/performance/status, which needs
 * no token), and whom it follows. `classifyPerformance` and `assessPerformanceSecondary` are pure:
 * the answers in, the view and the verdict out (test/functions/decisions/performance.test.ts).
 */
import type { NextCommand } from './errors';
import type { ClusterRef } from './settings/clusters';
import { VaultApiError, type PerformanceStatusData, type VaultApi } from './vault-api';
import { VaultUnreachableError } from './vault-http';

export interface PerformanceView {
  readonly name: string;
  readonly address: string;
  /** True when the cluster sent any HTTP answer. */
  readonly reachable: boolean;
  /** Its performance mode: `secondary`, `primary`, `disabled`, ... (undefined when it did not say). */
  readonly mode?: string;
  /** `stream-wals`, `merkle-diff`, `merkle-sync`, `idle`, ... */
  readonly state?: string;
  readonly connectionState?: string;
  /** Its link to the primary it follows is up: connection_state `ready`, or a `primaries[]` entry `connected`. */
  readonly connected: boolean;
  readonly secondaryId?: string;
  /** The addresses it gives for the primary it follows (primary_cluster_addr, known_primary_cluster_addrs, primaries[]). */
  readonly primaryAddresses: readonly string[];
  /** Why it answered no status. */
  readonly problem?: string;
}

const strings = (xs: readonly (string | undefined)[]): string[] => [...new Set(xs.filter((x): x is string => typeof x === 'string' && x.length > 0))];

/** The view from a status answer, or from the error that took its place. */
export function classifyPerformance(ref: ClusterRef, answer: { data: PerformanceStatusData } | { error: unknown }): PerformanceView {
  const base = { name: ref.name, address: ref.address };
  if ('error' in answer) {
    const err = answer.error;
    if (err instanceof VaultApiError) return { ...base, reachable: true, connected: false, primaryAddresses: [], problem: `performance status answered HTTP ${err.status}${err.errors.length ? `: ${err.errors.join('; ')}` : ''}` };
    const reason = err instanceof VaultUnreachableError ? err.message : (err as Error).message;
    return { ...base, reachable: false, connected: false, primaryAddresses: [], problem: `no answer: ${reason}` };
  }
  const d = answer.data;
  const primaries = d.primaries ?? [];
  const connected = d.connection_state === 'ready' || primaries.some((p) => p.connection_status === 'connected');
  return {
    ...base,
    reachable: true,
    ...(d.mode === undefined ? {} : { mode: d.mode }),
    ...(d.state === undefined ? {} : { state: d.state }),
    ...(d.connection_state === undefined ? {} : { connectionState: d.connection_state }),
    connected: d.mode === 'secondary' && connected,
    ...(d.secondary_id ? { secondaryId: d.secondary_id } : {}),
    primaryAddresses: d.mode === 'secondary' ? strings([d.primary_cluster_addr, ...(d.known_primary_cluster_addrs ?? []), ...primaries.flatMap((p) => [p.api_address, p.cluster_address])]) : [],
  };
}

export async function probePerformance(ref: ClusterRef, api: VaultApi, fresh = false): Promise<PerformanceView> {
  try {
    return classifyPerformance(ref, { data: await api.performanceStatus(fresh) });
  } catch (error) {
    return classifyPerformance(ref, { error });
  }
}

function hostOf(address: string): string | undefined {
  try {
    return new URL(address).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/**
 * The DR cluster `addresses` name: an address equal to a cluster's address or cluster address
 * (origins), else one on the host of exactly one cluster (its API port and its cluster port are one
 * load balancer). Undefined when none matches (Vault may give its nodes' own addresses).
 */
export function clusterAtAddresses(addresses: readonly string[], clusters: readonly ClusterRef[]): string | undefined {
  const known = (c: ClusterRef): string[] => [c.address, c.clusterAddress].filter((a): a is string => a !== undefined);
  const originOf = (a: string): string => (URL.canParse(a) ? new URL(a).origin : a);
  for (const address of addresses) {
    const exact = clusters.find((c) => known(c).some((k) => originOf(k) === originOf(address)));
    if (exact) return exact.name;
  }
  for (const address of addresses) {
    const host = hostOf(address);
    const onHost = clusters.filter((c) => known(c).some((k) => host !== undefined && hostOf(k) === host));
    if (onHost.length === 1) return (onHost[0] as ClusterRef).name;
  }
  return undefined;
}

/** The active primary as the functions see it: its name and, when it answered, its performance status. */
export interface ActivePrimary {
  readonly name: string;
  readonly performance?: PerformanceStatusData;
}

export type FollowVerdict =
  /** It follows the active primary and its link is up. */
  | 'follows'
  /** It follows the active primary, but its link is down (network, port 8201, or the primary's own state). */
  | 'follows-disconnected'
  /** It follows another cluster (a demoted or dead primary), or no cluster: update-primary fixes it. */
  | 'follows-other'
  /** It answers, but not as a performance secondary. */
  | 'not-secondary'
  | 'unreachable'
  /** No cluster is the active primary: nothing to follow yet. */
  | 'no-active-primary';

export interface PerformanceAssessment {
  readonly name: string;
  readonly verdict: FollowVerdict;
  /** The DR cluster it follows, when its answer names one the functions know. */
  readonly follows: string | undefined;
  readonly connected: boolean;
  /** One line for the answer. */
  readonly detail: string;
  /** The command that fixes it; null when it needs none or no command can. */
  readonly next: NextCommand | null;
}

/** The command that re-points performance secondary `name` at the active primary. */
export function performanceLinkNext(name: string, primary: string): NextCommand {
  return { function: 'dr-operations', event: { operation: 'link', performanceSecondary: name }, why: `points performance secondary ${name} at ${primary}, the active primary (update-primary)` };
}

/**
 * Whom performance secondary `view` follows and what fixes it. Its own answer comes first (the
 * addresses it gives for its primary); when those name no known cluster, the active primary's
 * list of connected secondaries decides (its `secondaries[].node_id` is the secondary's id).
 */
export function assessPerformanceSecondary(view: PerformanceView, primary: ActivePrimary | undefined, clusters: readonly ClusterRef[]): PerformanceAssessment {
  const base = { name: view.name, connected: view.connected };
  if (!view.reachable) {
    return { ...base, verdict: 'unreachable', follows: undefined, detail: `${view.name} does not answer (${view.problem ?? 'no answer'})`, next: primary ? performanceLinkNext(view.name, primary.name) : null };
  }
  if (view.mode !== 'secondary') {
    const what = view.mode === undefined ? (view.problem ?? 'it gave no performance status') : `its performance mode is ${view.mode}`;
    return { ...base, verdict: 'not-secondary', follows: undefined, detail: `${view.name} is not a performance secondary: ${what}; enable it as one by hand (runbook)`, next: null };
  }
  const named = clusterAtAddresses(view.primaryAddresses, clusters);
  const listedBy = (p: ActivePrimary): boolean =>
    view.secondaryId !== undefined && (p.performance?.mode === 'primary') && (p.performance.secondaries ?? []).some((s) => (s as { node_id?: string }).node_id === view.secondaryId && s.connection_status === 'connected');
  const follows = named ?? (primary !== undefined && listedBy(primary) ? primary.name : undefined);
  const whom = follows ?? (view.primaryAddresses.length ? `an unknown primary (${view.primaryAddresses.join(', ')})` : 'no primary');
  const state = `state ${view.state ?? 'unknown'}, ${view.connected ? 'connected' : `not connected (${view.connectionState ?? 'unknown'})`}`;
  if (primary === undefined) {
    return { ...base, verdict: 'no-active-primary', follows, detail: `${view.name} follows ${whom} (${state}); no cluster is the active primary`, next: null };
  }
  if (follows !== primary.name) {
    return { ...base, verdict: 'follows-other', follows, detail: `${view.name} follows ${whom}, not ${primary.name}, the active primary (${state})`, next: performanceLinkNext(view.name, primary.name) };
  }
  if (!view.connected) {
    return { ...base, verdict: 'follows-disconnected', follows, detail: `${view.name} follows ${primary.name} but is not connected (${state}): check port 8201 between them`, next: null };
  }
  return { ...base, verdict: 'follows', follows, detail: `${view.name} follows ${primary.name} (${state})`, next: null };
}
