/**
 * DR replication between the clusters of a world: role changes (promote, demote, enable, disable,
 * update-primary) with their durations, activation tokens, the replication links (cluster <->
 * cluster, port 8201) with their heartbeats, the WAL stream that carries a primary's writes to its
 * secondaries with `walLagMs` of lag, the merkle-diff / merkle-sync re-sync of a (re-)attached
 * secondary, and the sys/replication/dr/status view of all of it.
 *
 * Like real Vault, nothing here stops two clusters from being primaries at once: promote does not
 * look at the old primary. The functions must avoid it; the observer makes it visible.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { type ActivationToken, ActivationTokens } from './activation-tokens';
import type { ClusterCore } from './cluster';
import type { WorldContext } from './context';
import { MerkleResync } from './merkle-resync';
import { ReplicationLinks } from './replication-links';
import { MESSAGES, badRequest } from './envelope';
import type { DrMode, DrStatusSnapshot, RoleTransition, SecondaryReplicationState } from './types';
import { WalPump } from './wal-pump';

export class Replication {
  private readonly activations: ActivationTokens;
  private readonly resync: MerkleResync;
  private readonly log: RoleTransition[] = [];
  private readonly links: ReplicationLinks;
  private readonly pump: WalPump;
  private clusters: readonly ClusterCore[] = [];
  /** Secondaries whose primary runs a newer version, as last recorded. */
  private readonly inverted = new Set<string>();

  constructor(private readonly world: WorldContext) {
    this.resync = new MerkleResync(world, {
      holder: (cluster) => cluster.dr,
      observed: 'replication',
      namesPrimary: false,
      finish: (cluster, primary) => this.takePrimaryData(cluster, primary),
    });
    this.links = new ReplicationLinks(world, { kind: 'link', noun: 'replication' });
    this.pump = new WalPump(world);
    this.activations = new ActivationTokens(world, {
      kind: 'DR',
      notPrimary: MESSAGES.notDrPrimary,
      knownSecondaries: (cluster) => (cluster.dr.mode === 'primary' ? cluster.dr.knownSecondaries : undefined),
      setKnownSecondaries: (primary, ids) => {
        primary.dr.knownSecondaries = [...ids];
      },
      answersAsPrimary: (primary, secondary) => this.answersAsPrimary(primary, secondary),
      publicKey: (cluster) => cluster.dr.publicKey,
    });
  }

  /**
   * Sets the starting roles (not transitions): primaries, and secondaries holding their primary's
   * data. `beforeSecondaries` runs between the two (performance roles, which DR secondaries take
   * with their primary's storage).
   */
  initialise(
    clusters: readonly ClusterCore[],
    roles: ReadonlyMap<string, 'primary' | 'disabled' | { secondaryOf: string }>,
    beforeSecondaries: () => void = () => undefined,
  ): void {
    this.clusters = clusters;
    for (const cluster of clusters) {
      if (roles.get(cluster.name) !== 'primary') continue;
      cluster.setMode('primary', true);
      cluster.dr.state = 'running';
      cluster.dr.replicationClusterId = randomUUID();
    }
    beforeSecondaries();
    for (const cluster of clusters) {
      const role = roles.get(cluster.name);
      if (role === undefined || typeof role === 'string') continue;
      const primary = this.world.cluster(role.secondaryOf);
      cluster.setMode('secondary', true);
      this.attach(cluster, primary, cluster.name);
      this.resync.finish(cluster, primary);
    }
    this.reconcile();
  }

  primaryNames(): string[] {
    return this.clusters.filter((cluster) => cluster.dr.mode === 'primary').map((cluster) => cluster.name);
  }

  answeringPrimaryNames(): string[] {
    return this.clusters.filter((cluster) => cluster.isAnsweringPrimary()).map((cluster) => cluster.name);
  }

  transitions(): readonly RoleTransition[] {
    return [...this.log];
  }

  private record(cluster: ClusterCore, from: DrMode, cause: string): void {
    this.log.push({ at: Date.now(), simulatedAt: this.world.clock.now(), cluster: cluster.name, from, to: cluster.dr.mode, cause });
  }

  // ---- role changes ----

  promote(cluster: ClusterCore, force: boolean): void {
    if (cluster.transitionKind() === 'promote') throw badRequest(MESSAGES.promotionInProgress);
    if (cluster.dr.mode !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
    if ((cluster.dr.state === 'merkle-sync' || cluster.dr.state === 'merkle-diff') && !force) {
      throw badRequest(
        `cannot promote a DR secondary in state "${cluster.dr.state}": its data is not in sync; wait for stream-wals or set force`,
      );
    }
    cluster.startTransition('promote', this.world.timings.promoteMs, () => {
      const from = cluster.dr.mode;
      this.resync.cancel(cluster);
      cluster.setMode('primary');
      cluster.dr.state = 'running';
      cluster.dr.knownSecondaries = [];
      cluster.dr.primaryName = undefined;
      cluster.dr.secondaryId = undefined;
      cluster.dr.demoted = false;
      cluster.dr.replicationClusterId ??= randomUUID();
      // It holds what it received, numbered as its old primary numbered it (or from 0 again).
      if (this.world.behaviour.walIndexAfterPromote === 'reset') cluster.state.lastWal = 0;
      cluster.wal.rebase();
      this.record(cluster, from, 'sys/replication/dr/secondary/promote');
    });
  }

  demote(cluster: ClusterCore): void {
    if (cluster.dr.mode !== 'primary') throw badRequest(MESSAGES.notDrPrimary);
    cluster.startTransition('demote', this.world.timings.demoteMs, () => {
      const from = cluster.dr.mode;
      cluster.setMode('secondary');
      cluster.dr.state = 'idle';
      cluster.dr.knownSecondaries = [];
      cluster.dr.primaryName = undefined;
      cluster.dr.secondaryId = undefined;
      cluster.dr.demoted = true;
      // It keeps its own data; what it reports having received is a setting.
      cluster.dr.lastRemoteWal = this.world.behaviour.walIndexAfterDemote === 'kept' ? cluster.state.lastWal : 0;
      this.record(cluster, from, 'sys/replication/dr/primary/demote');
    });
  }

  enablePrimary(cluster: ClusterCore): void {
    if (cluster.dr.mode === 'primary') throw badRequest('this cluster is already a DR primary');
    if (cluster.dr.mode === 'secondary') throw badRequest(MESSAGES.pathDisabledOnSecondary);
    const from = cluster.dr.mode;
    cluster.setMode('primary');
    cluster.dr.state = 'running';
    // Re-enabling gives a new replication cluster id: old secondaries cannot simply reconnect.
    cluster.dr.replicationClusterId = randomUUID();
    cluster.dr.knownSecondaries = [];
    this.record(cluster, from, 'sys/replication/dr/primary/enable');
    this.world.changed();
  }

  disablePrimary(cluster: ClusterCore): void {
    if (cluster.dr.mode !== 'primary') throw badRequest(MESSAGES.notDrPrimary);
    this.disable(cluster, 'sys/replication/dr/primary/disable');
  }

  disableSecondary(cluster: ClusterCore): void {
    if (cluster.dr.mode !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
    this.disable(cluster, 'sys/replication/dr/secondary/disable');
  }

  private disable(cluster: ClusterCore, cause: string): void {
    const from = cluster.dr.mode;
    this.resync.cancel(cluster);
    cluster.setMode('disabled');
    cluster.dr.state = 'running';
    cluster.dr.replicationClusterId = undefined;
    cluster.dr.knownSecondaries = [];
    cluster.dr.primaryName = undefined;
    cluster.dr.secondaryId = undefined;
    cluster.dr.demoted = false;
    this.record(cluster, from, cause);
    this.world.changed();
  }

  generatePublicKey(cluster: ClusterCore): string {
    cluster.dr.publicKey = randomBytes(32).toString('base64');
    return cluster.dr.publicKey;
  }

  issueSecondaryToken(
    primary: ClusterCore,
    request: { id: string; ttlSeconds: number; publicKey: string | undefined },
  ): ActivationToken {
    return this.activations.issue(primary, request);
  }

  revokeSecondary(primary: ClusterCore, id: string): void {
    this.activations.revoke(primary, id);
  }

  /** A DR primary that answers on the replication network, as `secondary` reaches it. */
  private answersAsPrimary(primary: ClusterCore, secondary: ClusterCore): boolean {
    return primary.dr.mode === 'primary' && !primary.transitioning() && primary.activeServing() && primary.replicationUp() && secondary.replicationUp();
  }

  /** Points `cluster` at `primary` as secondary `secondaryId` and starts its re-sync. */
  private attach(cluster: ClusterCore, primary: ClusterCore, secondaryId: string): void {
    this.resync.cancel(cluster);
    cluster.setMode('secondary');
    cluster.dr.primaryName = primary.name;
    cluster.dr.secondaryId = secondaryId;
    cluster.dr.replicationClusterId = primary.dr.replicationClusterId;
    cluster.dr.knownSecondaries = [];
    cluster.dr.demoted = false;
    if (!primary.dr.knownSecondaries.includes(secondaryId)) primary.dr.knownSecondaries = [...primary.dr.knownSecondaries, secondaryId];
    this.resync.start(cluster, primary);
  }

  /**
   * update-primary on a DR secondary. `token` "" forgets the primary (state idle). Without a
   * token, `update_primary_addrs` only re-points a secondary that still has its primary.
   */
  updatePrimary(cluster: ClusterCore, token: string | undefined, updatePrimaryAddrs: boolean): void {
    if (cluster.dr.mode !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
    const cause = 'sys/replication/dr/secondary/update-primary';
    if (updatePrimaryAddrs && cluster.dr.demoted) {
      throw badRequest(
        'update_primary_addrs cannot be used on a demoted cluster: an activation token from the new primary is required',
      );
    }
    if (token === undefined) {
      if (updatePrimaryAddrs && cluster.dr.primaryName !== undefined) {
        this.record(cluster, 'secondary', cause);
        return;
      }
      throw badRequest('missing activation token: "token" is required');
    }
    if (token === '') {
      this.resync.cancel(cluster);
      cluster.dr.primaryName = undefined;
      cluster.dr.state = 'idle';
      this.record(cluster, 'secondary', cause);
      this.world.changed();
      return;
    }
    const { activation, primary } = this.activations.redeem(cluster, token);
    cluster.startTransition('update-primary', this.world.timings.updatePrimaryMs, () => {
      this.attach(cluster, primary, activation.secondaryId);
      this.record(cluster, 'secondary', cause);
    });
  }

  enableSecondary(cluster: ClusterCore, token: string | undefined): void {
    if (cluster.dr.mode === 'secondary') {
      throw badRequest('this cluster is already a DR secondary; use update-primary to change its primary');
    }
    if (cluster.dr.mode === 'primary') throw badRequest('this cluster is a DR primary; disable DR replication first');
    if (token === undefined || token === '') throw badRequest('missing activation token: "token" is required');
    const { activation, primary } = this.activations.redeem(cluster, token);
    // "This will immediately clear all data in the secondary cluster!"
    cluster.state.wipe();
    cluster.wal.rebase();
    cluster.startTransition('update-primary', this.world.timings.updatePrimaryMs, () => {
      this.attach(cluster, primary, activation.secondaryId);
      this.record(cluster, 'disabled', 'sys/replication/dr/secondary/enable');
    });
  }

  setReplicationState(cluster: ClusterCore, state: SecondaryReplicationState): void {
    if (cluster.dr.mode !== 'secondary') {
      throw new Error(`setReplicationState: cluster "${cluster.name}" is not a DR secondary (mode ${cluster.dr.mode})`);
    }
    this.resync.cancel(cluster);
    cluster.dr.state = state;
    this.world.observer.record({ cluster: cluster.name, kind: 'replication', detail: `state set to ${state} (test hook)` });
    this.world.changed();
  }

  // ---- re-sync and the WAL stream ----

  /** merkle-sync done: the secondary's storage is now its primary's (what it alone had is gone). */
  private takePrimaryData(cluster: ClusterCore, primary: ClusterCore): void {
    cluster.state.restore(primary.state.snapshot());
    cluster.wal.rebase();
    cluster.dr.lastRemoteWal = primary.state.lastWal;
    cluster.dr.state = 'stream-wals';
    this.world.observer.record({ cluster: cluster.name, kind: 'replication', detail: `stream-wals from ${primary.name} at WAL ${primary.state.lastWal}` });
  }

  /** A primary wrote: deliver now what is due (lag 0), and time the rest. */
  onWrite(primary: ClusterCore): void {
    if (this.clusters.some((cluster) => cluster.dr.primaryName === primary.name)) this.world.changed();
  }

  /** The link carries WALs only while both ends are up and still agree on their roles. */
  linkUp(primary: ClusterCore, secondary: ClusterCore): boolean {
    const id = secondary.dr.secondaryId;
    return (
      this.answersAsPrimary(primary, secondary) &&
      secondary.dr.mode === 'secondary' &&
      !secondary.transitioning() &&
      secondary.activeServing() &&
      secondary.dr.primaryName === primary.name &&
      id !== undefined &&
      primary.dr.knownSecondaries.includes(id) &&
      (this.world.behaviour.newerPrimary === 'streams' || !primary.newerThan(secondary))
    );
  }

  /** Link states, heartbeats, re-syncs and WAL delivery, after any change; called by world.changed(). */
  reconcile(): void {
    const now = this.world.clock.now();
    const { walLagMs } = this.world.timings;
    let nextDue: number | undefined;
    for (const secondary of this.clusters) {
      if (secondary.dr.mode !== 'secondary' || secondary.dr.primaryName === undefined || secondary.dr.secondaryId === undefined) continue;
      const primary = this.world.cluster(secondary.dr.primaryName);
      this.noteInversion(primary, secondary);
      const up = this.linkUp(primary, secondary);
      this.links.note(primary, secondary, secondary.dr.secondaryId, up, now);
      if (!up) continue;
      this.resync.advance(secondary, primary);
      if (secondary.dr.resync !== undefined || secondary.dr.state !== 'stream-wals') continue;
      const entry = primary.wal.latestDue(secondary.dr.lastRemoteWal, walLagMs);
      if (entry !== undefined) {
        secondary.state.restore(entry.snapshot);
        secondary.wal.rebase();
        secondary.dr.lastRemoteWal = entry.index;
        primary.wal.prune(walLagMs);
      }
      const due = primary.wal.nextDueAt(secondary.dr.lastRemoteWal, walLagMs);
      if (due !== undefined && (nextDue === undefined || due < nextDue)) nextDue = due;
    }
    this.pump.schedule(nextDue);
  }

  /** Records when a secondary's primary becomes newer than it, and when that ends. */
  private noteInversion(primary: ClusterCore, secondary: ClusterCore): void {
    const now = primary.dr.mode === 'primary' && primary.newerThan(secondary);
    if (now === this.inverted.has(secondary.name)) return;
    if (now) {
      this.inverted.add(secondary.name);
      const what = this.world.behaviour.newerPrimary === 'streams' ? 'it streams anyway, which is not safe' : 'nothing streams';
      this.world.observer.record({ cluster: secondary.name, kind: 'replication', detail: `newer primary: ${primary.name} runs ${primary.version()}, newer than this secondary's ${secondary.version()}; ${what}` });
    } else {
      this.inverted.delete(secondary.name);
      this.world.observer.record({ cluster: secondary.name, kind: 'replication', detail: `versions compatible again: ${primary.name} ${primary.version()}, this secondary ${secondary.version()}` });
    }
  }

  // ---- status ----

  status(cluster: ClusterCore): DrStatusSnapshot {
    if (cluster.dr.mode === 'disabled') return { mode: 'disabled' };
    const clusterId = cluster.dr.replicationClusterId ?? '';
    const common = {
      cluster_id: clusterId,
      last_reindex_epoch: '0',
      merkle_root: createHash('sha1').update(`${clusterId}:${cluster.state.lastWal}`).digest('hex'),
      corrupted_merkle_tree: false,
      last_corruption_check_epoch: '-62135596800',
    };
    if (cluster.dr.mode === 'primary') {
      return {
        mode: 'primary',
        state: 'running',
        ...common,
        known_secondaries: [...cluster.dr.knownSecondaries],
        last_wal: cluster.state.lastWal,
        last_dr_wal: cluster.state.lastWal,
        primary_cluster_addr: '',
        ssct_generation_counter: 0,
        secondaries: cluster.dr.knownSecondaries.map((id) => {
          const secondary = this.clusters.find((c) => c.dr.secondaryId === id && c.dr.primaryName === cluster.name);
          const up = secondary !== undefined && this.linkUp(cluster, secondary);
          return { node_id: id, ...this.links.peer(secondary?.address ?? '', up, cluster, id) };
        }),
      };
    }
    const primary = cluster.dr.primaryName === undefined ? undefined : this.world.cluster(cluster.dr.primaryName);
    const up = primary !== undefined && this.linkUp(primary, cluster);
    let state: string = cluster.dr.state;
    if (primary !== undefined && !up && state === 'stream-wals' && this.world.behaviour.stateWhileDisconnected === 'idle') state = 'idle';
    return {
      mode: 'secondary',
      state,
      connection_state: primary === undefined ? 'idle' : up ? 'ready' : 'transient_failure',
      ...common,
      secondary_id: cluster.dr.secondaryId ?? '',
      last_remote_wal: cluster.dr.lastRemoteWal,
      known_primary_cluster_addrs: primary === undefined ? [] : [primary.address],
      primary_cluster_addr: primary?.address ?? '',
      primaries: primary === undefined ? [] : [this.links.peer(primary.address, up, primary, cluster.dr.secondaryId ?? '')],
    };
  }

  stop(): void {
    this.pump.stop();
  }
}
