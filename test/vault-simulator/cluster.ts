/**
 * One simulated cluster: its nodes, their Raft/HA state (which node is active, elections, quorum),
 * its load balancer (target group and one listener per network), its storage and WAL, its DR
 * record, and the path of a request from a listener to the node that answers it:
 *
 *   listener -> receiving node (its faults) -> sys/health, seal-status, leader answered there
 *            -> any other path: the active node (a standby forwards to it) -> router -> handler
 *            -> WAL commit when the request wrote -> apply-then-drop rules -> answer
 *
 * Vault's HA: one active node; standbys forward requests to it; without an active node a standby
 * answers 500 "local node not active but active cluster node not found" (http/handler.go). When
 * the active node is lost, a standby becomes active after `electionMs` if a majority of the voters
 * is alive; without quorum there is no active node.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimTimer } from './clock';
import type { WorldContext } from './context';
import type { DrOperationTokens } from './dr-operation-token';
import type { ResyncProgress } from './merkle-resync';
import type { Replication } from './replication';
import { MESSAGES, type SimResponse, VaultError, errorBody } from './envelope';
import { PERFORMANCE_MESSAGES, type PerformanceLive, type PerformanceReplication, newPerformanceLive } from './performance';
import { forwardedToPerformancePrimary } from './performance-paths';
import { LoadBalancerListener } from './listener';
import { TargetGroup } from './load-balancer';
import { VaultNode } from './node';
import { type Handler, NODE_LOCAL_PATHS, type RequestContext, dispatch, errorResponse, parseRequest } from './router';
import { nodeHealth } from './routes/health';
import { PROJECT_HEALTH_MATCHER, PROJECT_HEALTH_QUERY, compareVersions, parseVersion } from './settings';
import { ClusterState } from './state';
import { WalLog } from './wal';
import type {
  AnswerDrop,
  AnswerDropRule,
  ClusterReplicationView,
  ClusterFault,
  DrMode,
  DrStatusSnapshot,
  NetworkName,
  NetworkState,
  NodeFault,
  PerformanceMode,
  PerformanceStatusSnapshot,
  RecordedRequest,
  SecondaryReplicationState,
  SimulatedCluster,
  SimulatedNode,
} from './types';

const MAX_BODY_BYTES = 1024 * 1024;
const WRITE_METHODS = new Set(['POST', 'PUT', 'DELETE']);

export type NodeReplicationState = 'running' | SecondaryReplicationState;
export type TransitionKind =
  | 'promote'
  | 'demote'
  | 'update-primary'
  | 'performance-promote'
  | 'performance-demote'
  | 'performance-update-primary';

/** A cluster's DR replication record (what sys/replication/dr/status reports). */
export interface DrRecord {
  mode: DrMode;
  state: NodeReplicationState;
  /** The replication set's id, reported as dr/status cluster_id; shared by a primary and its secondaries. */
  replicationClusterId: string | undefined;
  /** A secondary's primary, by cluster name. */
  primaryName: string | undefined;
  /** A secondary's id as its primary knows it. */
  secondaryId: string | undefined;
  /** A primary's known_secondaries. */
  knownSecondaries: string[];
  /** The key from generate-public-key, which an activation token may be bound to. */
  publicKey: string | undefined;
  /** Set by demote: the cluster needs an activation token, update_primary_addrs is refused. */
  demoted: boolean;
  /** A secondary's last_remote_wal: the primary's index of the last WAL it applied. */
  lastRemoteWal: number;
  /** While a (re-)attached secondary re-syncs: the phase, and whether its time is up. */
  resync: ResyncProgress | undefined;
}

interface PendingTransition {
  readonly kind: TransitionKind;
  readonly timer: SimTimer;
}

interface DropRuleState {
  readonly rule: AnswerDropRule;
  remaining: number;
  dropped: number;
}

function loggedPath(url: string | undefined): string {
  const pathname = (url ?? '').split('?')[0] as string;
  return pathname.startsWith('/v1/') ? pathname.slice('/v1/'.length) : pathname;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy(new Error('request body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const CLUSTER_FAULT_TO_NODE: Readonly<Record<ClusterFault, NodeFault>> = {
  none: 'none',
  down: 'refused',
  blackhole: 'blackhole',
  slow: 'slow',
  sealed: 'sealed',
  error500: 'error500',
};
const NODE_FAULT_TO_CLUSTER: Partial<Record<NodeFault, ClusterFault>> = {
  none: 'none',
  refused: 'down',
  blackhole: 'blackhole',
  slow: 'slow',
  sealed: 'sealed',
  error500: 'error500',
};

export interface ClusterSetup {
  readonly name: string;
  readonly nodes: number;
  readonly version: string;
}

export class ClusterCore implements SimulatedCluster {
  readonly name: string;
  readonly state: ClusterState;
  readonly wal: WalLog;
  readonly dr: DrRecord = {
    mode: 'disabled',
    state: 'running',
    replicationClusterId: undefined,
    primaryName: undefined,
    secondaryId: undefined,
    knownSecondaries: [],
    publicKey: undefined,
    demoted: false,
    lastRemoteWal: 0,
    resync: undefined,
  };
  /** Its performance replication state that is not stored (performance.ts); the record itself is `state.performance`. */
  readonly perfLive: PerformanceLive = newPerformanceLive();
  /** The nodes in the Raft configuration, in the order they joined (addNode, removeNode change it). */
  readonly vaultNodes: VaultNode[];
  private readonly publicNodes = new Map<VaultNode, SimulatedNode>();
  private readonly targetGroup: TargetGroup;
  private functionsListener!: LoadBalancerListener;
  private clientsListener!: LoadBalancerListener;
  private replicationNetwork: NetworkState = 'up';
  private active: VaultNode | undefined;
  private election: SimTimer | undefined;
  private transition: PendingTransition | undefined;
  /** Every DR mode the cluster had, with when it started: what standbys learn, late. */
  private readonly modeHistory: { mode: DrMode; at: number }[] = [];
  /** Every performance mode it reported, with when: what standbys learn, late. */
  private readonly performanceModeHistory: { mode: PerformanceMode; at: number }[] = [{ mode: 'disabled', at: -Infinity }];
  /** The version of the last active node: what the cluster reports while it has none. */
  private lastActiveVersion: string;
  private healthFrom: 'any' | 'active' | 'standby' = 'any';
  private log: RecordedRequest[] = [];
  private readonly dropRules: DropRuleState[] = [];
  /** The cluster's id in sys/health (fixed, unlike the replication set's id). */
  private readonly healthClusterId = randomUUID();

  private constructor(
    private readonly world: WorldContext,
    setup: ClusterSetup,
  ) {
    this.name = setup.name;
    parseVersion(`cluster "${setup.name}" version`, setup.version);
    this.lastActiveVersion = setup.version;
    this.state = new ClusterState(world.clock, world.secrets, world.settings, world.batchTokens, world.root);
    this.wal = new WalLog(this.state, world.clock);
    this.vaultNodes = Array.from({ length: setup.nodes }, (_, index) => new VaultNode(setup.name, index, this.healthClusterId, setup.version));
    this.targetGroup = new TargetGroup(this.vaultNodes, world.healthChecks, world.clock, (node) => this.passesTargetHealthCheck(node), (node, inRotation) =>
      this.onRotationChange(node, inRotation),
    );
    this.active = this.vaultNodes[0];
    this.modeHistory.push({ mode: 'disabled', at: world.clock.now() });
  }

  static async start(world: WorldContext, setup: ClusterSetup): Promise<ClusterCore> {
    const cluster = new ClusterCore(world, setup);
    const listener = (network: 'functions' | 'clients') => {
      const random = world.random.fork(`${setup.name}/${network}`);
      return LoadBalancerListener.start({
        keyPem: world.tls.keyPem,
        certPem: world.tls.certPem,
        clock: world.clock,
        slowMs: world.timings.slowMs,
        pick: () => cluster.targetGroup.pick(random),
        anyCandidateAccepts: () => cluster.targetGroup.candidates().some((node) => node.fault() !== 'refused'),
        handle: (node, req, res, arrivedAt) => void cluster.handle(node, network, req, res, arrivedAt),
        swallowed: (node, req, arrivedAt) => cluster.record(node, network, req, 'no-answer', arrivedAt),
      });
    };
    [cluster.functionsListener, cluster.clientsListener] = await Promise.all([listener('functions'), listener('clients')]);
    return cluster;
  }

  // ---- public surface (SimulatedCluster) ----

  get address(): string {
    return `https://127.0.0.1:${this.functionsListener.port}`;
  }

  get port(): number {
    return this.functionsListener.port;
  }

  get clientAddress(): string {
    return `https://127.0.0.1:${this.clientsListener.port}`;
  }

  get clientPort(): number {
    return this.clientsListener.port;
  }

  get nodes(): readonly SimulatedNode[] {
    return this.vaultNodes.map((node) => this.publicNode(node));
  }

  node(idOrIndex: string | number): SimulatedNode {
    return this.publicNode(this.findNode(idOrIndex));
  }

  activeNode(): SimulatedNode | undefined {
    return this.active === undefined ? undefined : this.publicNode(this.active);
  }

  async setFault(fault: ClusterFault): Promise<void> {
    const nodeFault = CLUSTER_FAULT_TO_NODE[fault];
    if (nodeFault === undefined) throw new Error(`setFault: unknown fault "${String(fault)}" (one of ${Object.keys(CLUSTER_FAULT_TO_NODE).join(', ')})`);
    await this.applyNodeFaults(this.vaultNodes, nodeFault);
  }

  fault(): ClusterFault | 'mixed' {
    const faults = new Set(this.vaultNodes.map((node) => node.fault()));
    if (faults.size !== 1) return 'mixed';
    return NODE_FAULT_TO_CLUSTER[[...faults][0] as NodeFault] ?? 'mixed';
  }

  async setNodeFault(idOrIndex: string | number, fault: NodeFault): Promise<void> {
    await this.applyNodeFaults([this.findNode(idOrIndex)], fault);
  }

  async setNetwork(network: NetworkName, state: NetworkState): Promise<void> {
    if (!['up', 'blackhole', 'refused'].includes(state)) {
      throw new Error(`setNetwork: state must be 'up', 'blackhole' or 'refused', got "${String(state)}"`);
    }
    if (network === 'replication') {
      this.replicationNetwork = state;
    } else if (network === 'functions' || network === 'clients') {
      await this.listenerFor(network).setState(state);
    } else {
      throw new Error(`setNetwork: network must be 'functions', 'clients' or 'replication', got "${String(network)}"`);
    }
    this.world.observer.record({ cluster: this.name, kind: 'network', detail: `${network} network ${state}` });
    this.world.changed();
  }

  network(network: NetworkName): NetworkState {
    if (network === 'replication') return this.replicationNetwork;
    return this.listenerFor(network).state();
  }

  dropAnswers(rule: AnswerDropRule = {}): AnswerDrop {
    if (rule.node !== undefined) this.findNode(rule.node);
    const times = rule.times ?? Infinity;
    if (!(times >= 1)) throw new Error(`dropAnswers: times must be at least 1, got ${String(rule.times)}`);
    const state: DropRuleState = { rule, remaining: times, dropped: 0 };
    this.dropRules.push(state);
    return {
      dropped: () => state.dropped,
      remove: () => {
        const at = this.dropRules.indexOf(state);
        if (at >= 0) this.dropRules.splice(at, 1);
      },
    };
  }

  /** The active node's version (Vault's replication runs on the active node); the last one's while there is none. */
  version(): string {
    return this.active?.version ?? this.lastActiveVersion;
  }

  setVersion(version: string): void {
    parseVersion('setVersion', version);
    for (const node of this.vaultNodes) {
      node.version = version;
      node.voter = true;
    }
    this.lastActiveVersion = version;
    this.world.observer.record({ cluster: this.name, kind: 'version', detail: `now ${version}` });
    this.world.changed();
  }

  addNode(options: { readonly version?: string } = {}): SimulatedNode {
    const version = options.version ?? this.version();
    parseVersion('addNode version', version);
    const index = Math.max(-1, ...this.vaultNodes.map((n) => n.index)) + 1;
    const node = new VaultNode(this.name, index, this.healthClusterId, version);
    // Automated upgrades: a node newer than the cluster joins as a non-voter (autopilot promotes it
    // later, below). A node of the cluster's version is a voter at once (autopilot's stabilization
    // time is not modelled).
    node.voter = compareVersions(version, this.version()) <= 0;
    this.vaultNodes.push(node);
    this.targetGroup.register(node);
    this.world.observer.record({ cluster: this.name, node: node.id, kind: 'membership', detail: `joined on ${version} as a ${node.voter ? 'voter' : 'non-voter'}` });
    this.world.changed();
    return this.publicNode(node);
  }

  async removeNode(idOrIndex: string | number): Promise<void> {
    const node = this.findNode(idOrIndex);
    if (this.vaultNodes.length === 1) throw new Error(`removeNode: ${node.id} is the last node of cluster "${this.name}"`);
    // The instance is terminated (its connections drop) and the peer removed from the Raft configuration.
    await this.applyNodeFaults([node], 'refused');
    this.vaultNodes.splice(this.vaultNodes.indexOf(node), 1);
    this.publicNodes.delete(node);
    this.targetGroup.deregister(node);
    this.world.observer.record({ cluster: this.name, node: node.id, kind: 'membership', detail: 'terminated and removed from the Raft configuration' });
    this.world.changed();
    await Promise.all([this.functionsListener.refresh(), this.clientsListener.refresh()]);
  }

  drMode(): DrMode {
    return this.dr.mode;
  }

  performanceMode(): PerformanceMode {
    return this.world.performanceReplication.mode(this);
  }

  performancePrimary(): string | undefined {
    return this.world.performanceReplication.primaryOf(this);
  }

  followingPerformancePrimary(): { primary: string | undefined; connected: boolean } | undefined {
    return this.world.performanceReplication.following(this);
  }

  isAnsweringPrimary(): boolean {
    return this.isPrimaryReachableOn('functions');
  }

  canAcceptClientWrites(): boolean {
    if (this.isPrimaryReachableOn('clients')) return true;
    // Writes a connected performance secondary's clients send it land here too.
    if (!this.isActivePrimary()) return false;
    return this.world.performanceReplication.connectedSecondaries(this).some((secondary) => secondary.servesClients());
  }

  /**
   * A primary of writes (a DR primary, or a performance primary with DR disabled) that is no
   * performance secondary (those forward their writes), not mid-transition, with an active node
   * that answers, whatever the networks.
   */
  isActivePrimary(): boolean {
    const performance = this.performanceMode();
    const primary = this.dr.mode === 'primary' || (this.dr.mode === 'disabled' && performance === 'primary');
    return primary && performance !== 'secondary' && this.transition === undefined && this.activeServing();
  }

  /** Its clients network reaches an answering node and it is not mid-transition: it takes client requests. */
  servesClients(): boolean {
    if (this.transition !== undefined || !this.activeServing() || this.clientsListener.state() !== 'up') return false;
    return this.targetGroup.candidates().some((node) => node.serving());
  }

  /**
   * A client on the clients network can read a secret here: it takes client requests and is no DR
   * secondary (those refuse client paths). A performance secondary reads its own storage, so it
   * serves reads whether or not its primary is reachable.
   */
  canServeClientReads(): boolean {
    return this.dr.mode !== 'secondary' && this.servesClients();
  }

  /** For the observer: the cluster's replication roles, whom it follows, what it serves, right now. */
  replicationView(): ClusterReplicationView {
    const performance = this.world.performanceReplication;
    const following = performance.following(this);
    const followed = following?.primary === undefined ? undefined : this.world.cluster(following.primary);
    return {
      cluster: this.name,
      drMode: this.dr.mode,
      performanceMode: performance.mode(this),
      performancePrimary: following?.primary,
      performanceConnected: following?.connected ?? false,
      followsActivePerformancePrimary: followed !== undefined && performance.mode(followed) === 'primary' && followed.isActivePrimary(),
      servesClientReads: this.canServeClientReads(),
      canAcceptClientWrites: this.canAcceptClientWrites(),
    };
  }

  lastWal(): number {
    return this.state.lastWal;
  }

  requests(): readonly RecordedRequest[] {
    return [...this.log];
  }

  clearRequests(): void {
    this.log = [];
  }

  answerHealthFrom(node: 'any' | 'active' | 'standby'): void {
    if (!['any', 'active', 'standby'].includes(node)) throw new Error(`answerHealthFrom: 'any', 'active' or 'standby', got "${String(node)}"`);
    this.healthFrom = node;
  }

  /** Standbys are performance standbys (a world setting). */
  performanceStandbys(): boolean {
    return this.world.performanceStandbys;
  }

  setReplicationState(state: SecondaryReplicationState): void {
    this.world.replication.setReplicationState(this, state);
  }

  drStatus(): DrStatusSnapshot {
    return this.world.replication.status(this);
  }

  performanceStatus(): PerformanceStatusSnapshot {
    return this.world.performanceReplication.status(this);
  }

  /** The world's replication engine, for the replication routes. */
  replication(): Replication {
    return this.world.replication;
  }

  /** The world's performance replication engine, for its routes. */
  performance(): PerformanceReplication {
    return this.world.performanceReplication;
  }

  /** The world's recovery key and DR operation tokens generated from it, for the secondary routes. */
  drOperationTokens(): DrOperationTokens {
    return this.world.drOperationTokens;
  }

  // ---- HA, for the rest of the simulator ----

  now(): number {
    return this.world.clock.now();
  }

  isActive(node: VaultNode): boolean {
    return this.active === node;
  }

  hasActiveNode(): boolean {
    return this.active !== undefined;
  }

  /** The active node exists and answers requests. */
  activeServing(): boolean {
    return this.active?.serving() === true;
  }

  activeNodeAddress(): string | undefined {
    return this.active === undefined ? undefined : `https://${this.active.id}.${this.name}.vault.internal:8200`;
  }

  transitioning(): boolean {
    return this.transition !== undefined;
  }

  transitionKind(): TransitionKind | undefined {
    return this.transition?.kind;
  }

  /** The DR mode `node` reports: the active node knows it; a standby learns it `standbyModeLagMs` late. */
  learnedMode(node: VaultNode): DrMode {
    if (this.isActive(node)) return this.dr.mode;
    const cutoff = this.now() - this.world.timings.standbyModeLagMs;
    let learned = (this.modeHistory[0] as { mode: DrMode }).mode;
    for (const entry of this.modeHistory) if (entry.at <= cutoff) learned = entry.mode;
    return learned;
  }

  /** The performance mode `node` reports in sys/health: the active node knows it; a standby learns it `standbyModeLagMs` late. */
  learnedPerformanceMode(node: VaultNode): PerformanceMode {
    const history = this.performanceModeHistory;
    if (this.isActive(node)) return (history[history.length - 1] as { mode: PerformanceMode }).mode;
    const cutoff = this.now() - this.world.timings.standbyModeLagMs;
    let learned = (history[0] as { mode: PerformanceMode }).mode;
    for (const entry of history) if (entry.at <= cutoff) learned = entry.mode;
    return learned;
  }

  /** Called by the performance engine with the mode the cluster reports; `initial` for the world's start. */
  notePerformanceMode(mode: PerformanceMode, initial = false): void {
    const history = this.performanceModeHistory;
    if (initial) {
      history.splice(0, history.length, { mode, at: -Infinity });
      return;
    }
    const last = (history[history.length - 1] as { mode: PerformanceMode }).mode;
    if (last === mode) return;
    this.world.observer.record({ cluster: this.name, kind: 'performance-mode', detail: `${last} -> ${mode}` });
    history.push({ mode, at: this.now() });
  }

  /** `initial`: the role the world starts with, which every node already knows. */
  setMode(mode: DrMode, initial = false): void {
    if (this.dr.mode === mode) return;
    this.world.observer.record({ cluster: this.name, kind: 'dr-mode', detail: `${this.dr.mode} -> ${mode}` });
    this.dr.mode = mode;
    if (initial) this.modeHistory.splice(0, this.modeHistory.length, { mode, at: -Infinity });
    else this.modeHistory.push({ mode, at: this.now() });
  }

  /**
   * Starts a promote/demote/update-primary: the cluster answers 503 (its nodes 474) until it
   * completes after `durationMs`; a zero duration completes at once.
   */
  startTransition(kind: TransitionKind, durationMs: number, complete: () => void): void {
    this.world.observer.record({ cluster: this.name, kind: 'transition', detail: `${kind} started (${durationMs} ms)` });
    const finish = (): void => {
      this.transition = undefined;
      complete();
      this.world.observer.record({ cluster: this.name, kind: 'transition', detail: `${kind} completed` });
      this.world.changed();
    };
    if (durationMs <= 0) {
      finish();
      return;
    }
    this.transition = { kind, timer: this.world.clock.after(durationMs, finish) };
    this.world.changed();
  }

  /** Elections and quorum, after anything changed. Returns true when it changed something. */
  reconcileHa(): boolean {
    let changed = this.autopilotUpgrade();
    const configured = this.vaultNodes.filter((node) => node.voter).length;
    const voters = this.vaultNodes.filter((node) => node.raftVoter());
    const quorum = Math.floor(configured / 2) + 1;
    if (this.active !== undefined && (!this.active.raftVoter() || voters.length < quorum)) {
      const why = this.active.raftVoter() ? `lost quorum (${voters.length} of ${configured} voters)` : `is ${this.active.fault()}`;
      this.world.observer.record({ cluster: this.name, node: this.active.id, kind: 'node-role', detail: `active node ${why}: steps down` });
      this.active = undefined;
      changed = true;
    }
    if (this.active !== undefined) return changed;
    if (voters.length >= quorum) {
      if (this.election === undefined) {
        const electionMs = this.world.timings.electionMs;
        this.world.observer.record({ cluster: this.name, kind: 'election', detail: `election started (${voters.length} of ${configured} voters, ${electionMs} ms)` });
        if (electionMs <= 0) {
          this.elect();
          return true;
        }
        this.election = this.world.clock.after(electionMs, () => {
          this.election = undefined;
          this.elect();
          this.world.changed();
        });
      }
    } else if (this.election !== undefined) {
      this.world.clock.cancel(this.election);
      this.election = undefined;
      this.world.observer.record({ cluster: this.name, kind: 'election', detail: `election abandoned: no quorum (${voters.length} of ${configured} voters)` });
    }
    return changed;
  }

  private elect(): void {
    const voters = this.vaultNodes.filter((node) => node.raftVoter());
    if (voters.length < Math.floor(this.vaultNodes.filter((node) => node.voter).length / 2) + 1) {
      this.world.observer.record({ cluster: this.name, kind: 'election', detail: 'election failed: no quorum' });
      return;
    }
    this.active = this.world.random.pick(voters);
    if (this.active !== undefined) this.lastActiveVersion = this.active.version;
    this.world.observer.record({ cluster: this.name, node: this.active?.id, kind: 'node-role', detail: 'became the active node' });
  }

  /**
   * Autopilot's automated upgrades: once the nodes of the newest version (alive) are at least as
   * many as the voters of older versions, the new nodes become voters, the old ones non-voters, and
   * leadership moves to a new node (a graceful transfer, not an election). Returns true when it acted.
   */
  private autopilotUpgrade(): boolean {
    const newest = this.vaultNodes.map((n) => n.version).reduce((a, b) => (compareVersions(a, b) >= 0 ? a : b));
    const fresh = this.vaultNodes.filter((n) => n.version === newest && !['refused', 'blackhole', 'sealed', 'uninitialized', 'removed'].includes(n.fault()));
    const oldVoters = this.vaultNodes.filter((n) => n.voter && compareVersions(n.version, newest) < 0);
    if (oldVoters.length === 0 || fresh.length < oldVoters.length || this.active === undefined) return false;
    for (const node of this.vaultNodes) node.voter = node.version === newest;
    const from = this.active;
    this.active = this.world.random.pick(fresh);
    this.lastActiveVersion = newest;
    this.world.observer.record({
      cluster: this.name,
      node: this.active?.id,
      kind: 'node-role',
      detail: `autopilot upgrade to ${newest}: ${fresh.length} new voters, ${oldVoters.length} old ones now non-voters; leadership transferred from ${from.id}`,
    });
    return true;
  }

  replicationUp(): boolean {
    return this.replicationNetwork === 'up';
  }

  /** Newer than `other`: replication from this cluster to `other` is not safe. */
  newerThan(other: ClusterCore): boolean {
    return compareVersions(this.version(), other.version()) > 0;
  }

  /**
   * A client's KV write on the active node: stored, committed as one WAL entry, recorded by the
   * observer. Returns the write's id, `<cluster>#<WAL index>`. `via`: the performance secondary
   * that forwarded it here.
   */
  applyClientWrite(path: string, data: Readonly<Record<string, unknown>>, node: VaultNode, via?: string): string {
    const id = `${this.name}#${this.state.lastWal + 1}`;
    this.state.kv.set(path, { data: { ...data }, writeId: id });
    this.state.writes.add(id);
    const entry = this.wal.commitIfChanged();
    const walIndex = entry?.index ?? this.state.lastWal;
    this.world.observer.recordWrite({ id, cluster: this.name, node: node.id, path, at: this.now(), walIndex, answered: true, ...(via === undefined ? {} : { via }) });
    this.wroteStorage();
    return id;
  }

  /** A client's KV read this cluster served from its own storage, for the observer. */
  recordClientRead(path: string, writeId: string | undefined, node: VaultNode): void {
    this.world.observer.recordRead({ cluster: this.name, node: node.id, path, at: this.now(), writeId });
  }

  /** Commits a change of this cluster's storage made outside a request (a role change, an applied WAL) as a WAL entry of its own. */
  commitStorage(): void {
    if (this.wal.commitIfChanged() !== undefined) this.wroteStorage();
  }

  /** The storage changed: the DR and performance streams pick the new WAL up. */
  private wroteStorage(): void {
    this.world.replication.onWrite(this);
    this.world.performanceReplication.onWrite(this);
  }

  heldWrites(): readonly string[] {
    return [...this.state.writes];
  }

  async stop(): Promise<void> {
    this.targetGroup.stop();
    await Promise.all([this.functionsListener.stop(), this.clientsListener.stop()]);
  }

  // ---- internals ----

  private publicNode(node: VaultNode): SimulatedNode {
    const known = this.publicNodes.get(node);
    if (known !== undefined) return known;
    const made: SimulatedNode = {
      id: node.id,
      cluster: this.name,
      role: () => (this.isActive(node) ? 'active' : 'standby'),
      fault: () => node.fault(),
      setFault: (fault) => this.applyNodeFaults([node], fault),
      inRotation: () => this.targetGroup.inRotation(node),
      version: () => node.version,
      voter: () => node.voter,
    };
    this.publicNodes.set(node, made);
    return made;
  }

  private findNode(idOrIndex: string | number): VaultNode {
    const found =
      typeof idOrIndex === 'number' ? this.vaultNodes[idOrIndex] : this.vaultNodes.find((node) => node.id === idOrIndex);
    if (found === undefined) {
      throw new Error(`cluster "${this.name}" has no node ${JSON.stringify(idOrIndex)} (nodes ${this.vaultNodes.map((n) => n.id).join(', ')}, or 0-${this.vaultNodes.length - 1})`);
    }
    return found;
  }

  private listenerFor(network: 'functions' | 'clients'): LoadBalancerListener {
    return network === 'functions' ? this.functionsListener : this.clientsListener;
  }

  private async applyNodeFaults(nodes: readonly VaultNode[], fault: NodeFault): Promise<void> {
    const known: readonly NodeFault[] = ['none', 'refused', 'blackhole', 'slow', 'sealed', 'error500', 'uninitialized', 'removed'];
    if (!known.includes(fault)) throw new Error(`node fault must be one of ${known.join(', ')}, got "${String(fault)}"`);
    for (const node of nodes) {
      const previous = node.fault();
      if (previous === fault) continue;
      node.applyFault(fault);
      this.world.observer.record({ cluster: this.name, node: node.id, kind: 'node-fault', detail: `${previous} -> ${fault}` });
      for (const listener of [this.functionsListener, this.clientsListener]) {
        // A crashed node drops its open connections, keep-alive ones included.
        if (fault === 'refused') listener.resetConnectionsOf(node);
        if (previous === 'blackhole') listener.releaseHeldBy(node);
      }
    }
    this.world.changed();
    await Promise.all([this.functionsListener.refresh(), this.clientsListener.refresh()]);
  }

  private isPrimaryReachableOn(network: 'functions' | 'clients'): boolean {
    if (!this.isActivePrimary()) return false;
    if (this.listenerFor(network).state() !== 'up') return false;
    // Some node the load balancer routes to must answer: the active node, or a standby forwarding to it.
    return this.targetGroup.candidates().some((node) => node.serving());
  }

  /** The project's target group probe, without a socket: what the node would answer it. */
  private passesTargetHealthCheck(node: VaultNode): boolean {
    const checks = this.world.healthChecks;
    if (checks === false || !node.serving() || node.fault() === 'error500') return false;
    if (node.fault() === 'slow' && this.world.timings.slowMs >= checks.timeoutMs) return false;
    return nodeHealth(this, node, PROJECT_HEALTH_QUERY, true).status === PROJECT_HEALTH_MATCHER;
  }

  private onRotationChange(node: VaultNode, inRotation: boolean): void {
    this.world.observer.record({ cluster: this.name, node: node.id, kind: 'rotation', detail: inRotation ? 'back in rotation' : 'out of rotation (failed health checks)' });
    // The NLB resets the connections of a target that turns unhealthy, unless it now fails open.
    if (!inRotation && !this.targetGroup.failingOpen()) {
      this.functionsListener.resetConnectionsOf(node);
      this.clientsListener.resetConnectionsOf(node);
    }
    this.world.changed();
    for (const listener of [this.functionsListener, this.clientsListener]) {
      listener.refresh().catch((error: Error) =>
        this.world.observer.record({ cluster: this.name, kind: 'network', detail: `listener could not follow the rotation change: ${error.message}` }),
      );
    }
  }

  record(node: VaultNode | undefined, network: 'functions' | 'clients', req: IncomingMessage, status: number | 'no-answer', at: number, dropped = false): void {
    this.log.push({
      method: req.method ?? '',
      path: loggedPath(req.url),
      status,
      at,
      simulatedAt: this.now() - (Date.now() - at) * this.world.clock.timeScale,
      node: node?.id ?? '',
      network,
      ...(dropped ? { answerDropped: true as const } : {}),
    });
  }

  private stillReachable(node: VaultNode, network: 'functions' | 'clients'): boolean {
    return this.listenerFor(network).state() === 'up' && node.fault() !== 'blackhole' && node.fault() !== 'refused';
  }

  private async handle(node: VaultNode, network: 'functions' | 'clients', req: IncomingMessage, res: ServerResponse, arrivedAt: number): Promise<void> {
    let response: SimResponse | 'no-answer';
    let dropped = false;
    try {
      const rawBody = await readBody(req);
      // A fault or cut may have started during a 'slow' delay or the body upload.
      if (!this.stillReachable(node, network)) response = 'no-answer';
      else {
        response = await this.answer(node, req, rawBody);
        dropped = this.shouldDrop(node, req, response.clientWrite);
      }
    } catch {
      response = 'no-answer';
    }
    if (response === 'no-answer' || dropped || res.destroyed || req.socket.destroyed) {
      this.record(node, network, req, 'no-answer', arrivedAt, dropped);
      res.socket?.destroy();
      return;
    }
    this.record(node, network, req, response.status, arrivedAt);
    const head = req.method === 'HEAD';
    if (response.body === undefined || head || response.status === 204) {
      res.writeHead(response.status, { 'cache-control': 'no-store' });
      res.end();
      return;
    }
    const text = JSON.stringify(response.body);
    res.writeHead(response.status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  private shouldDrop(node: VaultNode, req: IncomingMessage, clientWrite: string | undefined): boolean {
    const path = loggedPath(req.url);
    const method = (req.method ?? '').toUpperCase();
    for (const state of this.dropRules) {
      const { rule } = state;
      if (state.remaining <= 0) continue;
      if (rule.node !== undefined && rule.node !== node.id) continue;
      if (rule.method !== undefined && rule.method.toUpperCase() !== method) continue;
      if (rule.path !== undefined && (typeof rule.path === 'string' ? rule.path !== path : !rule.path.test(path))) continue;
      state.remaining -= 1;
      state.dropped += 1;
      this.world.observer.record({ cluster: this.name, node: node.id, kind: 'answer-dropped', detail: `${method} ${path}: applied, answer dropped` });
      if (clientWrite !== undefined) this.world.observer.markUnanswered(clientWrite);
      return true;
    }
    return false;
  }

  private async answer(receiver: VaultNode, req: IncomingMessage, rawBody: string): Promise<SimResponse> {
    const method = req.method ?? 'GET';
    const parsed = parseRequest(method, req.url ?? '/');
    if (parsed === undefined) return { status: 404, body: errorBody([]) };
    const fault = receiver.fault();
    if (fault === 'error500') return { status: 500, body: errorBody([MESSAGES.internal]) };
    if (parsed.path === 'sys/health') {
      // http/sys_health.go: any other method is respondError(w, http.StatusMethodNotAllowed, nil).
      if (parsed.method !== 'GET' && parsed.method !== 'HEAD') return { status: 405, body: errorBody([]) };
      const answering =
        this.healthFrom === 'standby'
          ? (this.vaultNodes.find((n) => n !== this.active && n.serving()) ?? receiver)
          : this.healthFrom === 'active'
            ? (this.active ?? receiver)
            : receiver;
      try {
        return nodeHealth(this, answering, parsed.query, parsed.method === 'HEAD');
      } catch (error) {
        return errorResponse(error);
      }
    }
    const routes = this.world.routes;
    const incoming = { method, url: req.url ?? '/', headers: req.headers, rawBody };
    if (NODE_LOCAL_PATHS.has(parsed.path)) return dispatch(this, receiver, routes, parsed, incoming);
    if (fault === 'sealed' || fault === 'uninitialized' || fault === 'removed') {
      return { status: 503, body: errorBody([MESSAGES.sealed]) };
    }
    const target = this.active;
    if (target === undefined) return { status: 500, body: errorBody([MESSAGES.standbyNoActive]) };
    if (target.fault() === 'error500') return { status: 500, body: errorBody([MESSAGES.internal]) };
    if (!target.serving()) return { status: 500, body: errorBody([MESSAGES.standbyNoActive]) };
    if (this.performanceMode() === 'secondary' && forwardedToPerformancePrimary(parsed.method, parsed.path)) {
      return dispatch(this, target, routes, parsed, incoming, (handler, ctx) => this.forwardToPerformancePrimary(handler, ctx));
    }
    const response = await dispatch(this, target, routes, parsed, incoming);
    if (WRITE_METHODS.has(parsed.method) && response.status < 400) this.commitStorage();
    return response;
  }

  /**
   * A performance secondary's write: checked here (token, ACL), run on its primary's active node
   * over the replication link, committed there; the answer waits until the write has streamed back
   * here or `performance.forwardedWriteWaitMs` has passed (Vault's best_effort_wal_wait_duration),
   * then goes out as the primary gave it. Without a connected primary the write fails (500).
   */
  private async forwardToPerformancePrimary(handler: Handler, ctx: RequestContext): Promise<SimResponse> {
    const primary = this.world.performanceReplication.connectedPrimary(this);
    const primaryNode = primary?.active;
    if (primary === undefined || primaryNode === undefined) throw new VaultError(500, PERFORMANCE_MESSAGES.forwardFailed);
    const before = primary.state.lastWal;
    const response = await handler({ ...ctx, cluster: primary, node: primaryNode, state: primary.state, forwardedBy: this });
    if (response.status >= 400) return response;
    primary.commitStorage();
    if (primary.state.lastWal !== before) await this.waitForPerformanceWal(primary.state.lastWal);
    return response;
  }

  /** Best effort: resolves once this secondary applied the primary's WAL `index`, or at the wait's end. */
  private async waitForPerformanceWal(index: number): Promise<void> {
    const deadline = this.now() + this.world.performanceBehaviour.forwardedWriteWaitMs;
    while (this.perfLive.lastRemoteWal < index) {
      const left = deadline - this.now();
      if (left <= 0) return;
      await this.world.clock.sleep(Math.min(left, Math.max(1, this.world.timings.walLagMs)));
    }
  }
}
