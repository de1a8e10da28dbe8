/**
 * The oracle's view of a world, independent of what the functions can reach: an event log of
 * every node, network and role change, the intervals during which each cluster could accept client
 * writes (re-sampled after every state change, faults and partitions included), the client writes
 * each cluster applied and holds, the client reads each cluster served, and which primary each
 * performance secondary followed over time.
 */
import type { SimulatedClock } from './clock';
import type { ClientRead, ClientWrite, ClusterReplicationView, ObservedEvent, PerformanceFollowInterval, SimulationObserver, WritableInterval, WritableOverlap } from './types';

interface OpenInterval {
  readonly cluster: string;
  readonly from: number;
  to: number | undefined;
}

export interface ObservedCluster {
  readonly name: string;
  /** A DR primary, not mid-transition, whose active node answers (whatever the networks). */
  isActivePrimary(): boolean;
  canAcceptClientWrites(): boolean;
  heldWrites(): readonly string[];
  /** A performance secondary's primary and whether it is connected; undefined for any other cluster. */
  followingPerformancePrimary(): { primary: string | undefined; connected: boolean } | undefined;
  canServeClientReads(): boolean;
  replicationView(): ClusterReplicationView;
}

interface OpenFollow {
  readonly cluster: string;
  readonly primary: string | undefined;
  readonly connected: boolean;
  readonly from: number;
  to: number | undefined;
}

/** Opens and closes intervals of one per-cluster predicate. */
class IntervalTrack {
  readonly intervals: OpenInterval[] = [];
  private readonly open = new Map<string, OpenInterval>();

  /** Returns 'opened' / 'closed' when the predicate changed for `cluster`. */
  sample(cluster: string, holds: boolean, now: number): 'opened' | 'closed' | undefined {
    const open = this.open.get(cluster);
    if (holds && open === undefined) {
      const interval: OpenInterval = { cluster, from: now, to: undefined };
      this.intervals.push(interval);
      this.open.set(cluster, interval);
      return 'opened';
    }
    if (!holds && open !== undefined) {
      open.to = now;
      this.open.delete(cluster);
      return 'closed';
    }
    return undefined;
  }

  now(): string[] {
    return [...this.open.keys()];
  }

  copy(): WritableInterval[] {
    return this.intervals.map((interval) => ({ ...interval }));
  }
}

export class Observer implements SimulationObserver {
  private readonly log: ObservedEvent[] = [];
  private readonly writable = new IntervalTrack();
  private readonly activePrimary = new IntervalTrack();
  private readonly readable = new IntervalTrack();
  private readonly writes: ClientWrite[] = [];
  private readonly reads: ClientRead[] = [];
  private readonly follows: OpenFollow[] = [];
  private readonly openFollow = new Map<string, OpenFollow>();
  private clusters: readonly ObservedCluster[] = [];

  constructor(
    private readonly clock: SimulatedClock,
    private readonly seed: number,
  ) {}

  watch(clusters: readonly ObservedCluster[]): void {
    this.clusters = clusters;
    this.sample();
  }

  record(event: Omit<ObservedEvent, 'at'>): void {
    this.log.push({ at: this.clock.now(), ...event });
  }

  /** Re-evaluates which clusters are active primaries and can accept client writes; called after every state change. */
  sample(): void {
    const now = this.clock.now();
    for (const cluster of this.clusters) {
      const primary = this.activePrimary.sample(cluster.name, cluster.isActivePrimary(), now);
      if (primary !== undefined) {
        this.record({ cluster: cluster.name, kind: 'writable', detail: primary === 'opened' ? 'is an active DR primary' : 'is no longer an active DR primary' });
      }
      const writable = this.writable.sample(cluster.name, cluster.canAcceptClientWrites(), now);
      if (writable !== undefined) {
        this.record({ cluster: cluster.name, kind: 'writable', detail: writable === 'opened' ? 'can accept client writes' : 'can no longer accept client writes' });
      }
      const readable = this.readable.sample(cluster.name, cluster.canServeClientReads(), now);
      if (readable !== undefined) {
        this.record({ cluster: cluster.name, kind: 'readable', detail: readable === 'opened' ? 'can serve client reads' : 'can no longer serve client reads' });
      }
      this.sampleFollowing(cluster, now);
    }
  }

  /** Opens a new interval when the primary a performance secondary follows, or its connection, changed. */
  private sampleFollowing(cluster: ObservedCluster, now: number): void {
    const following = cluster.followingPerformancePrimary();
    const open = this.openFollow.get(cluster.name);
    if (open !== undefined && following !== undefined && open.primary === following.primary && open.connected === following.connected) return;
    if (open === undefined && following === undefined) return;
    if (open !== undefined) {
      open.to = now;
      this.openFollow.delete(cluster.name);
    }
    if (following === undefined) {
      this.record({ cluster: cluster.name, kind: 'performance-link', detail: 'is no longer a performance secondary' });
      return;
    }
    const next: OpenFollow = { cluster: cluster.name, primary: following.primary, connected: following.connected, from: now, to: undefined };
    this.follows.push(next);
    this.openFollow.set(cluster.name, next);
    const whom = following.primary ?? 'no primary';
    this.record({ cluster: cluster.name, kind: 'performance-link', detail: `follows ${whom}${following.primary === undefined ? '' : following.connected ? ', connected' : ', not connected'}` });
  }

  recordWrite(write: ClientWrite): void {
    this.writes.push(write);
    this.record({ cluster: write.cluster, node: write.node, kind: 'client-write', detail: `${write.id} secret/${write.path}` });
  }

  /** Kept in clientReads() only: a read changes nothing, so it is not a timeline event. */
  recordRead(read: ClientRead): void {
    this.reads.push(read);
  }

  markUnanswered(id: string): void {
    const at = this.writes.findIndex((write) => write.id === id);
    const write = this.writes[at];
    if (write !== undefined) this.writes[at] = { ...write, answered: false };
  }

  events(): readonly ObservedEvent[] {
    return [...this.log];
  }

  writableIntervals(): readonly WritableInterval[] {
    return this.writable.copy();
  }

  writableNow(): string[] {
    return this.writable.now();
  }

  activePrimaryIntervals(): readonly WritableInterval[] {
    return this.activePrimary.copy();
  }

  overlaps(): readonly WritableOverlap[] {
    const points = new Set<number>();
    const intervals = this.writable.intervals;
    for (const interval of intervals) {
      points.add(interval.from);
      if (interval.to !== undefined) points.add(interval.to);
    }
    const sorted = [...points].sort((a, b) => a - b);
    const result: { from: number; to: number | undefined; clusters: string[] }[] = [];
    sorted.forEach((from, i) => {
      const to = sorted[i + 1];
      const clusters = intervals
        .filter((interval) => interval.from <= from && (interval.to === undefined || interval.to > from))
        .map((interval) => interval.cluster)
        .sort();
      if (clusters.length < 2) return;
      const last = result[result.length - 1];
      if (last !== undefined && last.to === from && last.clusters.join() === clusters.join()) last.to = to;
      else result.push({ from, to, clusters });
    });
    return result;
  }

  maxConcurrentWritable(): number {
    const intervals = this.writable.intervals;
    let max = 0;
    for (const { from: at } of intervals) {
      const count = intervals.filter((i) => i.from <= at && (i.to === undefined || i.to > at)).length;
      max = Math.max(max, count);
    }
    return max;
  }

  clientWrites(): readonly ClientWrite[] {
    return [...this.writes];
  }

  clientReads(): readonly ClientRead[] {
    return [...this.reads];
  }

  readableIntervals(): readonly WritableInterval[] {
    return this.readable.copy();
  }

  readableNow(): string[] {
    return this.readable.now();
  }

  topology(): readonly ClusterReplicationView[] {
    return this.clusters.map((cluster) => cluster.replicationView());
  }

  performanceFollowing(): readonly PerformanceFollowInterval[] {
    return this.follows.map((interval) => ({ ...interval }));
  }

  writesHeldBy(cluster: string): readonly string[] {
    const found = this.clusters.find((candidate) => candidate.name === cluster);
    if (found === undefined) throw new Error(`observer: no cluster named "${cluster}" (have ${this.clusters.map((c) => c.name).join(', ')})`);
    return [...found.heldWrites()];
  }

  writesMissingFrom(cluster: string): readonly ClientWrite[] {
    const held = new Set(this.writesHeldBy(cluster));
    return this.writes.filter((write) => !held.has(write.id));
  }

  timeline(): string {
    const start = this.log[0]?.at ?? this.clock.now();
    const lines = this.log.map((event) => {
      const offset = `+${((event.at - start) / 1000).toFixed(3)}s`.padStart(11);
      const who = event.node ?? event.cluster;
      return `${offset}  ${who.padEnd(10)} ${event.kind.padEnd(13)} ${event.detail}`;
    });
    return [`vault simulator timeline (seed ${this.seed})`, ...lines].join('\n');
  }
}
