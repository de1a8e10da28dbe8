/**
 * The Vault endpoints the DR functions use (docs/vault-api.md), as typed calls
 * on one cluster address. Errors keep Vault's own messages (`errors[]`) so an operator sees them.
 */
import { type VaultHttpClient, type VaultHttpResponse } from './vault-http';

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
}

export interface DrStatusData {
  readonly mode?: string;
  readonly state?: string;
  readonly connection_state?: string;
  readonly cluster_id?: string;
  readonly known_secondaries?: readonly string[];
  readonly secondaries?: readonly { node_id?: string; api_address?: string; connection_status?: string }[];
  readonly primaries?: readonly { api_address?: string; connection_status?: string }[];
  readonly known_primary_cluster_addrs?: readonly string[];
}

export interface TokenAuth {
  readonly client_token: string;
  readonly lease_duration: number;
  readonly policies?: readonly string[];
  readonly token_policies?: readonly string[];
  readonly token_type?: string;
  readonly orphan?: boolean;
  readonly renewable?: boolean;
}

interface Envelope {
  readonly data?: unknown;
  readonly auth?: TokenAuth | null;
  readonly wrap_info?: { token?: string } | null;
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
   * it, 472 DR secondary, 474 standby without an active node, 503 sealed.
   */
  async health(): Promise<HealthAnswer> {
    const path = 'sys/health?standbyok=true&perfstandbyok=true';
    const res = await this.http.send(this.address, { method: 'GET', path, retry: 'idempotent' });
    return { ...(envelope(res) as object), status: res.status };
  }

  async drStatus(): Promise<DrStatusData> {
    const path = 'sys/replication/dr/status';
    const res = await this.http.send(this.address, { method: 'GET', path, retry: 'idempotent' });
    return ((this.ok(res, path)).data ?? {}) as DrStatusData;
  }

  async promote(drOperationToken: string, options: { force: boolean; primaryClusterAddr: string | undefined }): Promise<void> {
    const path = 'sys/replication/dr/secondary/promote';
    const body = {
      dr_operation_token: drOperationToken,
      ...(options.primaryClusterAddr === undefined ? {} : { primary_cluster_addr: options.primaryClusterAddr }),
      ...(options.force ? { force: true } : {}),
    };
    this.ok(await this.http.send(this.address, { method: 'POST', path, body, retry: 'unsent-only' }), path);
  }

  async demote(token: string): Promise<void> {
    const path = 'sys/replication/dr/primary/demote';
    this.ok(await this.http.send(this.address, { method: 'POST', path, token, retry: 'unsent-only' }), path);
  }

  async generatePublicKey(drOperationToken: string): Promise<string> {
    const path = 'sys/replication/dr/secondary/generate-public-key';
    const res = await this.http.send(this.address, { method: 'POST', path, body: { dr_operation_token: drOperationToken }, retry: 'unsent-only' });
    const key = ((this.ok(res, path)).data as { secondary_public_key?: unknown } | null)?.secondary_public_key;
    if (typeof key !== 'string' || !key) throw new VaultApiError(this.address, path, res.status, ['answer has no data.secondary_public_key']);
    return key;
  }

  /** Issues an activation token for secondary `id`, encrypted to `secondaryPublicKey` (so it is `data.token`). */
  async secondaryToken(token: string, id: string, secondaryPublicKey: string, ttl: string): Promise<string> {
    const path = 'sys/replication/dr/primary/secondary-token';
    const body = { id, ttl, secondary_public_key: secondaryPublicKey };
    const env = this.ok(await this.http.send(this.address, { method: 'POST', path, token, body, retry: 'unsent-only' }), path);
    const activation = (env.data as { token?: unknown } | null)?.token ?? env.wrap_info?.token;
    if (typeof activation !== 'string' || !activation) throw new VaultApiError(this.address, path, 200, ['answer has no activation token']);
    return activation;
  }

  async updatePrimary(drOperationToken: string, activationToken: string, primaryApiAddr: string): Promise<void> {
    const path = 'sys/replication/dr/secondary/update-primary';
    const body = { dr_operation_token: drOperationToken, token: activationToken, primary_api_addr: primaryApiAddr };
    this.ok(await this.http.send(this.address, { method: 'POST', path, body, retry: 'unsent-only' }), path);
  }

  async createRoleToken(token: string, role: string, ttl: string): Promise<TokenAuth> {
    const path = `auth/token/create/${encodeURIComponent(role)}`;
    const res = await this.http.send(this.address, { method: 'POST', path, token, body: { ttl }, retry: 'unsent-only' });
    return this.authOf(this.ok(res, path), res, path);
  }

  async awsIamLogin(mountPath: string, body: Record<string, string>): Promise<TokenAuth> {
    const path = `auth/${mountPath}/login`;
    const res = await this.http.send(this.address, { method: 'POST', path, body, retry: 'idempotent' });
    return this.authOf(this.ok(res, path), res, path);
  }

  private authOf(env: Envelope, res: VaultHttpResponse, path: string): TokenAuth {
    const auth = env.auth;
    if (!auth || typeof auth.client_token !== 'string' || typeof auth.lease_duration !== 'number') {
      throw new VaultApiError(this.address, path, res.status, ['answer has no auth.client_token']);
    }
    return auth;
  }
}
