/**
 * The replication links of one replication kind (DR or performance), one per primary and
 * secondary id: whether each is up, its heartbeats (one every `heartbeatIntervalMs` while it is
 * up), and the peer entry the status endpoints show for it. Both kinds keep their links the same
 * way; the observer kind and the word in its messages name which kind it is.
 */
import type { ClusterCore } from './cluster';
import type { WorldContext } from './context';
import type { DrPeerStatus, ObservedEvent } from './types';

interface LinkState {
  up: boolean;
  /** Simulated ms the link came up (heartbeats count from here). */
  upSince: number;
  /** Simulated ms of the last heartbeat while it was up; 0 when there never was one. */
  lastBeat: number;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export class ReplicationLinks {
  private readonly links = new Map<string, LinkState>();

  constructor(
    private readonly world: WorldContext,
    private readonly observed: { readonly kind: ObservedEvent['kind']; readonly noun: string },
  ) {}

  private key(primary: ClusterCore, secondaryId: string): string {
    return `${primary.name}\u0000${secondaryId}`;
  }

  /** Records whether the link from `secondary` (as `secondaryId`) to `primary` is up at `now`; the observer sees it come up and go down. */
  note(primary: ClusterCore, secondary: ClusterCore, secondaryId: string, up: boolean, now: number): void {
    const key = this.key(primary, secondaryId);
    const link = this.links.get(key) ?? { up: false, upSince: 0, lastBeat: 0 };
    if (up && !link.up) {
      link.upSince = now;
      link.lastBeat = now;
      this.world.observer.record({ cluster: secondary.name, kind: this.observed.kind, detail: `${this.observed.noun} link to ${primary.name} up` });
    } else if (!up && link.up) {
      link.lastBeat = this.beatAt(link, now);
      this.world.observer.record({ cluster: secondary.name, kind: this.observed.kind, detail: `${this.observed.noun} link to ${primary.name} down` });
    }
    link.up = up;
    this.links.set(key, link);
  }

  /** The last heartbeat of a link that is up: one every heartbeatIntervalMs since it came up. */
  private beatAt(link: LinkState, now: number): number {
    if (!link.up) return link.lastBeat;
    const interval = this.world.timings.heartbeatIntervalMs;
    return link.upSince + Math.floor((now - link.upSince) / interval) * interval;
  }

  /** The status entry for the peer at `address` on the link between `primary` and `secondaryId`. */
  peer(address: string, connected: boolean, primary: ClusterCore, secondaryId: string): DrPeerStatus {
    const link = this.links.get(this.key(primary, secondaryId));
    const beat = link === undefined ? 0 : this.beatAt(link, this.world.clock.now());
    return {
      api_address: address,
      cluster_address: address,
      connection_status: connected ? 'connected' : 'disconnected',
      last_heartbeat: beat === 0 ? ZERO_TIME : new Date(beat).toISOString(),
      last_heartbeat_duration_ms: '0',
      clock_skew_ms: '0',
      replication_primary_canary_age_ms: connected ? String(this.world.timings.walLagMs) : '-1',
    };
  }
}
