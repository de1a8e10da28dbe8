/**
 * The Vault endpoints the DR functions use (docs/vault-api.md), as typed calls on one cluster
 * address. Errors keep Vault's own messages (`errors[]`) so an operator sees them. Tokens go in and
 * out as Secrets only.
 */
import { Secret } from './secret';
import { type VaultHttpClient, type VaultHttpResponse } from './vault-http';

/** The two kinds of replication, as they appear in `sys/replication/<kind>/...`. */
export type ReplicationKind = 'dr' | 'performance';

/** Vault answered with a status >= 400. */
export class VaultApiError extends Error {
  override readonly name = 'VaultApiError';
  constructor(
    readonly address: string,
    readonly path: string,
    readonly status: number,
    readonly errors: readonly string[],
  ) {
    super(`${address} ${path}: HTTP ${status}${errors.length ? `: ${errors.join('; ')}` : ''}`);
  }
}

export interface HealthAnswer {
  readonly status: number;
  readonly sealed?: boolean;
  readonly standby?: boolean;
  readonly replication_dr_mode?: string;
  readonly cluster_name?: string;
  readonly version?: string;
  /** The answering node's clock, epoch seconds. */
  readonly server_time_utc?: number;
}

export interface DrPeer {
  readonly api_address?: string;
  readonly cluster_address?: string;
  readonly connection_status?: string;
  /** RFC 3339. */
  readonly last_heartbeat?: string;
}

export interface DrStatusData {
  readonly mode?: string;
  readonly state?: string;
  readonly connection_state?: string;
  readonly cluster_id?: string;
  readonly known_secondaries?: readonly string[];
  readonly secondaries?: readonly (DrPeer & { node_id?: string })[];
  readonly primaries?: readonly DrPeer[];
  readonly known_primary_cluster_addrs?: readonly string[];
  /** A secondary's index of the last WAL it received (numbers may come as strings). */
  readonly last_remote_wal?: number | string;
  readonly last_wal?: number | string;
}

/** The `data` of sys/replication/performance/status: DR's shape (docs/vault-api.md). */
export interface PerformanceStatusData extends DrStatusData {
  /** A performance secondary's own id (the `id` its activation token was issued for). */
  readonly secondary_id?: string;
  /** The address of the primary it follows, as that primary advertises it. */
  readonly primary_cluster_addr?: string;
}

/** `auth` of a token answer; the token itself is a Secret. */
export interface TokenAuth {
  readonly clientToken: Secret;
  readonly leaseDurationSeconds: number;
  readonly policies: readonly string[];
  readonly tokenType?: string;
  readonly orphan?: boolean;
  readonly renewable?: boolean;
}

interface Envelope {
  readonly data?: unknown;
  readonly auth?: Record<string, unknown> | null;
  readonly wrap_info?: { token?: unknown } | null;
  readonly errors?: unknown;
}

function envelope(res: VaultHttpResponse): Envelope {
  return res.body !== null && typeof res.body === 'object' ? (res.body as Envelope) : {};
}

function errorsOf(res: VaultHttpResponse): string[] {
  const errors = envelope(res).errors;
  return Array.isArray(errors) ? errors.map(String) : [];
}

/** Calls on one cluster. Every method takes the token it needs; none is stored. */
export class VaultApi {
  constructor(
    private readonly http: VaultHttpClient,
    readonly address: string,
  ) {}

  private ok(res: VaultHttpResponse, path: string): Envelope {
    if (res.status >= 400) throw new VaultApiError(this.address, path, res.status, errorsOf(res));
    return envelope(res);
  }

  /**
   * sys/health with standbyok and perfstandbyok: 200 from the active node or a standby that reaches
   * it, 472 DR secondary, 474 standby without an active node, 503 sealed. `fresh`: on a connection
   * of its own, one attempt (a fresh draw of the load balancer's node).
   */
  async health(fresh = false): Promise<HealthAnswer> {
    const req = { method: 'GET', path: 'sys/health?standbyok=true&perfstandbyok=true', retry: 'idempotent' } as const;
    const res = fresh ? await this.http.sendFresh(this.address, req) : await this.http.send(this.address, req);
    return { ...(envelope(res) as object), status: res.status };
  }

  async drStatus(fresh = false): Promise<DrStatusData> {
    const path = 'sys/replication/dr/status';
    const req = { method: 'GET', path, retry: 'idempotent' } as const;
    const res = fresh ? await this.http.sendFresh(this.address, req) : await this.http.send(this.address, req);
    return (this.ok(res, path).data ?? {}) as DrStatusData;
  }

  /** sys/replication/performance/status: unauthenticated, like DR's. */
  async performanceStatus(fresh = false): Promise<PerformanceStatusData> {
    const path = 'sys/replication/performance/status';
    const req = { method: 'GET', path, retry: 'idempotent' } as const;
    const res = fresh ? await this.http.sendFresh(this.address, req) : await this.http.send(this.address, req);
    return (this.ok(res, path).data ?? {}) as PerformanceStatusData;
  }

  /**
   * On a performance secondary, with an ordinary token (this function's own login there, never a
   * DR operation token): follow the first of `addresses` that answers as a performance primary of
   * its replication set, without wiping it (`update_primary_addrs`, HashiCorp's recommendation for
   * performance secondaries; docs/vault-api.md).
   */
  async performanceUpdatePrimary(token: Secret, addresses: readonly string[]): Promise<void> {
    const path = 'sys/replication/performance/secondary/update-primary';
    const body = { update_primary_addrs: [...addresses] };
    this.ok(await this.http.send(this.address, { method: 'POST', path, token, body, retry: 'unsent-only' }), path);
  }

  /** On a DR secondary: authenticated by the DR operation token in the body. */
  async promote(drOperationToken: Secret, options: { force: boolean; primaryClusterAddr: string | undefined }): Promise<void> {
    const path = 'sys/replication/dr/secondary/promote';
    const body = {
      dr_operation_token: drOperationToken,
      ...(options.primaryClusterAddr === undefined ? {} : { primary_cluster_addr: options.primaryClusterAddr }),
      ...(options.force ? { force: true } : {}),
    };
    this.ok(await this.http.send(this.address, { method: 'POST', path, body, retry: 'unsent-only' }), path);
  }

  /** On a primary: an ordinary token (this function's own login). */
  async demote(token: Secret): Promise<void> {
    const path = 'sys/replication/dr/primary/demote';
    this.ok(await this.http.send(this.address, { method: 'POST', path, token, retry: 'unsent-only' }), path);
  }

  /**
   * On a DR secondary, without a token: the DR operation token is a parameter of promote,
   * update-primary, disable, reindex, merkle-check and operation-token/delete only
   * (https://developer.hashicorp.com/vault/docs/enterprise/replication/disaster-recovery/operation-token).
   */
  async generatePublicKey(token?: Secret, kind: ReplicationKind = 'dr'): Promise<string> {
    const path = `sys/replication/${kind}/secondary/generate-public-key`;
    // On a cluster that is not a DR secondary yet (bootstrap) Vault checks an ordinary token.
    const res = await this.http.send(this.address, { method: 'POST', path, ...(token === undefined ? {} : { token }), retry: 'unsent-only' });
    const key = (this.ok(res, path).data as { secondary_public_key?: unknown } | null)?.secondary_public_key;
    if (typeof key !== 'string' || !key) throw new VaultApiError(this.address, path, res.status, ['answer has no data.secondary_public_key']);
    return key;
  }

  /**
   * On a primary (sudo): an activation token for secondary `id`, encrypted to `secondaryPublicKey`
   * (so it is `data.token`). Performance replication takes the same body (Vault 1.3+).
   */
  async secondaryToken(token: Secret, id: string, secondaryPublicKey: string, ttl: string, kind: ReplicationKind = 'dr'): Promise<Secret> {
    const path = `sys/replication/${kind}/primary/secondary-token`;
    const body = { id, ttl, secondary_public_key: secondaryPublicKey };
    const env = this.ok(await this.http.send(this.address, { method: 'POST', path, token, body, retry: 'unsent-only' }), path);
    const activation = (env.data as { token?: unknown } | null)?.token ?? env.wrap_info?.token;
    if (typeof activation !== 'string' || !activation) throw new VaultApiError(this.address, path, 200, ['answer has no activation token']);
    return new Secret(activation);
  }

  /** On a cluster with replication of `kind` disabled (an ordinary token): it becomes a primary of that kind. */
  async enablePrimary(token: Secret, primaryClusterAddr: string | undefined, kind: ReplicationKind = 'dr'): Promise<void> {
    const path = `sys/replication/${kind}/primary/enable`;
    const body = primaryClusterAddr === undefined ? {} : { primary_cluster_addr: primaryClusterAddr };
    this.ok(await this.http.send(this.address, { method: 'POST', path, token, body, retry: 'unsent-only' }), path);
  }

  /**
   * On a cluster with replication of `kind` disabled (an ordinary token of that cluster): it becomes
   * a secondary of that kind of the primary that issued the activation token. Vault clears all its
   * data first.
   */
  async enableSecondary(token: Secret, activationToken: Secret, primaryApiAddr: string, kind: ReplicationKind = 'dr'): Promise<void> {
    const path = `sys/replication/${kind}/secondary/enable`;
    const body = { token: activationToken, primary_api_addr: primaryApiAddr };
    this.ok(await this.http.send(this.address, { method: 'POST', path, token, body, retry: 'unsent-only' }), path);
  }

  /**
   * A read (or a list: `?list=true`, as Vault's own client sends it) with a token; the answer's
   * `data`, or undefined when Vault answers 404 (nothing there, or an empty list).
   */
  async readData(token: Secret, path: string, options: { list?: boolean } = {}): Promise<Record<string, unknown> | undefined> {
    const res = await this.http.send(this.address, { method: 'GET', path: options.list ? `${path}?list=true` : path, token, retry: 'idempotent' });
    if (res.status === 404) return undefined;
    const data = this.ok(res, path).data;
    return data !== null && typeof data === 'object' ? (data as Record<string, unknown>) : {};
  }

  /** sys/capabilities-self: what `token` may do on `path`. */
  async capabilitiesSelf(token: Secret, path: string): Promise<readonly string[]> {
    const res = await this.http.send(this.address, { method: 'POST', path: 'sys/capabilities-self', token, body: { paths: [path] }, retry: 'idempotent' });
    const data = this.ok(res, 'sys/capabilities-self').data as Record<string, unknown> | null | undefined;
    const caps = data?.[path] ?? data?.capabilities;
    return Array.isArray(caps) ? caps.map(String) : [];
  }

  /**
   * On a performance secondary, with an ordinary token of it: follow the primary that issued
   * `activationToken` (bootstrap, forced, of a secondary of another replication set).
   */
  async performanceUpdatePrimaryWithToken(token: Secret, activationToken: Secret, primaryApiAddr: string): Promise<void> {
    const path = 'sys/replication/performance/secondary/update-primary';
    const body = { token: activationToken, primary_api_addr: primaryApiAddr };
    this.ok(await this.http.send(this.address, { method: 'POST', path, token, body, retry: 'unsent-only' }), path);
  }

  /** On a DR secondary: authenticated by the DR operation token in the body. */
  async updatePrimary(drOperationToken: Secret, activationToken: Secret, primaryApiAddr: string): Promise<void> {
    const path = 'sys/replication/dr/secondary/update-primary';
    const body = { dr_operation_token: drOperationToken, token: activationToken, primary_api_addr: primaryApiAddr };
    this.ok(await this.http.send(this.address, { method: 'POST', path, body, retry: 'unsent-only' }), path);
  }

  async createRoleToken(token: Secret, role: string, ttl: string): Promise<TokenAuth> {
    const path = `auth/token/create/${encodeURIComponent(role)}`;
    const res = await this.http.send(this.address, { method: 'POST', path, token, body: { ttl }, retry: 'unsent-only' });
    return this.authOf(this.ok(res, path), res, path);
  }

  /** The body is a signed GetCallerIdentity: a credential, sent only to this cluster. */
  async awsIamLogin(mountPath: string, body: Readonly<Record<string, string>>): Promise<TokenAuth> {
    const path = `auth/${mountPath}/login`;
    const res = await this.http.send(this.address, { method: 'POST', path, body, retry: 'idempotent' });
    return this.authOf(this.ok(res, path), res, path);
  }

  private authOf(env: Envelope, res: VaultHttpResponse, path: string): TokenAuth {
    const auth = env.auth;
    if (!auth || typeof auth.client_token !== 'string' || !auth.client_token || typeof auth.lease_duration !== 'number') {
      throw new VaultApiError(this.address, path, res.status, ['answer has no auth.client_token']);
    }
    const policies = Array.isArray(auth.policies) ? auth.policies.map(String) : [];
    return {
      clientToken: new Secret(auth.client_token),
      leaseDurationSeconds: auth.lease_duration,
      policies,
      ...(typeof auth.token_type === 'string' ? { tokenType: auth.token_type } : {}),
      ...(typeof auth.orphan === 'boolean' ? { orphan: auth.orphan } : {}),
      ...(typeof auth.renewable === 'boolean' ? { renewable: auth.renewable } : {}),
    };
  }
}
