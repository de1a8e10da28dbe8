/**
 * The public surface of the Vault Enterprise simulator: two HTTPS servers on 127.0.0.1 that share
 * one replication state and answer as docs/vault-api.md says Vault Enterprise
 * does. The functions' tests, the fault matrix, the drill and the benchmark use only what is
 * declared here; everything else under test/vault-simulator/ is internal to the simulator.
 */

/** What a cluster's listener does with a connection, set by a test. */
export type ClusterFault =
  /** Answers normally. */
  | 'none'
  /** Nothing listens on the port: connections are refused. */
  | 'down'
  /** TCP connections are accepted and never answered (no TLS handshake, no bytes). */
  | 'blackhole'
  /** Answers normally after a delay (`slowMs`). */
  | 'slow'
  /** Sealed: sys/health 503 with `sealed: true`, every other path 503 `{"errors":["Vault is sealed"]}`. */
  | 'sealed'
  /** Every request answered 500 `{"errors":["internal error"]}`. */
  | 'error500';

/** The cluster's DR replication mode as it reports it in sys/replication/dr/status. */
export type DrMode = 'primary' | 'secondary' | 'disabled';

export interface StartVaultPairOptions {
  /** Cluster names, also used as their labels in VAULT_CLUSTERS. @default ['east', 'west'] */
  readonly names?: readonly [string, string];
  /**
   * Replication at start.
   * - 'replicating': clusters[0] is the DR primary, clusters[1] its DR secondary in `stream-wals`.
   * - 'primary-only': clusters[0] is a DR primary with no secondary, clusters[1] has DR disabled.
   * @default 'replicating'
   */
  readonly initialState?: 'replicating' | 'primary-only';
  /** STS endpoint that auth/aws/login replays the signed GetCallerIdentity to (moto). @default - login answers 400 "error making upstream request" */
  readonly stsEndpoint?: string;
  /** When set, auth/aws/login requires a signed X-Vault-AWS-IAM-Server-ID header with this value. @default - not required */
  readonly iamServerIdHeaderValue?: string;
  /** How long a promoted or demoted cluster is unavailable (sys/health 429 standby, other paths 503) before its new role is active. @default 100 */
  readonly transitionMs?: number;
  /** Delay added to every answer while a cluster has the 'slow' fault. @default 1500 */
  readonly slowMs?: number;
  /**
   * How sys/replication/dr/secondary/generate-operation-token/* authenticate: 'unauthenticated'
   * (Vault 1.x, or 2.x with enable_unauthenticated_access: break glass) or 'token' (Vault 2.x: an
   * X-Vault-Token whose policies grant the path). @default 'unauthenticated'
   */
  readonly drOperationTokenGeneration?: 'unauthenticated' | 'token';
}

/** One request a cluster received, for assertions. Never holds a token or a body. */
export interface RecordedRequest {
  readonly method: string;
  /** Path without the /v1/ prefix and without the query string, e.g. 'sys/replication/dr/secondary/promote'. */
  readonly path: string;
  /** HTTP status answered, or 'no-answer' when the fault swallowed the request. */
  readonly status: number | 'no-answer';
  /** Epoch milliseconds when the request arrived. */
  readonly at: number;
}

/** A DR role change made through the API (promote, demote, update-primary, enable, disable). */
export interface RoleTransition {
  readonly at: number;
  readonly cluster: string;
  readonly from: DrMode;
  readonly to: DrMode;
  /** The endpoint that caused it, e.g. 'sys/replication/dr/secondary/promote'. */
  readonly cause: string;
}

export interface SimulatedCluster {
  readonly name: string;
  /** `https://127.0.0.1:<port>`; the certificate has SANs IP:127.0.0.1 and DNS:localhost. */
  readonly address: string;
  readonly port: number;
  setFault(fault: ClusterFault): Promise<void>;
  fault(): ClusterFault;
  drMode(): DrMode;
  /** True while the cluster is a DR primary, unsealed and answering (fault 'none' or 'slow'). */
  isAnsweringPrimary(): boolean;
  requests(): readonly RecordedRequest[];
  clearRequests(): void;
  /**
   * Which node answers sys/health from now on: the active node (the default), or a standby that
   * reaches it, as when the load balancer sends the probe to a standby: 429, or 200 with
   * standbyok, with `standby: true`. A DR secondary answers 472 either way.
   */
  answerHealthFrom(node: 'active' | 'standby'): void;
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
}

/** The `state` a DR secondary reports; 'stream-wals' is healthy. */
export type SecondaryReplicationState = 'stream-wals' | 'merkle-sync' | 'merkle-diff' | 'idle';

/** One entry of a primary's `secondaries` or a secondary's `primaries` in dr/status. */
export interface DrPeerStatus {
  /** Only on a primary's `secondaries`: the secondary's id. */
  readonly node_id?: string;
  readonly api_address: string;
  readonly cluster_address: string;
  readonly connection_status: 'connected' | 'disconnected';
  readonly last_heartbeat: string;
  readonly clock_skew_ms: string;
  readonly replication_primary_canary_age_ms: string;
}

/** The `data` of sys/replication/dr/status. Fields beyond `mode` are absent when mode is 'disabled'. */
export interface DrStatusSnapshot {
  readonly mode: DrMode;
  /** 'running' on a primary; a SecondaryReplicationState on a secondary. */
  readonly state?: string;
  readonly cluster_id?: string;
  /** Primary only. */
  readonly known_secondaries?: readonly string[];
  /** Primary only. */
  readonly secondaries?: readonly DrPeerStatus[];
  /** Secondary only: 'ready' while its primary answers, 'transient_failure' when it does not, 'idle' with no primary. */
  readonly connection_state?: 'ready' | 'transient_failure' | 'idle';
  /** Secondary only. */
  readonly secondary_id?: string;
  /** Secondary only. */
  readonly known_primary_cluster_addrs?: readonly string[];
  /** Secondary only. */
  readonly primaries?: readonly DrPeerStatus[];
  readonly [field: string]: unknown;
}

export interface VaultPair {
  readonly clusters: readonly [SimulatedCluster, SimulatedCluster];
  cluster(name: string): SimulatedCluster;
  /** PEM of the test CA that signed both listeners' certificates. */
  readonly caPem: string;
  /** Path of a file holding caPem (for VAULT_CA_FILE). */
  readonly caFile: string;
  /** A root token, valid on both clusters (the token store is replicated). */
  readonly rootToken: string;

  /** Names of the clusters whose DR mode is 'primary', whatever their fault. */
  primaryNames(): string[];
  /** Names of the clusters for which isAnsweringPrimary() is true. */
  answeringPrimaryNames(): string[];
  /**
   * The largest number of answering primaries seen right after any API-driven role transition
   * since start (fault changes made by a test are not transitions). A correct failover keeps it at 1.
   */
  maxAnsweringPrimaries(): number;
  /** Every role transition since start, oldest first. */
  transitions(): readonly RoleTransition[];

  /**
   * Every secret the simulator has issued since start: client tokens (service and batch),
   * wrapping/activation tokens. The log-leak test searches captured logs for each of them.
   */
  issuedSecrets(): string[];

  /**
   * The recovery key shares (base64, 5 shares, threshold 3) of the pair's KMS auto-unseal, which
   * generate-operation-token takes on a DR secondary. They are secrets: issuedSecrets() has them.
   */
  recoveryKeys(): Promise<string[]>;

  /**
   * Creates, through the HTTP API with the root token, what the DR automation construct creates
   * with Terraform: the batch token's policy and role, and for each of dr-token-generator and
   * dr-operations a policy and an AWS auth role bound to that function's IAM role alone (and the
   * AWS auth client config when the pair has an STS endpoint). Names follow docs/contracts.md.
   */
  configureDr(options: ConfigureDrOptions): Promise<ConfiguredDrNames>;

  /**
   * Creates a batch DR operation token on the current primary with the root token through
   * auth/token/create/<tokenRole> (configureDr must have run). `ttl` is a Vault duration ('8h', '2s'),
   * @default '8h'. `expiresAt` is on the simulator's clock (advanceClock moves it).
   */
  createDrBatchToken(options?: { ttl?: string }): Promise<{ token: string; expiresAt: Date }>;

  /** Moves the simulator's clock forward (token expiry, activation token TTLs). */
  advanceClock(ms: number): void;

  stop(): Promise<void>;
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
}

/** The Vault objects of docs/contracts.md, `<purpose>-<environment>-<identifier>`. */
export interface ConfiguredDrNames {
  /** Policy of the batch DR operation token: promote and update-primary only. */
  readonly drPolicy: string;
  /** Policy of dr-token-generator's login: creates batch tokens through the token role only. */
  readonly tokenCreatorPolicy: string;
  /** Policy of dr-operations' login: demote and secondary-token on a primary only. */
  readonly primaryOpsPolicy: string;
  /** Token role of the batch DR operation token. */
  readonly tokenRole: string;
  /** AWS auth role of dr-token-generator. */
  readonly generatorAuthRole: string;
  /** AWS auth role of dr-operations. */
  readonly operationsAuthRole: string;
  /** The functions' own AWS auth mount, `dr-aws-<environment>-<identifier>`, as the construct names it. */
  readonly awsAuthMount: string;
}
