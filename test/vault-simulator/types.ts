/**
 * The public surface of the Vault Enterprise simulator: clusters of Vault nodes behind load
 * balancers on 127.0.0.1, each with its own storage, linked by DR replication, failing the way
 * README.md describes (every behaviour there cites its source). The functions' tests, the fault
 * matrix, the drill and the benchmark use only what is declared here; everything else under
 * test/vault-simulator/ is internal to the simulator.
 *
 * Times: every duration given to the simulator is in SIMULATED milliseconds, and every `at` in the
 * observer is a simulated epoch-ms timestamp. The simulated clock runs `timeScale` times faster
 * than the real one (and jumps on advanceClock). With the default timeScale of 1 and no jump,
 * simulated time equals Date.now().
 */

/** What one node does with the connections and requests the load balancer sends it. */
export type NodeFault =
  /** Answers normally. */
  | 'none'
  /** The node's port resets every connection (a crashed process): the client sees a reset. Not a Raft voter. */
  | 'refused'
  /** TCP connections are accepted and never answered (no TLS handshake, no bytes). Not a Raft voter. */
  | 'blackhole'
  /** Answers normally after a delay (`timings.slowMs`). */
  | 'slow'
  /** Sealed: sys/health 503 with `sealed: true`, sys/seal-status 200 `sealed: true`, every other path 503. Not a Raft voter. */
  | 'sealed'
  /** Every request answered 500 `{"errors":["internal error"]}` (its Raft membership is unaffected). */
  | 'error500'
  /** Not initialised: sys/health 501, every other path 503. Not a Raft voter. */
  | 'uninitialized'
  /** Removed from the Raft cluster: sys/health 530, every other path 503. Not a Raft voter. */
  | 'removed';

/**
 * A fault applied to every node of a cluster at once (the pre-node API, kept): 'down' is every
 * node 'refused', and the load balancer then refuses connections itself (the port is closed).
 */
export type ClusterFault = 'none' | 'down' | 'blackhole' | 'slow' | 'sealed' | 'error500';

/** The three networks a cluster is reached on; each can be cut on its own. */
export type NetworkName =
  /** The DR functions -> the cluster's load balancer (`address`). */
  | 'functions'
  /** Applications -> the cluster's load balancer (`clientAddress`): the same nodes. */
  | 'clients'
  /** Cluster <-> cluster replication (port 8201): WAL stream, heartbeats, bootstrap. */
  | 'replication';

/**
 * 'up'; 'blackhole' (packets dropped: connections hang); 'refused' (the port refuses connections).
 * The replication network is in-process: both cuts stop it the same way.
 */
export type NetworkState = 'up' | 'blackhole' | 'refused';

/** The cluster's DR replication mode as it reports it in sys/replication/dr/status. */
export type DrMode = 'primary' | 'secondary' | 'disabled';

/**
 * The cluster's performance replication mode as it reports it in
 * sys/replication/performance/status and sys/health `replication_performance_mode`.
 */
export type PerformanceMode = 'primary' | 'secondary' | 'disabled';

/** The `state` a DR secondary reports; 'stream-wals' is healthy. */
export type SecondaryReplicationState = 'stream-wals' | 'merkle-sync' | 'merkle-diff' | 'idle';

/**
 * How long things take, in simulated ms. Where HashiCorp documents nothing these are settings;
 * README.md lists each with its source or says that the docs are silent. FAST_TIMINGS (the
 * default) keeps function tests quick; REALISTIC_TIMINGS are minute-scale values for runs with a
 * large timeScale.
 */
export interface Timings {
  /** From losing the active node (or regaining quorum) to a standby becoming active. */
  readonly electionMs: number;
  /** promote: the cluster answers 503 (its nodes 474) until its new role is active. */
  readonly promoteMs: number;
  /** demote: as promote. */
  readonly demoteMs: number;
  /** update-primary: the cluster is unavailable this long before it starts re-syncing. */
  readonly updatePrimaryMs: number;
  /** A (re-)attached secondary reports `merkle-diff` this long ... */
  readonly merkleDiffMs: number;
  /** ... then `merkle-sync` this long, then takes its primary's data and streams WALs. */
  readonly merkleSyncMs: number;
  /** A primary's write reaches a connected, streaming DR secondary this long after it was applied. */
  readonly walLagMs: number;
  /** How often a connected replication link records a heartbeat (`last_heartbeat`). */
  readonly heartbeatIntervalMs: number;
  /** A standby reports the active node's new replication mode (sys/health) this long after it changed. */
  readonly standbyModeLagMs: number;
  /** Delay added to every answer of a 'slow' node. */
  readonly slowMs: number;
}

/** The load balancer's active target health checks (AWS NLB target group), in simulated ms. */
export interface TargetHealthChecks {
  readonly intervalMs: number;
  /** A probe not answered within this counts as failed. */
  readonly timeoutMs: number;
  /** Consecutive passes that bring a target back into rotation. */
  readonly healthyThreshold: number;
  /** Consecutive failures that take a target out of rotation. */
  readonly unhealthyThreshold: number;
}

/** Replication behaviours the docs leave open; each is a setting (README.md, "Settings"). */
export interface ReplicationBehaviour {
  /**
   * What a DR secondary reports as `state` while its primary link is down: it keeps
   * 'stream-wals', or it reports 'idle' ("communication disrupted") until the link is back.
   * @default 'stream-wals'
   */
  readonly stateWhileDisconnected: 'stream-wals' | 'idle';
  /**
   * What a demoted cluster reports as `last_remote_wal`: the index of the last write it holds
   * ('kept', comparable with other secondaries' last_remote_wal), or 0 ('reset').
   * @default 'kept'
   */
  readonly walIndexAfterDemote: 'kept' | 'reset';
  /**
   * What a promoted cluster reports as `last_wal`: it continues from the last WAL it received
   * ('continued'), or restarts at 0 ('reset').
   * @default 'continued'
   */
  readonly walIndexAfterPromote: 'continued' | 'reset';
  /**
   * A DR primary newer than its secondary (upgraded first, or a newer secondary promoted over an
   * older one). HashiCorp says only that it is not safe; what Vault does is not documented.
   * 'refused': attaching the older secondary (enable, update-primary) answers 400 naming both
   * versions, and a running stream stops (the secondary's dr/status shows `connection_state`
   * 'transient_failure' and its primary 'disconnected'). 'stream-stops': attaching succeeds, but
   * nothing flows, visible in dr/status the same way. 'streams': Vault does not check; WALs flow.
   * Whatever the setting, the observer records the inversion ('replication' events starting
   * "newer primary").
   * @default 'refused'
   */
  readonly newerPrimary: 'refused' | 'stream-stops' | 'streams';
}

/** Performance replication behaviours the docs leave open; each is a setting (README.md, "Performance replication"). */
export interface PerformanceBehaviour {
  /**
   * What a performance secondary does when its primary is gone and a promoted DR secondary of that
   * primary is the replication set's performance primary: it stays with the primary it knows until
   * an update-primary points it elsewhere ('update-primary', the documented procedure), or it
   * finds the promoted cluster by itself ('automatic': as when its known address is a name that
   * moved with the failover).
   * @default 'update-primary'
   */
  readonly followPromotedPrimary: 'update-primary' | 'automatic';
  /**
   * What a DR secondary reports as its performance mode (sys/health, sys/replication/status): it
   * takes no part in performance replication ('disabled'), or it reports the mode its DR primary
   * has, which it takes on when promoted ('inherited').
   * @default 'disabled'
   */
  readonly drSecondaryReports: 'disabled' | 'inherited';
  /**
   * How long (simulated ms) a performance secondary holds the answer to a write it forwarded to its
   * primary while it waits for that write to come back through the WAL stream; then it answers
   * anyway. Vault's `replication { best_effort_wal_wait_duration }`, 2 s by default.
   * @default 2000
   */
  readonly forwardedWriteWaitMs: number;
}

/** One cluster of a world. */
export interface ClusterSpec {
  readonly name: string;
  /** Raft voters behind the cluster's load balancers. @default 5 */
  readonly nodes?: number;
  /** sys/health `version`. @default VAULT_VERSION ('1.21.0+ent') */
  readonly version?: string;
  /**
   * Its DR role at start: a DR primary, a DR secondary of the named primary (in stream-wals, with
   * the primary's data), or DR disabled (an active cluster with its own data).
   * @default 'disabled'
   */
  readonly dr?: 'primary' | 'disabled' | { readonly secondaryOf: string };
  /**
   * Its performance replication role at start: a performance primary, a performance secondary of
   * the named performance primary (in stream-wals, holding the primary's replicated data and its
   * own tokens), or disabled. A DR secondary takes its DR primary's role and must leave this out.
   * @default 'disabled'
   */
  readonly performance?: 'primary' | 'disabled' | { readonly secondaryOf: string };
}

export interface WorldOptions {
  /** Seed of the load balancers' node choice and of elections. @default VAULT_SIM_SEED, else random (world.seed tells which) */
  readonly seed?: number;
  /** Simulated ms per real ms. @default 1 */
  readonly timeScale?: number;
  /** @default FAST_TIMINGS */
  readonly timings?: Partial<Timings>;
  /** The NLB target health checks, or false for none (every node always in rotation). @default the project's target group (modules/vault-cluster/health-check.ts) */
  readonly healthChecks?: TargetHealthChecks | false;
  /** @default see ReplicationBehaviour */
  readonly replication?: Partial<ReplicationBehaviour>;
  /** @default see PerformanceBehaviour */
  readonly performance?: Partial<PerformanceBehaviour>;
  /**
   * Whether standbys are performance standbys (Vault Enterprise with that license feature):
   * sys/health 473 without perfstandbyok, `performance_standby: true`.
   * @default false
   */
  readonly performanceStandbys?: boolean;
  /** STS endpoint that auth/aws/login replays the signed GetCallerIdentity to (moto). @default - login answers 400 "error making upstream request" */
  readonly stsEndpoint?: string;
  /** When set, auth/aws/login requires a signed X-Vault-AWS-IAM-Server-ID header with this value. @default - not required */
  readonly iamServerIdHeaderValue?: string;
  /**
   * How sys/replication/dr/secondary/generate-operation-token/* authenticate: 'unauthenticated'
   * (Vault 1.x, or 2.x with enable_unauthenticated_access: break glass) or 'token' (Vault 2.x: an
   * X-Vault-Token whose policies grant the path). @default 'unauthenticated'
   */
  readonly drOperationTokenGeneration?: 'unauthenticated' | 'token';
}

export interface StartVaultWorldOptions extends WorldOptions {
  /** At least one; names unique. A secondary's primary must be listed with dr 'primary'. */
  readonly clusters: readonly ClusterSpec[];
}

export interface StartVaultPairOptions extends WorldOptions {
  /** Cluster names, also used as their labels in VAULT_CLUSTERS. @default ['east', 'west'] */
  readonly names?: readonly [string, string];
  /**
   * Replication at start.
   * - 'replicating': clusters[0] is the DR primary, clusters[1] its DR secondary in `stream-wals`.
   * - 'primary-only': clusters[0] is a DR primary with no secondary, clusters[1] has DR disabled.
   * - 'standalone': both have DR disabled, each with its own storage (before bootstrap).
   * @default 'replicating'
   */
  readonly initialState?: 'replicating' | 'primary-only' | 'standalone';
  /** Nodes per cluster. @default 5 */
  readonly nodes?: number;
  /** Vault version of each cluster. @default [VAULT_VERSION, VAULT_VERSION] */
  readonly versions?: readonly [string, string];
  /** Shorthand for timings.promoteMs and timings.demoteMs (timings wins). @default FAST_TIMINGS */
  readonly transitionMs?: number;
  /** Shorthand for timings.slowMs (timings wins). @default FAST_TIMINGS.slowMs */
  readonly slowMs?: number;
  /**
   * Names of further clusters, each a performance secondary of clusters[0] (in stream-wals, with
   * its replicated data and its own tokens), DR disabled; clusters[0] is then also the performance
   * primary (its DR secondary takes that role when promoted). They follow the two in `clusters`.
   * With initialState 'standalone' they start standalone too (DR and performance disabled).
   * @default [] (two clusters, performance replication disabled everywhere)
   */
  readonly performanceSecondaries?: readonly string[];
}

/** One request a node received, for assertions. Never holds a token or a body. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the /v1/ prefix and without the query string, e.g. 'sys/replication/dr/secondary/promote'. */
  readonly path: string;
  /** HTTP status answered, or 'no-answer' when a fault swallowed the request or dropped its answer. */
  readonly status: number | 'no-answer';
  /** Real epoch ms when the request arrived. */
  readonly at: number;
  /** Simulated epoch ms when the request arrived. */
  readonly simulatedAt: number;
  /** The node the load balancer sent the connection to; '' when a network cut held it before any node. */
  readonly node: string;
  readonly network: 'functions' | 'clients';
  /** True when the request was applied and its answer then dropped (an apply-then-drop rule). */
  readonly answerDropped?: true;
}

/** A DR role change made through the API (promote, demote, update-primary, enable, disable). */
export interface RoleTransition {
  /** Real epoch ms. */
  readonly at: number;
  /** Simulated epoch ms. */
  readonly simulatedAt: number;
  readonly cluster: string;
  readonly from: DrMode;
  readonly to: DrMode;
  /** The endpoint that caused it, e.g. 'sys/replication/dr/secondary/promote'. */
  readonly cause: string;
}

/** A performance replication role change made through the API (or by a DR promotion into the set). */
export interface PerformanceTransition {
  /** Real epoch ms. */
  readonly at: number;
  /** Simulated epoch ms. */
  readonly simulatedAt: number;
  readonly cluster: string;
  readonly from: PerformanceMode;
  readonly to: PerformanceMode;
  /** The cluster it follows afterwards (a secondary), by name. */
  readonly primary?: string;
  /** The endpoint that caused it, e.g. 'sys/replication/performance/secondary/update-primary'. */
  readonly cause: string;
}

/** Which requests an apply-then-drop rule catches: the request takes effect, its answer is lost. */
export interface AnswerDropRule {
  /** Exact path (without /v1/ and query) or a pattern. @default every path */
  readonly path?: string | RegExp;
  /** @default every method */
  readonly method?: string;
  /** Only requests the load balancer sent to this node (id, e.g. 'east-2'). @default any node of the cluster */
  readonly node?: string;
  /** How many answers to drop, then the rule retires. @default Infinity */
  readonly times?: number;
}

export interface AnswerDrop {
  /** Answers dropped so far. */
  dropped(): number;
  remove(): void;
}

/** One node (a Vault server) of a cluster. */
export interface SimulatedNode {
  /** `<cluster>-<index>`, e.g. 'east-0'. */
  readonly id: string;
  readonly cluster: string;
  /** 'active' while it is the cluster's active node, else 'standby'. */
  role(): 'active' | 'standby';
  fault(): NodeFault;
  setFault(fault: NodeFault): Promise<void>;
  /** Whether the load balancer's target group currently routes to it (health checks). */
  inRotation(): boolean;
  /** The Vault version it runs (its sys/health `version`). */
  version(): string;
  /** A voter in the Raft configuration (false: a non-voter awaiting autopilot's automated upgrade). */
  voter(): boolean;
}

export interface SimulatedCluster {
  readonly name: string;
  /** The functions network: `https://127.0.0.1:<port>`; the certificate has SANs IP:127.0.0.1 and DNS:localhost. */
  readonly address: string;
  readonly port: number;
  /** The clients network: a second load balancer listener on the same nodes. */
  readonly clientAddress: string;
  readonly clientPort: number;
  readonly nodes: readonly SimulatedNode[];
  node(idOrIndex: string | number): SimulatedNode;
  /** The active node, or undefined during an election or without quorum. */
  activeNode(): SimulatedNode | undefined;

  /** Every node at once; 'down' = every node 'refused'. */
  setFault(fault: ClusterFault): Promise<void>;
  /** The common fault of all nodes, or 'mixed'. */
  fault(): ClusterFault | 'mixed';
  setNodeFault(node: string | number, fault: NodeFault): Promise<void>;
  setNetwork(network: NetworkName, state: NetworkState): Promise<void>;
  network(network: NetworkName): NetworkState;
  /** Requests matching `rule` are applied and then their connection is dropped without an answer. */
  dropAnswers(rule?: AnswerDropRule): AnswerDrop;
  /** The active node's version (the last active node's while there is none). */
  version(): string;
  /**
   * Test hook: every node runs `version` at once (an upgrade or downgrade in place); every node a
   * voter. Replication from a newer primary to an older secondary follows `replication.newerPrimary`.
   */
  setVersion(version: string): void;
  /**
   * A new node (an instance the Auto Scaling group launched) joins the Raft configuration, running
   * `version` (default: the cluster's). Newer than the cluster: a non-voter until autopilot's
   * automated upgrade promotes the new nodes (once they are as many as the old voters) and moves
   * leadership to one of them. Out of the load balancer's rotation until it passes its health checks.
   */
  addNode(options?: { readonly version?: string }): SimulatedNode;
  /** The node's instance is terminated and the peer removed from the Raft configuration (`remove-peer`). */
  removeNode(node: string | number): Promise<void>;

  drMode(): DrMode;
  /** The performance mode it acts in (a DR secondary takes no part: 'disabled'). */
  performanceMode(): PerformanceMode;
  /** A performance secondary's primary (the cluster it follows), by name; undefined for any other cluster or one that forgot its primary. */
  performancePrimary(): string | undefined;
  /**
   * True while the cluster is a DR primary (or a performance primary) that is not a performance
   * secondary, with an active node that the functions' network reaches and that answers.
   */
  isAnsweringPrimary(): boolean;
  /**
   * True while a client can get a write accepted by this cluster: on its own clients network (an
   * active, answering primary, or a standby forwarding to it), or through a performance secondary
   * whose clients network is up and that is connected to it (writes are forwarded to the primary).
   */
  canAcceptClientWrites(): boolean;
  /** The WAL index of the last write this cluster's storage holds. */
  lastWal(): number;
  requests(): readonly RecordedRequest[];
  clearRequests(): void;
  /**
   * Test hook: which node answers sys/health from now on: the node the load balancer picked
   * ('any', the default), always the active node ('active'), or always a standby that answers
   * ('standby'), as when a probe lands on one.
   */
  answerHealthFrom(node: 'any' | 'active' | 'standby'): void;
  /**
   * Test hook: sets the replication state a DR secondary reports (e.g. 'merkle-sync' to make it
   * unhealthy, so that promote is refused without `force`). Throws when the cluster is not a DR
   * secondary; it is not a role change, so it is not recorded in transitions().
   */
  setReplicationState(state: SecondaryReplicationState): void;
  /**
   * A snapshot of what GET sys/replication/dr/status would answer in `data` right now, computed
   * even while a fault or a transition would stop the HTTP endpoint from answering.
   */
  drStatus(): DrStatusSnapshot;
  /** As drStatus(), for sys/replication/performance/status. */
  performanceStatus(): PerformanceStatusSnapshot;
}

/** One entry of a primary's `secondaries` or a secondary's `primaries` in dr/status. */
export interface DrPeerStatus {
  /** Only on a primary's `secondaries`: the secondary's id. */
  readonly node_id?: string;
  readonly api_address: string;
  readonly cluster_address: string;
  readonly connection_status: 'connected' | 'disconnected';
  readonly last_heartbeat: string;
  readonly last_heartbeat_duration_ms: string;
  readonly clock_skew_ms: string;
  readonly replication_primary_canary_age_ms: string;
}

/**
 * What sys/replication/dr/status and sys/replication/performance/status share in `data` (the
 * performance status has the DR status's shape: README.md, "Performance replication"). Fields
 * beyond `mode` are absent when mode is 'disabled'.
 */
export interface ReplicationStatusFields {
  /** 'running' on a primary; a SecondaryReplicationState on a secondary. */
  readonly state?: string;
  readonly cluster_id?: string;
  /** Primary only: the index of its last write. */
  readonly last_wal?: number;
  /** Primary only. */
  readonly known_secondaries?: readonly string[];
  /** Primary only. */
  readonly secondaries?: readonly DrPeerStatus[];
  /** Secondary only: 'ready' while its primary link is up, 'transient_failure' when it is not, 'idle' with no primary. */
  readonly connection_state?: 'ready' | 'transient_failure' | 'idle';
  /** Secondary only: the primary's WAL index of the last (replicated) write it applied. */
  readonly last_remote_wal?: number;
  /** Secondary only. */
  readonly secondary_id?: string;
  /** Secondary only. */
  readonly known_primary_cluster_addrs?: readonly string[];
  /** Secondary only. */
  readonly primaries?: readonly DrPeerStatus[];
  readonly [field: string]: unknown;
}

/** The `data` of sys/replication/dr/status. */
export interface DrStatusSnapshot extends ReplicationStatusFields {
  readonly mode: DrMode;
  /** Primary only: as last_wal (DR replication ships every WAL). */
  readonly last_dr_wal?: number;
}

/** The `data` of sys/replication/performance/status. */
export interface PerformanceStatusSnapshot extends ReplicationStatusFields {
  readonly mode: PerformanceMode;
  /** Primary only: as last_wal. */
  readonly last_performance_wal?: number;
}

/** What the observer saw happen, in simulated time. */
export interface ObservedEvent {
  /** Simulated epoch ms. */
  readonly at: number;
  readonly cluster: string;
  /** The node concerned, when one is. */
  readonly node?: string;
  readonly kind:
    | 'node-fault'
    | 'node-role'
    | 'election'
    | 'rotation'
    | 'network'
    | 'dr-mode'
    | 'transition'
    | 'replication'
    | 'link'
    | 'version'
    | 'membership'
    | 'writable'
    | 'client-write'
    | 'answer-dropped'
    | 'performance-mode'
    | 'performance-link'
    | 'readable';
  readonly detail: string;
}

/** A period during which a cluster could accept client writes (or, in activePrimaryIntervals, was an active primary). */
export interface WritableInterval {
  readonly cluster: string;
  /** Simulated epoch ms. */
  readonly from: number;
  /** Simulated epoch ms; undefined while it still can. */
  readonly to: number | undefined;
}

/** A period during which two or more clusters could accept client writes at once. */
export interface WritableOverlap {
  readonly from: number;
  readonly to: number | undefined;
  readonly clusters: readonly string[];
}

/** A client write a cluster applied (KV at secret/). */
export interface ClientWrite {
  /** `<cluster>#<walIndex>`: unique in a world. */
  readonly id: string;
  readonly cluster: string;
  /** The node that applied it (the active node). */
  readonly node: string;
  /** Without the secret/ mount, e.g. 'app/config'. */
  readonly path: string;
  /** Simulated epoch ms. */
  readonly at: number;
  readonly walIndex: number;
  /** False when its answer was dropped after it was applied. */
  readonly answered: boolean;
  /** The performance secondary that received the write and forwarded it to `cluster`, when one did. */
  readonly via?: string;
}

/** A client read of a KV secret that a cluster served from its own storage. */
export interface ClientRead {
  /** The cluster that answered it (a performance secondary reads locally). */
  readonly cluster: string;
  readonly node: string;
  /** Without the secret/ mount. */
  readonly path: string;
  /** Simulated epoch ms. */
  readonly at: number;
  /** The client write whose value it returned; undefined when the path was not found (404). */
  readonly writeId: string | undefined;
}

/** One cluster as the observer sees it now (SimulationObserver.topology()). */
export interface ClusterReplicationView {
  readonly cluster: string;
  readonly drMode: DrMode;
  /** The performance mode it acts in ('disabled' on a DR secondary, whatever it reports). */
  readonly performanceMode: PerformanceMode;
  /** A performance secondary's primary (the cluster it follows), undefined for any other cluster or one that forgot its primary. */
  readonly performancePrimary: string | undefined;
  /** Its performance replication link to that primary is up (WALs stream, forwarded writes pass). */
  readonly performanceConnected: boolean;
  /**
   * The cluster it follows is an active performance primary now (a performance primary, not mid
   * transition, whose active node answers): false when it follows a demoted, dead or sealed one.
   */
  readonly followsActivePerformancePrimary: boolean;
  readonly servesClientReads: boolean;
  readonly canAcceptClientWrites: boolean;
}

/**
 * A period during which a performance secondary followed one primary (or none), connected or
 * not: a new interval starts whenever either changes.
 */
export interface PerformanceFollowInterval {
  /** The performance secondary. */
  readonly cluster: string;
  /** The cluster it follows (its update-primary target), or undefined when it knows none. */
  readonly primary: string | undefined;
  /** Whether the replication link to it was up (WALs could stream, forwarded writes could pass). */
  readonly connected: boolean;
  /** Simulated epoch ms. */
  readonly from: number;
  /** Simulated epoch ms; undefined while it still holds. */
  readonly to: number | undefined;
}

/**
 * An oracle's view, independent of the functions: every node and network, recorded on every
 * state change (faults, partitions, elections, role changes, health checks), in simulated time.
 */
export interface SimulationObserver {
  events(): readonly ObservedEvent[];
  /** Intervals during which each cluster could accept client writes, in the order they opened. */
  writableIntervals(): readonly WritableInterval[];
  /** The clusters that can accept client writes now. */
  writableNow(): string[];
  /**
   * Intervals during which each cluster was an active DR primary (a DR primary, or a performance
   * primary, that is no performance secondary, not mid transition, whose active node answers),
   * whether or not any network reached it.
   */
  activePrimaryIntervals(): readonly WritableInterval[];
  /** Periods with two or more clusters accepting client writes at once. */
  overlaps(): readonly WritableOverlap[];
  /** The largest number of clusters that could accept client writes at the same moment since start. */
  maxConcurrentWritable(): number;
  clientWrites(): readonly ClientWrite[];
  /** Ids of the client writes whose effect `cluster`'s storage holds now. */
  writesHeldBy(cluster: string): readonly string[];
  /** The client writes some cluster applied that `cluster` does not hold (after a failover: its RPO). */
  writesMissingFrom(cluster: string): readonly ClientWrite[];
  /** Every KV read a cluster served (performance secondaries serve reads locally), oldest first. Not timeline events. */
  clientReads(): readonly ClientRead[];
  /**
   * Intervals during which each cluster could serve client reads: it takes client requests on its
   * clients network (an answering node in rotation, not mid-transition) and is no DR secondary. A
   * performance secondary serves reads from its own storage whether or not its primary answers.
   */
  readableIntervals(): readonly WritableInterval[];
  /** The clusters that can serve client reads now. */
  readableNow(): string[];
  /** Every cluster's replication roles, whom it follows and what it serves, now. */
  topology(): readonly ClusterReplicationView[];
  /**
   * For each cluster that was a performance secondary, which primary it followed and whether it
   * was connected, over time (intervals in the order they opened).
   */
  performanceFollowing(): readonly PerformanceFollowInterval[];
  /** A readable log of everything above, headed by the seed. */
  timeline(): string;
}

export interface VaultWorld {
  readonly clusters: readonly SimulatedCluster[];
  cluster(name: string): SimulatedCluster;
  /** PEM of the test CA that signed every listener's certificate. */
  readonly caPem: string;
  /** Path of a file holding caPem (for VAULT_CA_FILE). */
  readonly caFile: string;
  /** A root token: in every cluster's storage at start (a secondary later holds its primary's). */
  readonly rootToken: string;
  /** The seed in use: startVaultWorld({ ..., seed }) replays the same node choices. */
  readonly seed: number;
  /** Simulated ms per real ms: scale the functions' real-time timeouts by 1 / timeScale. */
  readonly timeScale: number;
  /** The timings in use (defaults filled in). */
  readonly timings: Timings;
  /** Simulated epoch ms. */
  now(): number;
  /** Resolves after `ms` simulated milliseconds. */
  sleep(ms: number): Promise<void>;
  /** Moves the simulated clock forward at once: token and activation TTLs, and every pending transition due by then. */
  advanceClock(ms: number): void;
  readonly observer: SimulationObserver;

  /** Names of the clusters whose DR mode is 'primary', whatever their faults. */
  primaryNames(): string[];
  /** Names of the clusters for which isAnsweringPrimary() is true. */
  answeringPrimaryNames(): string[];
  /**
   * The largest number of clusters that could accept client writes at the same moment since start
   * (observer.maxConcurrentWritable()): sampled on every state change, faults and partitions
   * included, so a primary that comes back while another one is active counts.
   */
  maxAnsweringPrimaries(): number;
  /** Every DR role transition since start, oldest first. */
  transitions(): readonly RoleTransition[];
  /** Every performance replication role change since start (DR promotions into the set included), oldest first. */
  performanceTransitions(): readonly PerformanceTransition[];
  /**
   * Every secret the simulator has issued since start: client tokens (service and batch),
   * wrapping/activation tokens. The log-leak test searches captured logs for each of them.
   */
  issuedSecrets(): string[];
  /**
   * The recovery key shares (base64, 5 shares, threshold 3) of the world's KMS auto-unseal (one
   * recovery key per world: a DR secondary takes its primary's), which generate-operation-token
   * takes on a DR secondary. They are secrets: issuedSecrets() has them.
   */
  recoveryKeys(): Promise<string[]>;
  /**
   * Resolves once every DR secondary, and every performance secondary, whose primary link is up
   * and which streams WALs holds its primary's last write; rejects after `timeoutMs` real ms (default 5000) naming the laggards.
   * With `advanceClock`, the simulated clock is moved to each pending write's due time instead of
   * waiting for it (for tests with a long walLagMs).
   */
  waitForReplication(options?: ReplicationWait): Promise<void>;

  /**
   * Creates, through the HTTP API with the root token on the answering DR primary, what the DR
   * automation construct creates with Terraform: the batch token's policy and role, and for each of
   * dr-token-generator and dr-operations a policy and an AWS auth role bound to that function's IAM
   * role alone (and the AWS auth client config when the world has an STS endpoint). Names follow
   * docs/contracts.md. Then waits for replication so the DR secondaries hold it too.
   */
  configureDr(options: ConfigureDrOptions, wait?: ReplicationWait): Promise<ConfiguredDrNames>;
  /**
   * Creates a batch DR operation token on the answering primary with the root token through
   * auth/token/create/<tokenRole> (configureDr must have run). `ttl` is a Vault duration ('8h'),
   * @default '8h'. `expiresAt` is on the simulated clock.
   */
  createDrBatchToken(options?: { ttl?: string }): Promise<{ token: string; expiresAt: Date }>;
  stop(): Promise<void>;
}

export interface ReplicationWait {
  /** Real ms. @default 5000 */
  readonly timeoutMs?: number;
  /** Move the simulated clock forward instead of waiting for the WAL lag. @default false */
  readonly advanceClock?: boolean;
}

export interface VaultPair extends VaultWorld {
  /** The DR pair first, then the performance secondaries in the order given. */
  readonly clusters: readonly [SimulatedCluster, SimulatedCluster, ...SimulatedCluster[]];
}

export interface ConfigureDrOptions {
  /** @default 'dev' */
  readonly environment?: string;
  /** @default 'test' */
  readonly identifier?: string;
  /** IAM role ARN of dr-token-generator: the only principal its AWS auth role accepts. */
  readonly generatorRoleArn: string;
  /** IAM role ARN of dr-operations: the only principal its AWS auth role accepts. */
  readonly operationsRoleArn: string;
  /**
   * The cluster to configure, whatever its DR mode (a cluster with DR disabled, before bootstrap).
   * @default the one answering DR primary
   */
  readonly cluster?: string;
}

/** The Vault objects of docs/contracts.md, `<purpose>-<environment>-<identifier>`. */
export interface ConfiguredDrNames {
  /** Policy of the batch DR operation token: promote and update-primary only. */
  readonly drPolicy: string;
  /** Policy of dr-token-generator's login: creates batch tokens through the token role only. */
  readonly tokenCreatorPolicy: string;
  /** Policy of dr-operations' login: demote and secondary-token on a primary only. */
  readonly primaryOpsPolicy: string;
  /** Second policy of dr-operations' login: enabling DR replication on a primary (bootstrap). */
  readonly bootstrapPolicy: string;
  /** Token role of the batch DR operation token. */
  readonly tokenRole: string;
  /** AWS auth role of dr-token-generator. */
  readonly generatorAuthRole: string;
  /** AWS auth role of dr-operations. */
  readonly operationsAuthRole: string;
  /** The functions' own AWS auth mount, `dr-aws-<environment>-<identifier>`, as the construct names it. */
  readonly awsAuthMount: string;
}
