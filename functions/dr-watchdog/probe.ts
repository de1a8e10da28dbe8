/**
 * One run's probes: each cluster `count` times in parallel, every probe on connections of its own
 * (sys/health and sys/replication/dr/status, both answered without a token), so the load balancer
 * draws a node per probe and one bad node cannot decide. Bounded by the invocation's deadline.
 */
import { classify, type Answer } from '../shared/cluster-probe';
import type { ClusterRef } from '../shared/settings/clusters';
import type { DrStatusData, HealthAnswer } from '../shared/vault-api';
import type { VaultClusters } from '../shared/vault-clusters';
import type { ClusterProbes, ProbeResult } from './observation';

const settle = async <T>(p: Promise<T>): Promise<Answer<T>> => p.then((value) => ({ ok: true as const, value }), (error: unknown) => ({ ok: false as const, error }));

/** A WAL index as Vault sends it: a number, or digits in a string. */
export function walIndex(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

/** The WAL indexes of one dr/status answer: a primary's last DR WAL, a secondary's last received one. */
export function walIndexesOf(status: DrStatusData | undefined): Pick<ProbeResult, 'lastWal' | 'lastRemoteWal'> {
  if (status === undefined) return {};
  const raw = status as DrStatusData & { last_dr_wal?: unknown };
  if (status.mode === 'primary') {
    // DR secondaries receive every WAL; last_dr_wal is the DR stream's index where Vault gives it.
    const wal = walIndex(raw.last_dr_wal) ?? walIndex(raw.last_wal);
    return wal === undefined ? {} : { lastWal: wal };
  }
  if (status.mode === 'secondary') {
    const wal = walIndex(raw.last_remote_wal);
    return wal === undefined ? {} : { lastRemoteWal: wal };
  }
  return {};
}

async function probeOnce(clusters: VaultClusters, cluster: ClusterRef): Promise<ProbeResult> {
  const api = clusters.api(cluster);
  const [health, dr] = await Promise.all([settle<HealthAnswer>(api.health(true)), settle<DrStatusData>(api.drStatus(true))]);
  const view = classify(cluster, health, dr, Date.now());
  return { view, ...walIndexesOf(dr.ok ? dr.value : undefined) };
}

/** `count` probes of each cluster, all in parallel: a dead cluster costs one probe timeout. */
export async function probeBoth(clusters: VaultClusters, count: number): Promise<ClusterProbes[]> {
  return Promise.all(
    clusters.refs.map(async (ref) => ({
      name: ref.name,
      probes: await Promise.all(Array.from({ length: count }, () => probeOnce(clusters, ref))),
    })),
  );
}
