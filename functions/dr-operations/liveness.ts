/**
 * Is the primary down? Judged only on repeated failing probes spread over a window, each on a new
 * connection (a cluster address is a load balancer that draws a node per connection, so the probes
 * reach different nodes), and, where the DR secondary answers, on its own replication view of the
 * primary: disconnected, with a last heartbeat older than a bound. Otherwise the primary may be
 * alive, and a failover without force refuses. `judgePrimaryDown` is pure.
 */
import type { ClusterView } from '../shared/cluster-probe';

export interface LivenessSettings {
  /** Probes that must all fail, the first included. */
  readonly probes: number;
  /** First to last probe must span at least this, in ms. */
  readonly windowMs: number;
  /** The secondary's last heartbeat from the primary must be older than this, in ms. */
  readonly heartbeatStaleMs: number;
}

export interface Observation {
  /** Epoch ms when the probe was sent. */
  readonly atMs: number;
  readonly view: ClusterView;
}

export type Verdict =
  | { readonly down: true; readonly evidence: readonly string[] }
  | { readonly down: false; readonly why: string; readonly evidence: readonly string[] };

function observed(o: Observation, first: number, i: number): string {
  const v = o.view;
  return `probe ${i + 1} of ${v.name} at +${o.atMs - first} ms: ${v.role}${v.problem ? ` (${v.problem})` : ''}`;
}

/**
 * The verdict on the old primary from its probes (`observations`, oldest first) and, when the DR
 * secondary answered, from that secondary's latest view (`secondary`).
 */
export function judgePrimaryDown(observations: readonly Observation[], secondary: ClusterView | undefined, settings: LivenessSettings): Verdict {
  const first = observations[0]?.atMs ?? 0;
  const evidence = observations.map((o, i) => observed(o, first, i));
  const notDown = (why: string): Verdict => ({ down: false, why, evidence });
  const alive = observations.find((o) => o.view.role === 'primary');
  if (alive !== undefined) return notDown(`${alive.view.name} answered as active primary on one of the probes (+${alive.atMs - first} ms)`);
  if (observations.length < settings.probes) {
    return notDown(`only ${observations.length} of the ${settings.probes} probes required (PRIMARY_DOWN_PROBES) were made`);
  }
  const span = (observations.at(-1)?.atMs ?? first) - first;
  if (span < settings.windowMs) return notDown(`the probes spanned ${span} ms, less than the ${settings.windowMs} ms window (PRIMARY_DOWN_WINDOW_MS)`);

  // A DR secondary whose replication status could not be read (hasKnownPrimary unknown) has a view
  // of the primary that nobody saw: it cannot agree. Only one that says it knows no primary has none.
  if (secondary !== undefined && secondary.role === 'dr-secondary' && secondary.hasKnownPrimary !== false) {
    const link = secondary.primaryLink;
    if (link === undefined) {
      return notDown(`${secondary.name}'s replication status could not be read, so its view of the primary is unknown`);
    }
    if (link.connected) {
      evidence.push(`${secondary.name} reports its primary connection as connected`);
      return notDown(`${secondary.name} still reports its connection to the primary as connected (the primary may be alive and reachable from it)`);
    }
    if (link.heartbeatAgeMs !== undefined && link.heartbeatAgeMs < settings.heartbeatStaleMs) {
      evidence.push(`${secondary.name}: primary disconnected, last heartbeat ${link.heartbeatAgeMs} ms ago`);
      return notDown(
        `${secondary.name} heard the primary's last heartbeat ${link.heartbeatAgeMs} ms ago, less than ${settings.heartbeatStaleMs} ms (PRIMARY_HEARTBEAT_STALE_MS)`,
      );
    }
    evidence.push(
      `${secondary.name}: primary disconnected, last heartbeat ${link.heartbeatAgeMs === undefined ? 'never reported' : `${link.heartbeatAgeMs} ms ago`}`,
    );
  } else if (secondary !== undefined && secondary.role === 'dr-secondary') {
    evidence.push(`${secondary.name} knows no primary (demoted): no replication view to compare`);
  } else if (secondary !== undefined) {
    // Unreachable, sealed, failing or without an active node at the last look: a timeout under load
    // is not a view of the primary, and the promote that follows may still reach it. Judging the
    // primary down here gave two primaries in a partition drill on a loaded machine.
    evidence.push(`${secondary.name} answered as ${secondary.role}, not as a DR secondary`);
    return notDown(`${secondary.name} did not answer as a DR secondary at the last look (${secondary.role}), so its view of the primary is unknown; run failover again`);
  }
  return { down: true, evidence };
}

/** When probe `k` (0-based) of the confirmation is due, relative to the first probe. */
export function probeOffsetMs(k: number, settings: LivenessSettings): number {
  return settings.probes <= 1 ? 0 : Math.round((k * settings.windowMs) / (settings.probes - 1));
}
