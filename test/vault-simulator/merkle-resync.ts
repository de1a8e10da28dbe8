/**
 * The re-sync of a (re-)attached secondary, for either replication kind: merkle-diff for
 * `merkleDiffMs`, then merkle-sync for `merkleSyncMs`, each phase moving on only once its time is
 * up and the link is up (README.md, "Replication"); then the kind's `finish` gives the secondary
 * its primary's data and it streams WALs. DR keeps the progress on `cluster.dr`, performance
 * replication on `cluster.perfLive`.
 */
import type { SimTimer } from './clock';
import type { ClusterCore, NodeReplicationState } from './cluster';
import type { WorldContext } from './context';
import type { ObservedEvent } from './types';

/** While a (re-)attached secondary re-syncs: the phase, and whether its time is up. */
export interface ResyncProgress {
  phase: 'merkle-diff' | 'merkle-sync';
  timer: SimTimer | undefined;
  due: boolean;
}

/** Where a replication kind keeps a secondary's replication state and re-sync progress. */
export interface ResyncHolder {
  state: NodeReplicationState;
  resync: ResyncProgress | undefined;
}

export interface MerkleResyncOptions {
  holder(cluster: ClusterCore): ResyncHolder;
  /** The observer kind of the phase changes. */
  readonly observed: ObservedEvent['kind'];
  /** Whether the observer's phase messages name the primary ("merkle-diff with p1 (...)"). */
  readonly namesPrimary: boolean;
  /** merkle-sync done: the secondary takes its primary's data (the re-sync is cancelled first). */
  finish(cluster: ClusterCore, primary: ClusterCore): void;
}

export class MerkleResync {
  constructor(
    private readonly world: WorldContext,
    private readonly options: MerkleResyncOptions,
  ) {}

  private with(primary: ClusterCore): string {
    return this.options.namesPrimary ? ` with ${primary.name}` : '';
  }

  start(cluster: ClusterCore, primary: ClusterCore): void {
    this.cancel(cluster);
    const holder = this.options.holder(cluster);
    const { merkleDiffMs } = this.world.timings;
    holder.state = 'merkle-diff';
    const resync: ResyncProgress = { phase: 'merkle-diff', timer: undefined, due: merkleDiffMs <= 0 };
    holder.resync = resync;
    if (!resync.due) resync.timer = this.world.clock.after(merkleDiffMs, () => this.phaseDue(cluster, resync));
    this.world.observer.record({ cluster: cluster.name, kind: this.options.observed, detail: `merkle-diff${this.with(primary)} (${merkleDiffMs} ms once the link is up)` });
  }

  private phaseDue(cluster: ClusterCore, resync: ResyncProgress): void {
    if (this.options.holder(cluster).resync !== resync) return;
    resync.timer = undefined;
    resync.due = true;
    this.world.changed();
  }

  /** A phase whose time is up moves on; call it only while the link is up. */
  advance(cluster: ClusterCore, primary: ClusterCore): void {
    const holder = this.options.holder(cluster);
    const resync = holder.resync;
    if (resync === undefined || !resync.due) return;
    if (resync.phase === 'merkle-diff') {
      const { merkleSyncMs } = this.world.timings;
      const next: ResyncProgress = { phase: 'merkle-sync', timer: undefined, due: merkleSyncMs <= 0 };
      holder.resync = next;
      holder.state = 'merkle-sync';
      this.world.observer.record({ cluster: cluster.name, kind: this.options.observed, detail: `merkle-sync${this.with(primary)} (${merkleSyncMs} ms)` });
      if (!next.due) {
        next.timer = this.world.clock.after(merkleSyncMs, () => this.phaseDue(cluster, next));
        return;
      }
    }
    this.finish(cluster, primary);
  }

  /** Ends any re-sync and gives the secondary its primary's data (also the starting roles' way in). */
  finish(cluster: ClusterCore, primary: ClusterCore): void {
    this.cancel(cluster);
    this.options.finish(cluster, primary);
  }

  cancel(cluster: ClusterCore): void {
    const holder = this.options.holder(cluster);
    this.world.clock.cancel(holder.resync?.timer);
    holder.resync = undefined;
  }
}
