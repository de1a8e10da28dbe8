/**
 * Performance replication between the clusters of a world, beside DR replication (replication.ts)
 * and built the same way: role changes with their durations, activation tokens, replication links
 * with heartbeats, the WAL stream with `walLagMs` of lag, the merkle-diff / merkle-sync re-sync of a
 * (re-)attached secondary, and the sys/replication/performance/status view of it. What differs
 * from DR, each point cited in README.md ("Performance replication"):
 *
 * - a performance secondary takes only its primary's replicated (shared) storage; its tokens and
 *   leases, its WAL index and its performance record stay its own (state.ts `applyReplicated`);
 * - it serves clients: reads from its own storage, writes forwarded to its primary (cluster.ts,
 *   `performance-paths.ts`), which fail while the link to the primary is down;
 * - its performance record is a local storage entry that DR replication carries, so a promoted DR
 *   secondary of a performance primary is that replication set's primary, and a promoted DR
 *   secondary of a performance secondary connects to the same primary with the same secondary id;
 * - a DR secondary takes no part in performance replication; the performance secondaries of a
 *   failed primary follow a promoted DR secondary only after update-primary (or by themselves,
 *   with the setting `followPromotedPrimary: 'automatic'`).
 *
 * Like real Vault, nothing here stops two performance primaries of one set from running at once,
 * or a performance secondary from following an old primary that came back: the observer shows it.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ActivationToken, ActivationTokens } from './activation-tokens';
import type { ClusterCore, NodeReplicationState } from './cluster';
import type { WorldContext } from './context';
import { MerkleResync, type ResyncProgress } from './merkle-resync';
import { ReplicationLinks } from './replication-links';
import { badRequest } from './envelope';
import type { StoredPerformance } from './state';
import type { PerformanceMode, PerformanceStatusSnapshot, PerformanceTransition } from './types';
import { WalPump } from './wal-pump';

/** What a cluster knows about its performance replication that is not stored (it is lost with the process in real Vault). */
export interface PerformanceLive {
  /** A secondary's replication state; 'running' otherwise. */
  state: NodeReplicationState;
  resync: ResyncProgress | undefined;
  /** The primary's WAL index of the last replicated write it applied. */
  lastRemoteWal: number;
  /** The primary whose data it last synced with; undefined: it must re-sync before it streams. */
  syncedFrom: string | undefined;
  /** The key from performance generate-public-key. */
  publicKey: string | undefined;
}

export function newPerformanceLive(): PerformanceLive {
  return { state: 'running', resync: undefined, lastRemoteWal: 0, syncedFrom: undefined, publicKey: undefined };
}

const ENDPOINT = 'sys/replication/performance/';

export const PERFORMANCE_MESSAGES = {
  notPrimary: 'this cluster is not a performance primary',
  notSecondary: 'this cluster is not a performance secondary',
  /** The docs: "if the cluster is already a secondary, it must be promoted". */
  secondaryMustBePromoted: 'this cluster is a performance secondary: promote it instead of enabling it as a primary',
  forwardFailed: 'error forwarding request to the performance primary: no connection to the primary cluster',
} as const;

export class PerformanceReplication {
  private readonly activations: ActivationTokens;
  private readonly resync: MerkleResync;
  private readonly log: PerformanceTransition[] = [];
  private readonly links: ReplicationLinks;
  /** The mode each cluster reported when last looked at: changes not made through the API (a DR role change) are logged from here. */
  private readonly lastMode = new Map<string, PerformanceMode>();
  private readonly pump: WalPump;
  private clusters: readonly ClusterCore[] = [];

  constructor(private readonly world: WorldContext) {
    this.resync = new MerkleResync(world, {
      holder: (cluster) => cluster.perfLive,
      observed: 'performance-link',
      namesPrimary: true,
      finish: (cluster, primary) => this.takePrimaryData(cluster, primary),
    });
    this.links = new ReplicationLinks(world, { kind: 'performance-link', noun: 'performance' });
    this.pump = new WalPump(world);
    this.activations = new ActivationTokens(world, {
      kind: 'performance',
      notPrimary: PERFORMANCE_MESSAGES.notPrimary,
      knownSecondaries: (cluster) => (this.mode(cluster) === 'primary' ? this.stored(cluster)?.knownSecondaries : undefined),
      setKnownSecondaries: (primary, ids) => {
        this.setStored(primary, { ...(this.stored(primary) as StoredPerformance), knownSecondaries: ids });
        primary.commitStorage();
      },
      answersAsPrimary: (primary, secondary) => this.answersAsPrimary(primary, secondary),
      publicKey: (cluster) => cluster.perfLive.publicKey,
    });
  }

  // ---- modes ----

  private stored(cluster: ClusterCore): StoredPerformance | undefined {
    return cluster.state.performance;
  }

  /** The mode the cluster acts in: a DR secondary takes no part in performance replication. */
  mode(cluster: ClusterCore): PerformanceMode {
    if (cluster.dr.mode === 'secondary') return 'disabled';
    return this.stored(cluster)?.mode ?? 'disabled';
  }

  /** The mode it reports (status, sys/health): for a DR secondary a setting, the docs being silent. */
  reportedMode(cluster: ClusterCore): PerformanceMode {
    if (cluster.dr.mode === 'secondary' && this.world.performanceBehaviour.drSecondaryReports === 'inherited') return this.stored(cluster)?.mode ?? 'disabled';
    return this.mode(cluster);
  }

  /** A secondary's primary, by name. */
  primaryOf(cluster: ClusterCore): string | undefined {
    return this.mode(cluster) === 'secondary' ? this.stored(cluster)?.primary : undefined;
  }

  transitions(): readonly PerformanceTransition[] {
    return [...this.log];
  }

  private record(cluster: ClusterCore, from: PerformanceMode, cause: string): void {
    const to = this.mode(cluster);
    const primary = this.primaryOf(cluster);
    this.log.push({ at: Date.now(), simulatedAt: this.world.clock.now(), cluster: cluster.name, from, to, ...(primary === undefined ? {} : { primary }), cause });
    this.lastMode.set(cluster.name, to);
  }

  private setStored(cluster: ClusterCore, value: StoredPerformance | undefined): void {
    cluster.state.performance = value;
  }

  // ---- start ----

  /**
   * The starting roles (not transitions): performance primaries, and secondaries holding their
   * primary's replicated data beside their own tokens. Runs before DR secondaries take their
   * primary's storage, so that they hold its performance record too.
   */
  initialise(clusters: readonly ClusterCore[], roles: ReadonlyMap<string, 'primary' | 'disabled' | { secondaryOf: string }>): void {
    this.clusters = clusters;
    for (const cluster of clusters) {
      if (roles.get(cluster.name) !== 'primary') continue;
      this.setStored(cluster, { mode: 'primary', clusterId: randomUUID(), knownSecondaries: [], primaryClusterAddr: '', primary: undefined, secondaryId: undefined, demoted: false });
      cluster.wal.rebase();
    }
    for (const cluster of clusters) {
      const role = roles.get(cluster.name);
      if (role === undefined || typeof role === 'string') continue;
      const primary = this.world.cluster(role.secondaryOf);
      const primaryRecord = this.stored(primary) as StoredPerformance;
      this.setStored(primary, { ...primaryRecord, knownSecondaries: [...primaryRecord.knownSecondaries, cluster.name] });
      primary.wal.rebase();
      this.setStored(cluster, { mode: 'secondary', clusterId: primaryRecord.clusterId, knownSecondaries: [], primaryClusterAddr: '', primary: primary.name, secondaryId: cluster.name, demoted: false });
      this.resync.finish(cluster, primary);
      cluster.wal.rebase();
    }
  }

  /** Once every starting role is set (DR secondaries included): the modes the world starts with, which every node knows. */
  settle(): void {
    for (const cluster of this.clusters) {
      this.lastMode.set(cluster.name, this.mode(cluster));
      cluster.notePerformanceMode(this.reportedMode(cluster), true);
    }
  }

  // ---- role changes (sys/replication/performance/*) ----

  enablePrimary(cluster: ClusterCore, primaryClusterAddr: string): void {
    const mode = this.mode(cluster);
    if (mode === 'primary') throw badRequest('this cluster is already a performance primary');
    if (mode === 'secondary') throw badRequest(PERFORMANCE_MESSAGES.secondaryMustBePromoted);
    // A new replication set: a new cluster id, as every re-enable gives.
    this.setStored(cluster, { mode: 'primary', clusterId: randomUUID(), knownSecondaries: [], primaryClusterAddr, primary: undefined, secondaryId: undefined, demoted: false });
    this.record(cluster, mode, `${ENDPOINT}primary/enable`);
    cluster.commitStorage();
    this.world.changed();
  }

  demote(cluster: ClusterCore): void {
    const stored = this.stored(cluster);
    if (this.mode(cluster) !== 'primary' || stored === undefined) throw badRequest(PERFORMANCE_MESSAGES.notPrimary);
    cluster.startTransition('performance-demote', this.world.timings.demoteMs, () => {
      // "will not attempt to connect to a primary ... but will maintain knowledge of its cluster ID".
      this.setStored(cluster, { ...stored, mode: 'secondary', knownSecondaries: [], primary: undefined, secondaryId: undefined, demoted: true });
      cluster.perfLive.state = 'idle';
      cluster.perfLive.syncedFrom = undefined;
      this.record(cluster, 'primary', `${ENDPOINT}primary/demote`);
      cluster.commitStorage();
    });
  }

  promote(cluster: ClusterCore, primaryClusterAddr: string, force: boolean): void {
    const stored = this.stored(cluster);
    if (this.mode(cluster) !== 'secondary' || stored === undefined) throw badRequest(PERFORMANCE_MESSAGES.notSecondary);
    const state = cluster.perfLive.state;
    if ((state === 'merkle-sync' || state === 'merkle-diff') && !force) {
      throw badRequest(`cannot promote a performance secondary in state "${state}": its data is not in sync; wait for stream-wals or set force`);
    }
    cluster.startTransition('performance-promote', this.world.timings.promoteMs, () => {
      this.resync.cancel(cluster);
      // "new secondary tokens will need to be issued to other secondaries".
      this.setStored(cluster, { ...stored, mode: 'primary', knownSecondaries: [], primaryClusterAddr, primary: undefined, secondaryId: undefined, demoted: false });
      cluster.perfLive.state = 'running';
      this.record(cluster, 'secondary', `${ENDPOINT}secondary/promote`);
      cluster.commitStorage();
    });
  }

  disable(cluster: ClusterCore, expected: 'primary' | 'secondary'): void {
    const mode = this.mode(cluster);
    if (mode !== expected) throw badRequest(expected === 'primary' ? PERFORMANCE_MESSAGES.notPrimary : PERFORMANCE_MESSAGES.notSecondary);
    this.resync.cancel(cluster);
    this.setStored(cluster, undefined);
    cluster.perfLive.state = 'running';
    cluster.perfLive.syncedFrom = undefined;
    this.record(cluster, mode, `${ENDPOINT}${expected}/disable`);
    cluster.commitStorage();
    this.world.changed();
  }

  generatePublicKey(cluster: ClusterCore): string {
    cluster.perfLive.publicKey = randomBytes(32).toString('base64');
    return cluster.perfLive.publicKey;
  }

  issueSecondaryToken(primary: ClusterCore, request: { id: string; ttlSeconds: number; publicKey: string | undefined }): ActivationToken {
    return this.activations.issue(primary, request);
  }

  /** "the secondary will immediately be disconnected and will not be allowed to connect again unless given a new activation token". */
  revokeSecondary(primary: ClusterCore, id: string): void {
    this.activations.revoke(primary, id);
  }

  /** A performance primary that answers on the replication network, as `secondary` reaches it. */
  private answersAsPrimary(primary: ClusterCore, secondary: ClusterCore): boolean {
    return this.mode(primary) === 'primary' && !primary.transitioning() && primary.activeServing() && primary.replicationUp() && secondary.replicationUp();
  }

  enableSecondary(cluster: ClusterCore, token: string | undefined): void {
    const mode = this.mode(cluster);
    if (mode === 'secondary') throw badRequest('this cluster is already a performance secondary; use update-primary to change its primary');
    if (mode === 'primary') throw badRequest('this cluster is a performance primary; disable performance replication first');
    if (token === undefined || token === '') throw badRequest('missing activation token: "token" is required');
    const { activation, primary } = this.activations.redeem(cluster, token);
    // "This will immediately clear all data in the secondary cluster!" (its root token included).
    cluster.state.wipe();
    cluster.commitStorage();
    cluster.startTransition('performance-update-primary', this.world.timings.updatePrimaryMs, () => {
      this.attach(cluster, primary, activation.secondaryId);
      this.record(cluster, 'disabled', `${ENDPOINT}secondary/enable`);
    });
  }

  /** Points `cluster` at `primary` as secondary `secondaryId`; its re-sync starts on the next reconcile. */
  private attach(cluster: ClusterCore, primary: ClusterCore, secondaryId: string): void {
    this.resync.cancel(cluster);
    const primaryRecord = this.stored(primary) as StoredPerformance;
    this.setStored(cluster, { mode: 'secondary', clusterId: primaryRecord.clusterId, knownSecondaries: [], primaryClusterAddr: '', primary: primary.name, secondaryId, demoted: false });
    cluster.perfLive.syncedFrom = undefined;
    cluster.commitStorage();
  }

  /**
   * update-primary on a performance secondary: `token` (an activation token of the new primary),
   * `token: ""` (forget the primary), or `update_primary_addrs` (cluster addresses pinged in turn;
   * the first that answers as a primary of this replication set becomes the primary).
   */
  updatePrimary(cluster: ClusterCore, token: string | undefined, addresses: readonly string[] | undefined): void {
    const stored = this.stored(cluster);
    if (this.mode(cluster) !== 'secondary' || stored === undefined) throw badRequest(PERFORMANCE_MESSAGES.notSecondary);
    const cause = `${ENDPOINT}secondary/update-primary`;
    const hasAddresses = addresses !== undefined && addresses.length > 0;
    if (token !== undefined && token !== '' && hasAddresses) throw badRequest('token and update_primary_addrs are mutually exclusive: give one of them');
    if (hasAddresses) {
      if (stored.demoted) throw badRequest('update_primary_addrs cannot be used on a demoted cluster: an activation token from the new primary is required');
      const target = addresses.map((address) => this.clusterAt(address)).find((candidate) => candidate !== undefined && candidate !== cluster && this.answersAsPrimary(candidate, cluster) && (this.stored(candidate) as StoredPerformance).clusterId === stored.clusterId);
      if (target === undefined) {
        throw badRequest(`none of update_primary_addrs answered as a performance primary of this replication set (${addresses.join(', ')})`);
      }
      if (target.name !== stored.primary) {
        this.setStored(cluster, { ...stored, primary: target.name });
        cluster.perfLive.syncedFrom = undefined;
        cluster.commitStorage();
      }
      this.record(cluster, 'secondary', cause);
      this.world.changed();
      return;
    }
    if (token === undefined) throw badRequest('missing activation token: "token" is required (or update_primary_addrs)');
    if (token === '') {
      this.resync.cancel(cluster);
      this.setStored(cluster, { ...stored, primary: undefined });
      cluster.perfLive.state = 'idle';
      cluster.perfLive.syncedFrom = undefined;
      this.record(cluster, 'secondary', cause);
      cluster.commitStorage();
      this.world.changed();
      return;
    }
    const { activation, primary } = this.activations.redeem(cluster, token);
    cluster.startTransition('performance-update-primary', this.world.timings.updatePrimaryMs, () => {
      this.attach(cluster, primary, activation.secondaryId);
      this.record(cluster, 'secondary', cause);
    });
  }

  /** The cluster whose (functions-network) address, client address or cluster address is `address`. */
  private clusterAt(address: string): ClusterCore | undefined {
    const origin = (() => {
      try {
        return new URL(address).origin;
      } catch {
        return address;
      }
    })();
    return this.clusters.find((cluster) => [cluster.address, cluster.clientAddress].includes(origin));
  }

  // ---- re-sync and the WAL stream ----

  /** merkle-sync done: the secondary's replicated storage is its primary's; its own tokens stay. */
  private takePrimaryData(cluster: ClusterCore, primary: ClusterCore): void {
    cluster.state.applyReplicated(primary.state.snapshot());
    cluster.perfLive.lastRemoteWal = primary.state.lastWal;
    cluster.perfLive.state = 'stream-wals';
    cluster.perfLive.syncedFrom = primary.name;
    cluster.commitStorage();
    this.world.observer.record({ cluster: cluster.name, kind: 'performance-link', detail: `stream-wals from ${primary.name} at WAL ${primary.state.lastWal}` });
  }

  /** A primary wrote: stream it to its performance secondaries. */
  onWrite(primary: ClusterCore): void {
    if (this.clusters.some((cluster) => this.primaryOf(cluster) === primary.name)) this.world.changed();
  }

  /** The link carries WALs and forwarded writes only while both ends are up and agree on their roles. */
  linkUp(primary: ClusterCore, secondary: ClusterCore): boolean {
    const p = this.stored(primary);
    const s = this.stored(secondary);
    return (
      p !== undefined &&
      s !== undefined &&
      this.answersAsPrimary(primary, secondary) &&
      this.mode(secondary) === 'secondary' &&
      !secondary.transitioning() &&
      secondary.activeServing() &&
      s.primary === primary.name &&
      s.clusterId === p.clusterId &&
      s.secondaryId !== undefined &&
      p.knownSecondaries.includes(s.secondaryId) &&
      // A newer primary than its secondary: the DR setting replication.newerPrimary applies here too.
      (this.world.behaviour.newerPrimary === 'streams' || !primary.newerThan(secondary))
    );
  }

  /** The primary a secondary's forwarded writes reach now, if its link is up. */
  connectedPrimary(secondary: ClusterCore): ClusterCore | undefined {
    const name = this.primaryOf(secondary);
    if (name === undefined) return undefined;
    const primary = this.world.cluster(name);
    return this.linkUp(primary, secondary) ? primary : undefined;
  }

  /** The performance secondaries connected to `primary` now (they forward their clients' writes to it). */
  connectedSecondaries(primary: ClusterCore): ClusterCore[] {
    return this.clusters.filter((cluster) => this.primaryOf(cluster) === primary.name && this.linkUp(primary, cluster));
  }

  /** Which primary a performance secondary follows, and whether it is connected; undefined for any other cluster. */
  following(cluster: ClusterCore): { primary: string | undefined; connected: boolean } | undefined {
    if (this.mode(cluster) !== 'secondary') return undefined;
    const primary = this.primaryOf(cluster);
    return { primary, connected: primary !== undefined && this.linkUp(this.world.cluster(primary), cluster) };
  }

  /** With `followPromotedPrimary: 'automatic'`, a secondary whose primary is gone moves to another primary of its set. */
  private followAutomatically(secondary: ClusterCore): void {
    if (this.world.performanceBehaviour.followPromotedPrimary !== 'automatic') return;
    const stored = this.stored(secondary);
    if (stored?.primary === undefined || stored.secondaryId === undefined) return;
    const serves = (candidate: ClusterCore): boolean => {
      const record = this.stored(candidate);
      return (
        candidate !== secondary &&
        record !== undefined &&
        this.answersAsPrimary(candidate, secondary) &&
        record.clusterId === stored.clusterId &&
        record.knownSecondaries.includes(stored.secondaryId as string)
      );
    };
    if (serves(this.world.cluster(stored.primary))) return;
    const next = this.clusters.find(serves);
    if (next === undefined) return;
    this.setStored(secondary, { ...stored, primary: next.name });
    secondary.perfLive.syncedFrom = undefined;
    secondary.commitStorage();
    this.record(secondary, 'secondary', `followed ${next.name}, the primary of its replication set now (setting followPromotedPrimary: automatic)`);
  }

  /** Modes, links, heartbeats, re-syncs and WAL delivery, after any change; called by world.changed(). */
  reconcile(): void {
    const now = this.world.clock.now();
    const { walLagMs } = this.world.timings;
    let nextDue: number | undefined;
    for (const cluster of this.clusters) this.noteMode(cluster);
    for (const secondary of this.clusters) {
      if (this.mode(secondary) !== 'secondary') continue;
      this.followAutomatically(secondary);
      const stored = this.stored(secondary) as StoredPerformance;
      if (stored.primary === undefined || stored.secondaryId === undefined) continue;
      const primary = this.world.cluster(stored.primary);
      const up = this.linkUp(primary, secondary);
      this.links.note(primary, secondary, stored.secondaryId, up, now);
      if (!up) continue;
      if (secondary.perfLive.syncedFrom !== primary.name) {
        secondary.perfLive.syncedFrom = primary.name;
        this.resync.start(secondary, primary);
      }
      this.resync.advance(secondary, primary);
      if (secondary.perfLive.resync !== undefined || secondary.perfLive.state !== 'stream-wals') continue;
      const entry = primary.wal.latestDue(secondary.perfLive.lastRemoteWal, walLagMs);
      if (entry !== undefined) {
        secondary.state.applyReplicated(entry.snapshot);
        secondary.perfLive.lastRemoteWal = entry.index;
        primary.wal.prune(walLagMs);
        // Its own WAL (its DR secondary streams it), in its own numbering.
        secondary.commitStorage();
      }
      const due = primary.wal.nextDueAt(secondary.perfLive.lastRemoteWal, walLagMs);
      if (due !== undefined && (nextDue === undefined || due < nextDue)) nextDue = due;
    }
    this.pump.schedule(nextDue);
  }

  /** Logs a change of the reported mode that no endpoint made (a DR promotion into the set, a DR demotion). */
  private noteMode(cluster: ClusterCore): void {
    const reported = this.reportedMode(cluster);
    cluster.notePerformanceMode(reported);
    const last = this.lastMode.get(cluster.name) ?? 'disabled';
    const acting = this.mode(cluster);
    if (acting === last) return;
    const cause =
      cluster.dr.mode === 'secondary'
        ? 'DR secondary: takes no part in performance replication'
        : 'DR promotion: the cluster joined its DR primary\'s performance replication set';
    this.record(cluster, last, cause);
    if (acting === 'secondary') cluster.perfLive.syncedFrom = undefined;
  }

  /** Performance secondaries streaming WALs from a connected primary that do not hold its last write yet, with when the next WAL falls due. */
  laggards(): { cluster: ClusterCore; behind: string; dueAt: number | undefined }[] {
    const result: { cluster: ClusterCore; behind: string; dueAt: number | undefined }[] = [];
    for (const secondary of this.clusters) {
      const primary = this.connectedPrimary(secondary);
      if (primary === undefined) continue;
      const live = secondary.perfLive;
      // As for DR: a secondary still re-syncing is not waited for (its merkle phases have their own timers).
      if (live.resync !== undefined || live.state !== 'stream-wals' || live.lastRemoteWal >= primary.lastWal()) continue;
      result.push({
        cluster: secondary,
        behind: `${secondary.name} at performance WAL ${live.lastRemoteWal} of ${primary.name}'s ${primary.lastWal()}`,
        dueAt: primary.wal.nextDueAt(live.lastRemoteWal, this.world.timings.walLagMs),
      });
    }
    return result;
  }

  // ---- status ----

  status(cluster: ClusterCore): PerformanceStatusSnapshot {
    const mode = this.reportedMode(cluster);
    const stored = this.stored(cluster);
    if (mode === 'disabled' || stored === undefined) return { mode: 'disabled' };
    const common = {
      cluster_id: stored.clusterId,
      last_reindex_epoch: '0',
      merkle_root: createHash('sha1').update(`${stored.clusterId}:${cluster.state.lastWal}`).digest('hex'),
      corrupted_merkle_tree: false,
      last_corruption_check_epoch: '-62135596800',
    };
    if (mode === 'primary') {
      return {
        mode: 'primary',
        state: 'running',
        ...common,
        known_secondaries: [...stored.knownSecondaries],
        last_wal: cluster.state.lastWal,
        last_performance_wal: cluster.state.lastWal,
        primary_cluster_addr: stored.primaryClusterAddr,
        ssct_generation_counter: 0,
        secondaries: stored.knownSecondaries.map((id) => {
          const secondary = this.clusters.find((c) => this.stored(c)?.secondaryId === id && this.primaryOf(c) === cluster.name);
          const up = secondary !== undefined && this.linkUp(cluster, secondary);
          return { node_id: id, ...this.links.peer(secondary?.address ?? '', up, cluster, id) };
        }),
      };
    }
    const primary = stored.primary === undefined ? undefined : this.world.cluster(stored.primary);
    const up = primary !== undefined && cluster.dr.mode !== 'secondary' && this.linkUp(primary, cluster);
    let state: string = cluster.dr.mode === 'secondary' ? 'idle' : cluster.perfLive.state;
    if (primary === undefined) state = 'idle';
    else if (!up && state === 'stream-wals' && this.world.behaviour.stateWhileDisconnected === 'idle') state = 'idle';
    return {
      mode: 'secondary',
      state,
      connection_state: primary === undefined ? 'idle' : up ? 'ready' : 'transient_failure',
      ...common,
      secondary_id: stored.secondaryId ?? '',
      last_remote_wal: cluster.perfLive.lastRemoteWal,
      known_primary_cluster_addrs: primary === undefined ? [] : [primary.address],
      primary_cluster_addr: primary?.address ?? '',
      primaries: primary === undefined ? [] : [this.links.peer(primary.address, up, primary, stored.secondaryId ?? '')],
    };
  }

  stop(): void {
    this.pump.stop();
  }
}

