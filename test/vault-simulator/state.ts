/**
 * One cluster's storage: tokens, policies, token roles, auth mounts and their configuration, the
 * KV secrets a client writes at secret/, the keyring (the barrier key batch tokens are sealed
 * with) and the WAL index of the last write. Each cluster has its own; DR replication copies a primary's to
 * its secondaries as snapshots taken at each WAL index (wal.ts).
 *
 * The route handlers receive this as `ctx.state`; the name SharedState is kept for them.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { type BatchTokenRegistry, ClusterTokenStore } from './batch-tokens';
import type { SimulatedClock } from './clock';
import { PolicyStore } from './policy-store';
import type { SecretLog } from './secrets';
import type { TokenEntry } from './token-store';

export interface SimulatorSettings {
  readonly stsEndpoint: string | undefined;
  readonly iamServerIdHeaderValue: string | undefined;
}

export interface TokenRole {
  readonly name: string;
  readonly allowed_policies: readonly string[];
  readonly disallowed_policies: readonly string[];
  readonly orphan: boolean;
  readonly renewable: boolean;
  readonly token_type: 'service' | 'batch' | 'default-service' | 'default-batch';
  readonly token_ttl: number;
  readonly token_max_ttl: number;
  readonly token_explicit_max_ttl: number;
  readonly token_no_default_policy: boolean;
  readonly path_suffix: string;
}

export interface AwsClientConfig {
  readonly sts_endpoint: string;
  readonly sts_region: string;
  readonly iam_server_id_header_value: string;
}

export interface AwsRole {
  readonly role_id: string;
  readonly auth_type: 'iam' | 'ec2';
  readonly bound_iam_principal_arns: readonly string[];
  readonly resolve_aws_unique_ids: boolean;
  readonly token_ttl: number;
  readonly token_max_ttl: number;
  readonly token_policies: readonly string[];
}

export interface AwsBackend {
  config: AwsClientConfig | undefined;
  readonly roles: Map<string, AwsRole>;
}

export interface AuthMount {
  /** Without the trailing slash, e.g. "aws". */
  readonly path: string;
  readonly type: string;
  readonly description: string;
  readonly accessor: string;
  /** Present for type "aws". */
  readonly aws: AwsBackend | undefined;
}

const newKeyring = (): string => randomBytes(32).toString('base64');

/** A KV v1 secret; `writeId` names the client write that put it there. */
export interface KvEntry {
  readonly data: Readonly<Record<string, unknown>>;
  readonly writeId: string;
}

/** An auth mount as plain data (its aws roles as entries), so that a snapshot serialises whole. */
export interface StoredAuthMount extends Omit<AuthMount, 'aws'> {
  readonly aws: { readonly config: AwsClientConfig | undefined; readonly roles: readonly (readonly [string, AwsRole])[] } | undefined;
}

/**
 * A cluster's performance replication record, as it stores it. It is a local storage entry: DR
 * replication copies it (so a promoted DR secondary joins its primary's replication set, README.md
 * "Performance replication"), performance replication does not (each member has its own).
 */
export interface StoredPerformance {
  readonly mode: 'primary' | 'secondary';
  /** The performance replication set's id (`cluster_id` of performance/status). */
  readonly clusterId: string;
  /** A primary's known_secondaries. */
  readonly knownSecondaries: readonly string[];
  /** A primary's primary_cluster_addr ('' for its own cluster address). */
  readonly primaryClusterAddr: string;
  /** A secondary's primary, by cluster name (the cluster at its known primary cluster address); undefined when it knows none. */
  readonly primary: string | undefined;
  /** A secondary's id as its primary knows it. */
  readonly secondaryId: string | undefined;
  /** Set by performance demote: an activation token is needed, update_primary_addrs is refused. */
  readonly demoted: boolean;
}

/** Everything a cluster stores, as plain data: what a WAL entry carries and merkle-sync copies. */
export interface StorageSnapshot {
  readonly lastWal: number;
  /** Base64 of the cluster's 32-byte barrier key: what batch tokens are sealed with. */
  readonly keyring: string;
  /** Local: names the token store (ClusterState.tokenDomain). */
  readonly tokenDomain: string;
  readonly tokens: readonly TokenEntry[];
  readonly policies: readonly (readonly [string, string])[];
  readonly tokenRoles: readonly TokenRole[];
  readonly authMounts: readonly StoredAuthMount[];
  readonly kv: readonly (readonly [string, KvEntry])[];
  /** Ids of every client write whose effect this storage holds (later writes to a path included). */
  readonly writes: readonly string[];
  /** Local: its performance replication record. */
  readonly performance: StoredPerformance | undefined;
}

export class ClusterState {
  readonly tokens: ClusterTokenStore;
  readonly policies = new PolicyStore();
  readonly tokenRoles = new Map<string, TokenRole>();
  readonly authMounts = new Map<string, AuthMount>();
  readonly kv = new Map<string, KvEntry>();
  readonly writes = new Set<string>();
  /** Index of the last write this storage holds, in its replication set's numbering. */
  lastWal = 0;
  /** Base64 of the barrier key; replicated, so a DR secondary opens its primary's batch tokens. */
  keyring: string = newKeyring();
  /**
   * Names this storage's local token store: DR replication copies it (a DR secondary holds its
   * primary's tokens), performance replication does not. A non-orphan batch token works only where
   * it matches (batch-tokens.ts).
   */
  tokenDomain: string = randomUUID();
  /** Local: the cluster's performance replication record (README.md, "Performance replication"). */
  performance: StoredPerformance | undefined = undefined;

  constructor(
    readonly clock: SimulatedClock,
    readonly secrets: SecretLog,
    readonly settings: SimulatorSettings,
    batchTokens: BatchTokenRegistry,
    /** The root token every cluster of a world starts with. */
    readonly root: TokenEntry,
  ) {
    this.tokens = new ClusterTokenStore(clock, secrets, batchTokens, () => Buffer.from(this.keyring, 'base64'), () => this.tokenDomain);
    this.tokens.importEntries([root]);
    this.mountAuth('token', 'token', 'token based credentials');
  }

  mountAuth(path: string, type: string, description: string): AuthMount {
    const mount: AuthMount = {
      path,
      type,
      description,
      accessor: `auth_${type}_${randomBytes(4).toString('hex')}`,
      aws: type === 'aws' ? { config: undefined, roles: new Map() } : undefined,
    };
    this.authMounts.set(path, mount);
    return mount;
  }

  /** The aws auth mount a path such as "auth/aws/login" belongs to, with the rest of the path. */
  awsMountFor(path: string): { mount: AuthMount & { aws: AwsBackend }; rest: string } | undefined {
    if (!path.startsWith('auth/')) return undefined;
    const inner = path.slice('auth/'.length);
    for (const mount of this.authMounts.values()) {
      if (mount.aws === undefined) continue;
      if (inner.startsWith(`${mount.path}/`)) {
        return { mount: mount as AuthMount & { aws: AwsBackend }, rest: inner.slice(mount.path.length + 1) };
      }
    }
    return undefined;
  }

  snapshot(): StorageSnapshot {
    return structuredClone({
      lastWal: this.lastWal,
      keyring: this.keyring,
      tokenDomain: this.tokenDomain,
      tokens: this.tokens.exportEntries(),
      policies: this.policies.exportPolicies(),
      tokenRoles: [...this.tokenRoles.values()],
      authMounts: [...this.authMounts.values()].map((mount) => ({
        ...mount,
        aws: mount.aws === undefined ? undefined : { config: mount.aws.config, roles: [...mount.aws.roles.entries()] },
      })),
      kv: [...this.kv.entries()],
      writes: [...this.writes],
      performance: this.performance,
    });
  }

  /** Replaces everything this cluster stores with `snapshot` (which it must not share). */
  restore(snapshot: StorageSnapshot): void {
    const copy = structuredClone(snapshot);
    this.lastWal = copy.lastWal;
    this.tokens.importEntries(copy.tokens);
    this.tokenDomain = copy.tokenDomain;
    this.performance = copy.performance;
    this.applyShared(copy);
  }

  /**
   * What a performance secondary takes from its primary's storage: the replicated (shared) entries
   * only. Tokens, leases and the performance record are local storage entries and stay its own;
   * so does its WAL index (README.md, "Performance replication").
   */
  applyReplicated(snapshot: StorageSnapshot): void {
    this.applyShared(structuredClone(snapshot));
  }

  private applyShared(copy: StorageSnapshot): void {
    this.keyring = copy.keyring;
    this.policies.importPolicies(copy.policies);
    this.tokenRoles.clear();
    for (const role of copy.tokenRoles) this.tokenRoles.set(role.name, role);
    this.authMounts.clear();
    for (const mount of copy.authMounts) {
      const aws = mount.aws === undefined ? undefined : { config: mount.aws.config, roles: new Map(mount.aws.roles) };
      this.authMounts.set(mount.path, { ...mount, aws });
    }
    this.kv.clear();
    for (const [path, entry] of copy.kv) this.kv.set(path, entry);
    this.writes.clear();
    for (const id of copy.writes) this.writes.add(id);
  }

  /** What `sys/replication/dr/secondary/enable` does first: every stored thing is gone. */
  wipe(): void {
    this.restore({ lastWal: 0, keyring: newKeyring(), tokenDomain: randomUUID(), tokens: [], policies: [], tokenRoles: [], authMounts: [], kv: [], writes: [], performance: undefined });
  }

  /** A cheap fingerprint of the persisted state, to tell whether a request wrote anything. */
  fingerprint(): string {
    const snapshot = this.snapshot();
    return JSON.stringify({ ...snapshot, lastWal: 0 });
  }
}

/** The name the route handlers import; each cluster has its own ClusterState. */
export type SharedState = ClusterState;

