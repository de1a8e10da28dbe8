/**
 * DR replication between the simulated clusters: role changes (promote, demote, enable, disable,
 * update-primary), activation tokens, the dr/status view and the bookkeeping the tests assert on
 * (transitions and the largest number of answering primaries).
 *
 * Like real Vault, nothing here stops two clusters from being primaries at once: promote does not
 * look at the old primary. The functions must avoid it; maxAnsweringPrimaries() makes it visible.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { SimulatedClock } from './clock';
import { MESSAGES, badRequest } from './envelope';
import type { ClusterNode } from './node';
import { tokenFormats } from './token-formats';
import type { SecretLog } from './secrets';
import type { DrMode, DrPeerStatus, DrStatusSnapshot, RoleTransition, SecondaryReplicationState } from './types';

export interface ActivationToken {
  readonly token: string;
  /** Name of the primary that issued it. */
  readonly issuer: string;
  readonly secondaryId: string;
  readonly expiresAt: number;
  readonly publicKey: string | undefined;
  used: boolean;
}

const ZERO_TIME = '0001-01-01T00:00:00Z';

export class Replication {
  private readonly activationTokens = new Map<string, ActivationToken>();
  private readonly log: RoleTransition[] = [];
  /** Last time (simulated clock) each primary->secondary link was seen up, for last_heartbeat. */
  private readonly heartbeats = new Map<string, number>();
  private maxAnswering: number;
  private stopped = false;

  constructor(
    readonly nodes: readonly ClusterNode[],
    private readonly clock: SimulatedClock,
    private readonly secrets: SecretLog,
    private readonly transitionMs: number,
  ) {
    this.maxAnswering = 0;
  }

  /** Sets the starting roles (not transitions) and takes the first sample. */
  initialise(initialState: 'replicating' | 'primary-only'): void {
    const [primary, other] = this.nodes as [ClusterNode, ClusterNode];
    primary.mode = 'primary';
    primary.state = 'running';
    primary.replicationClusterId = randomUUID();
    if (initialState === 'replicating') {
      other.mode = 'secondary';
      other.state = 'stream-wals';
      other.replicationClusterId = primary.replicationClusterId;
      other.primaryName = primary.name;
      other.secondaryId = other.name;
      primary.knownSecondaries = [other.name];
      this.heartbeats.set(this.linkKey(primary, other.name), this.clock.now());
    }
    this.sample();
  }

  node(name: string): ClusterNode {
    const node = this.nodes.find((candidate) => candidate.name === name);
    if (node === undefined) throw new Error(`no simulated cluster named "${name}"`);
    return node;
  }

  primaryNames(): string[] {
    return this.nodes.filter((node) => node.mode === 'primary').map((node) => node.name);
  }

  answeringPrimaryNames(): string[] {
    return this.nodes.filter((node) => node.isAnsweringPrimary()).map((node) => node.name);
  }

  maxAnsweringPrimaries(): number {
    return this.maxAnswering;
  }

  transitions(): readonly RoleTransition[] {
    return [...this.log];
  }

  private sample(): void {
    this.maxAnswering = Math.max(this.maxAnswering, this.answeringPrimaryNames().length);
  }

  private record(node: ClusterNode, from: DrMode, cause: string): void {
    this.log.push({ at: Date.now(), cluster: node.name, from, to: node.mode, cause });
    this.sample();
  }

  private startTransition(node: ClusterNode, kind: 'promote' | 'demote', complete: () => void, cause: string): void {
    const from = node.mode;
    const timer = setTimeout(() => {
      node.transition = undefined;
      if (this.stopped) return;
      complete();
      this.record(node, from, cause);
    }, this.transitionMs);
    timer.unref();
    node.transition = { kind, timer };
    this.sample();
  }

  promote(node: ClusterNode, force: boolean): void {
    if (node.transition?.kind === 'promote') throw badRequest(MESSAGES.promotionInProgress);
    if (node.mode !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
    if ((node.state === 'merkle-sync' || node.state === 'merkle-diff') && !force) {
      throw badRequest(
        `cannot promote a DR secondary in state "${node.state}": its data is not in sync; wait for stream-wals or set force`,
      );
    }
    this.startTransition(
      node,
      'promote',
      () => {
        node.mode = 'primary';
        node.state = 'running';
        node.knownSecondaries = [];
        node.primaryName = undefined;
        node.secondaryId = undefined;
        node.demoted = false;
        node.replicationClusterId ??= randomUUID();
      },
      'sys/replication/dr/secondary/promote',
    );
  }

  demote(node: ClusterNode): void {
    if (node.mode !== 'primary') throw badRequest(MESSAGES.notDrPrimary);
    this.startTransition(
      node,
      'demote',
      () => {
        node.mode = 'secondary';
        node.state = 'idle';
        node.knownSecondaries = [];
        node.primaryName = undefined;
        node.secondaryId = undefined;
        node.demoted = true;
      },
      'sys/replication/dr/primary/demote',
    );
  }

  enablePrimary(node: ClusterNode): void {
    if (node.mode === 'primary') throw badRequest('this cluster is already a DR primary');
    if (node.mode === 'secondary') throw badRequest(MESSAGES.pathDisabledOnSecondary);
    const from = node.mode;
    node.mode = 'primary';
    node.state = 'running';
    // Re-enabling gives a new replication cluster id: old secondaries cannot simply reconnect.
    node.replicationClusterId = randomUUID();
    node.knownSecondaries = [];
    this.record(node, from, 'sys/replication/dr/primary/enable');
  }

  disablePrimary(node: ClusterNode): void {
    if (node.mode !== 'primary') throw badRequest(MESSAGES.notDrPrimary);
    this.disable(node, 'sys/replication/dr/primary/disable');
  }

  disableSecondary(node: ClusterNode): void {
    if (node.mode !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
    this.disable(node, 'sys/replication/dr/secondary/disable');
  }

  private disable(node: ClusterNode, cause: string): void {
    const from = node.mode;
    node.mode = 'disabled';
    node.state = 'running';
    node.replicationClusterId = undefined;
    node.knownSecondaries = [];
    node.primaryName = undefined;
    node.secondaryId = undefined;
    node.demoted = false;
    this.record(node, from, cause);
  }

  generatePublicKey(node: ClusterNode): string {
    node.publicKey = randomBytes(32).toString('base64');
    return node.publicKey;
  }

  issueSecondaryToken(
    primary: ClusterNode,
    request: { id: string; ttlSeconds: number; publicKey: string | undefined },
  ): ActivationToken {
    if (primary.mode !== 'primary') throw badRequest(MESSAGES.notDrPrimary);
    if (primary.knownSecondaries.includes(request.id)) {
      throw badRequest(`a secondary with the id "${request.id}" already exists; revoke it or choose another id`);
    }
    const activation: ActivationToken = {
      token: this.secrets.add(tokenFormats().wrappingJwt({ addr: primary.address, nowMs: this.clock.now(), ttlSeconds: request.ttlSeconds }, this.secrets)),
      issuer: primary.name,
      secondaryId: request.id,
      expiresAt: this.clock.now() + request.ttlSeconds * 1000,
      publicKey: request.publicKey,
      used: false,
    };
    this.activationTokens.set(activation.token, activation);
    return activation;
  }

  revokeSecondary(primary: ClusterNode, id: string): void {
    if (primary.mode !== 'primary') throw badRequest(MESSAGES.notDrPrimary);
    if (!primary.knownSecondaries.includes(id)) throw badRequest(`no known secondary with the id "${id}"`);
    primary.knownSecondaries = primary.knownSecondaries.filter((known) => known !== id);
  }

  /** Checks an activation token for `node` and marks it used; throws 400 as Vault's bootstrap does. */
  private redeem(node: ClusterNode, token: string): { activation: ActivationToken; primary: ClusterNode } {
    const activation = this.activationTokens.get(token);
    if (activation === undefined) {
      throw badRequest('invalid activation token: wrapping token is not valid or does not exist');
    }
    if (activation.used) throw badRequest('invalid activation token: the token has already been used');
    if (activation.expiresAt <= this.clock.now()) throw badRequest('invalid activation token: the token has expired');
    if (activation.publicKey !== undefined && activation.publicKey !== node.publicKey) {
      throw badRequest(
        'error decrypting activation token: it was encrypted for a different secondary public key (run generate-public-key on this cluster)',
      );
    }
    const primary = this.node(activation.issuer);
    if (!primary.isAnsweringPrimary()) {
      throw badRequest(
        `error fetching secondary bootstrap package: the primary that issued the activation token (${primary.address}) does not answer as a DR primary`,
      );
    }
    if (primary.knownSecondaries.includes(activation.secondaryId)) {
      throw badRequest(`a secondary with the id "${activation.secondaryId}" already exists on the primary`);
    }
    activation.used = true;
    return { activation, primary };
  }

  private attach(node: ClusterNode, primary: ClusterNode, secondaryId: string): void {
    node.mode = 'secondary';
    node.state = 'stream-wals';
    node.primaryName = primary.name;
    node.secondaryId = secondaryId;
    node.replicationClusterId = primary.replicationClusterId;
    node.knownSecondaries = [];
    node.demoted = false;
    primary.knownSecondaries = [...primary.knownSecondaries, secondaryId];
    this.heartbeats.set(this.linkKey(primary, secondaryId), this.clock.now());
  }

  /**
   * update-primary on a DR secondary. `token` "" forgets the primary (state idle). Without a
   * token, `update_primary_addrs` only re-points a secondary that still has its primary.
   */
  updatePrimary(node: ClusterNode, token: string | undefined, updatePrimaryAddrs: boolean): void {
    if (node.mode !== 'secondary') throw badRequest(MESSAGES.notDrSecondary);
    const cause = 'sys/replication/dr/secondary/update-primary';
    if (updatePrimaryAddrs && node.demoted) {
      throw badRequest(
        'update_primary_addrs cannot be used on a demoted cluster: an activation token from the new primary is required',
      );
    }
    if (token === undefined) {
      if (updatePrimaryAddrs && node.primaryName !== undefined) {
        this.record(node, 'secondary', cause);
        return;
      }
      throw badRequest('missing activation token: "token" is required');
    }
    if (token === '') {
      node.primaryName = undefined;
      node.state = 'idle';
      this.record(node, 'secondary', cause);
      return;
    }
    const { activation, primary } = this.redeem(node, token);
    this.attach(node, primary, activation.secondaryId);
    this.record(node, 'secondary', cause);
  }

  enableSecondary(node: ClusterNode, token: string | undefined): void {
    if (node.mode === 'secondary') {
      throw badRequest('this cluster is already a DR secondary; use update-primary to change its primary');
    }
    if (node.mode === 'primary') throw badRequest('this cluster is a DR primary; disable DR replication first');
    if (token === undefined || token === '') throw badRequest('missing activation token: "token" is required');
    const { activation, primary } = this.redeem(node, token);
    this.attach(node, primary, activation.secondaryId);
    this.record(node, 'disabled', 'sys/replication/dr/secondary/enable');
  }

  setReplicationState(node: ClusterNode, state: SecondaryReplicationState): void {
    if (node.mode !== 'secondary') {
      throw new Error(`setReplicationState: cluster "${node.name}" is not a DR secondary (mode ${node.mode})`);
    }
    node.state = state;
  }

  private linkKey(primary: ClusterNode, secondaryId: string): string {
    return `${primary.name}\u0000${secondaryId}`;
  }

  /** The link carries WALs only while both ends answer and still agree on their roles. */
  private linkUp(primary: ClusterNode, secondary: ClusterNode | undefined): boolean {
    return (
      secondary !== undefined &&
      primary.isAnsweringPrimary() &&
      secondary.mode === 'secondary' &&
      !secondary.transitioning() &&
      secondary.reachable() &&
      secondary.primaryName === primary.name &&
      secondary.secondaryId !== undefined &&
      primary.knownSecondaries.includes(secondary.secondaryId)
    );
  }

  private heartbeat(primary: ClusterNode, secondaryId: string, up: boolean): string {
    const key = this.linkKey(primary, secondaryId);
    if (up) this.heartbeats.set(key, this.clock.now());
    const seen = this.heartbeats.get(key);
    return seen === undefined ? ZERO_TIME : new Date(seen).toISOString();
  }

  private peer(node: ClusterNode, connected: boolean, lastHeartbeat: string): DrPeerStatus {
    return {
      api_address: node.address,
      cluster_address: node.address,
      connection_status: connected ? 'connected' : 'disconnected',
      last_heartbeat: lastHeartbeat,
      clock_skew_ms: '0',
      replication_primary_canary_age_ms: connected ? '0' : '-1',
    };
  }

  status(node: ClusterNode): DrStatusSnapshot {
    if (node.mode === 'disabled') return { mode: 'disabled' };
    const common = {
      cluster_id: node.replicationClusterId ?? '',
      last_reindex_epoch: '0',
      merkle_root: (node.replicationClusterId ?? '').replace(/-/g, ''),
      corrupted_merkle_tree: false,
      last_corruption_check_epoch: '-62135596800',
    };
    if (node.mode === 'primary') {
      return {
        mode: 'primary',
        state: 'running',
        ...common,
        known_secondaries: [...node.knownSecondaries],
        last_wal: 100,
        last_dr_wal: 100,
        last_performance_wal: 100,
        primary_cluster_addr: '',
        ssct_generation_counter: 0,
        secondaries: node.knownSecondaries.map((id) => {
          const secondary = this.nodes.find((candidate) => candidate.secondaryId === id && candidate.primaryName === node.name);
          const up = this.linkUp(node, secondary);
          return {
            node_id: id,
            ...this.peer(secondary ?? node, up, this.heartbeat(node, id, up)),
            ...(secondary === undefined ? { api_address: '', cluster_address: '' } : {}),
          };
        }),
      };
    }
    const primary = node.primaryName === undefined ? undefined : this.node(node.primaryName);
    const up = primary !== undefined && this.linkUp(primary, node);
    const connectionState = primary === undefined ? 'idle' : up ? 'ready' : 'transient_failure';
    return {
      mode: 'secondary',
      state: node.state,
      connection_state: connectionState,
      ...common,
      secondary_id: node.secondaryId ?? '',
      last_remote_wal: primary === undefined ? 0 : 100,
      known_primary_cluster_addrs: primary === undefined ? [] : [primary.address],
      primary_cluster_addr: primary?.address ?? '',
      primaries:
        primary === undefined
          ? []
          : [this.peer(primary, up, this.heartbeat(primary, node.secondaryId ?? '', up))],
    };
  }

  stop(): void {
    this.stopped = true;
    for (const node of this.nodes) {
      if (node.transition !== undefined) clearTimeout(node.transition.timer);
      node.transition = undefined;
    }
  }
}
