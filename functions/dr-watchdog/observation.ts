/**
 * From the clusters' answers to one run's round of votes, pure. Which cluster is watched as the
 * primary is inferred from their answers (the one that is not the DR secondary), never from their
 * names or their order in the configuration.
 */
import { isHealthyDrSecondary, type ClusterView } from '../shared/cluster-probe';
import type { Round, Vote } from './decision';

/** One probe of a cluster: its view, and the WAL indexes its replication status gave. */
export interface ProbeResult {
  readonly view: ClusterView;
  /** A primary's last DR WAL index (`last_dr_wal`, else `last_wal`). */
  readonly lastWal?: number;
  /** A secondary's last received WAL index (`last_remote_wal`). */
  readonly lastRemoteWal?: number;
}

/** Every probe of one cluster in one run. */
export interface ClusterProbes {
  readonly name: string;
  readonly probes: readonly ProbeResult[];
}

/** What one run saw, with the figures its metrics publish. */
export interface Observation {
  readonly round: Round;
  readonly clusters: readonly ClusterProbes[];
  /** Age of the secondary's newest heartbeat from its primary, by its own clock (the oldest any probe reported). */
  readonly heartbeatAgeMs?: number;
  /** The DR secondary reported stream-wals on every probe that reached it (false when there is none). */
  readonly secondaryStreaming: boolean;
  /** Some probe found an active DR primary. */
  readonly primaryActive: boolean;
}

/**
 * A probe's vote on the watched primary: down when no active node answered it (no answer, sealed,
 * 5xx, no active node); alive when it answered as an active cluster or as a DR secondary (demoted:
 * something is being done to it, which is no disaster to act on).
 */
export function probeVote(view: ClusterView): Vote {
  switch (view.role) {
    case 'unreachable':
    case 'sealed':
    case 'error':
    case 'no-leader':
      return 'down';
    default:
      return 'alive';
  }
}

/**
 * The DR secondary's view of its primary from one of its answers: alive while it reports the link
 * connected, or disconnected with a heartbeat younger than `staleMs`; down when disconnected with an
 * older heartbeat (or none ever); unknown when its status gave no primary link.
 */
export function secondaryVote(view: ClusterView, staleMs: number): Vote {
  if (view.role !== 'dr-secondary' || view.hasKnownPrimary !== true) return 'unknown';
  const link = view.primaryLink;
  if (link === undefined) return 'unknown';
  if (link.connected) return 'alive';
  if (link.heartbeatAgeMs !== undefined && link.heartbeatAgeMs < staleMs) return 'alive';
  return 'down';
}

/** Several answers of one vantage point: any alive wins, then any unknown, and down only when all say down. */
export function combineVotes(votes: readonly Vote[]): Vote {
  if (votes.length === 0) return 'unknown';
  if (votes.includes('alive')) return 'alive';
  if (votes.includes('unknown')) return 'unknown';
  return 'down';
}

const isSecondaryWithPrimary = (v: ClusterView): boolean => v.role === 'dr-secondary' && v.hasKnownPrimary === true;

/**
 * Which cluster is the DR secondary and which the primary it protects: the one that answers as a DR
 * secondary that knows a primary is the secondary, the other the primary; else the one that answers
 * as an active primary is the primary. When neither tells (both silent), the previous run's roles
 * are kept, so that a silent pair is still seen as the same pair.
 */
export function assignRoles(
  clusters: readonly ClusterProbes[],
  previous: Pick<Round, 'primary' | 'secondary'> | undefined,
): { readonly primary: string | undefined; readonly secondary: string | undefined } {
  const names = clusters.map((c) => c.name);
  const secondaries = clusters.filter((c) => c.probes.some((p) => isSecondaryWithPrimary(p.view)));
  if (secondaries.length === 1) {
    const secondary = (secondaries[0] as ClusterProbes).name;
    return { primary: names.find((n) => n !== secondary), secondary };
  }
  if (secondaries.length === 0) {
    const primaries = clusters.filter((c) => c.probes.some((p) => p.view.role === 'primary'));
    if (primaries.length === 1) {
      const primary = (primaries[0] as ClusterProbes).name;
      return { primary, secondary: names.find((n) => n !== primary) };
    }
    const silent = clusters.every((c) => c.probes.every((p) => !p.view.reachable));
    if (silent && previous?.primary !== undefined && names.includes(previous.primary)) {
      return { primary: previous.primary, secondary: previous.secondary };
    }
  }
  return { primary: undefined, secondary: undefined };
}

/** The round of one run from every probe of both clusters. */
export function observe(
  atMs: number,
  clusters: readonly ClusterProbes[],
  previous: Pick<Round, 'primary' | 'secondary'> | undefined,
  heartbeatStaleMs: number,
): Observation {
  const roles = assignRoles(clusters, previous);
  const primary = clusters.find((c) => c.name === roles.primary);
  const secondary = clusters.find((c) => c.name === roles.secondary);
  const secondaryAnswers = (secondary?.probes ?? []).filter((p) => p.view.reachable);
  const secondaryView = combineVotes((secondary?.probes ?? []).map((p) => secondaryVote(p.view, heartbeatStaleMs)));
  const secondaryHealthy = secondaryAnswers.length > 0 && secondaryAnswers.every((p) => isHealthyDrSecondary(p.view));
  const primaryWals = (primary?.probes ?? []).map((p) => p.lastWal).filter((w): w is number => w !== undefined);
  const secondaryWals = secondaryAnswers.map((p) => p.lastRemoteWal).filter((w): w is number => w !== undefined);
  // Read while both answered, and the secondary was streaming from this primary: a lag then means something.
  const walGap =
    primaryWals.length > 0 && secondaryWals.length > 0 && secondaryHealthy
      ? Math.max(0, Math.max(...primaryWals) - Math.min(...secondaryWals))
      : undefined;
  const ages = secondaryAnswers.map((p) => p.view.primaryLink?.heartbeatAgeMs).filter((a): a is number => a !== undefined);
  const round: Round = {
    atMs,
    primary: roles.primary,
    secondary: roles.secondary,
    probes: (primary?.probes ?? []).map((p) => probeVote(p.view)),
    secondaryView,
    secondaryHealthy,
    ...(walGap === undefined ? {} : { walGap }),
  };
  return {
    round,
    clusters,
    ...(ages.length === 0 ? {} : { heartbeatAgeMs: Math.max(...ages) }),
    secondaryStreaming: secondaryAnswers.length > 0 && secondaryAnswers.every((p) => p.view.drState === 'stream-wals'),
    primaryActive: clusters.some((c) => c.probes.some((p) => p.view.role === 'primary')),
  };
}
