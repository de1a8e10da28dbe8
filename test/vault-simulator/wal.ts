/**
 * A cluster's write-ahead log as DR replication sees it: every request that changed the cluster's
 * storage becomes one WAL entry with the next index and a snapshot of the storage after it. A
 * streaming DR secondary applies the newest entry that is `walLagMs` old (each snapshot holds all
 * earlier writes, so skipping to it is applying every WAL up to it).
 */
import type { SimulatedClock } from './clock';
import type { ClusterState, StorageSnapshot } from './state';

export interface WalEntry {
  readonly index: number;
  /** Simulated epoch ms when the write was applied on the primary. */
  readonly at: number;
  readonly snapshot: StorageSnapshot;
}

export class WalLog {
  private entries: WalEntry[] = [];
  private baseline: string;

  constructor(
    private readonly state: ClusterState,
    private readonly clock: SimulatedClock,
  ) {
    this.baseline = state.fingerprint();
  }

  /** Called after a request that may have written: a new WAL entry when the storage changed. */
  commitIfChanged(): WalEntry | undefined {
    const fingerprint = this.state.fingerprint();
    if (fingerprint === this.baseline) return undefined;
    this.baseline = fingerprint;
    this.state.lastWal += 1;
    const entry: WalEntry = { index: this.state.lastWal, at: this.clock.now(), snapshot: this.state.snapshot() };
    this.entries.push(entry);
    return entry;
  }

  /** The storage was replaced (merkle-sync, a WAL applied on a secondary, a wipe): start from it. */
  rebase(): void {
    this.entries = [];
    this.baseline = this.state.fingerprint();
  }

  /** The newest entry after `after` that is at least `lagMs` old. */
  latestDue(after: number, lagMs: number): WalEntry | undefined {
    const now = this.clock.now();
    let found: WalEntry | undefined;
    for (const entry of this.entries) {
      if (entry.index > after && entry.at + lagMs <= now) found = entry;
    }
    return found;
  }

  /**
   * When the first entry after `after` falls due, if one is waiting: in the past when it is due
   * already. An entry that fell due after the caller's latestDue() (the clock moves between the
   * two calls) must still get a time, or nothing would deliver it.
   */
  nextDueAt(after: number, lagMs: number): number | undefined {
    const waiting = this.entries.find((entry) => entry.index > after);
    return waiting === undefined ? undefined : waiting.at + lagMs;
  }

  /** Drops entries older than the newest one already due: a snapshot holds everything before it. */
  prune(lagMs: number): void {
    const now = this.clock.now();
    let keepFrom = 0;
    this.entries.forEach((entry, i) => {
      if (entry.at + lagMs <= now) keepFrom = i;
    });
    if (keepFrom > 0) this.entries = this.entries.slice(keepFrom);
  }
}
