/**
 * DR operation tokens generated from key shares on a DR secondary: the break-glass path when no
 * batch DR operation token is at hand. Sources:
 * - API: developer.hashicorp.com/vault/api-docs/system/replication/replication-dr, "Generate
 *   disaster recovery operation token" (attempt: GET reads progress, POST starts, DELETE cancels;
 *   update: one key share and the nonce per call; "Delete DR operation token").
 * - Concepts: developer.hashicorp.com/vault/docs/enterprise/replication/disaster-recovery/operation-token
 *   (the key shares are the primary's; clusters with auto-unseal use recovery keys; treat the token
 *   like a root token and delete it soon after; it authorises the DR secondary endpoints that take
 *   `dr_operation_token`).
 * - Mechanics, shared with generate-root (vault/generate_root.go, the `GenerateDROperationTokenStrategy`
 *   is the root-token strategy): the attempt answers a 28-character base62 OTP; the update that
 *   reaches the threshold combines the shares (Shamir over GF(2^8), vault/shamir), checks the
 *   result against the recovery key, issues a root-form token (`hvs.` + 24 base62) and answers it
 *   XOR the OTP, base64-encoded (sdk/helper/roottoken/encode.go). Messages are generate_root.go's.
 *
 * The token is stored by the secondary that generated it (vault/generate_root.go:
 * `coreDROperationTokenPath = "core/dr-operation-token"`), not in the token store, so it is not a
 * Vault token anywhere: only a `dr_operation_token` on that cluster while it is a DR secondary.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { combine, split } from 'shamir-secret-sharing';
import { VaultError, badRequest } from './envelope';
import type { SimulatedClock } from './clock';
import type { ClusterCore } from './cluster';
import type { SecretLog } from './secrets';
import type { TokenEntry } from './token-store';
import { OTP_LENGTH, encodeToken, newAccessor, newOtp, newRootToken } from './token-formats';

/** What `vault operator init -recovery-shares=5 -recovery-threshold=3` would give (Vault's defaults). */
export const RECOVERY_SHARES = 5;
export const RECOVERY_THRESHOLD = 3;
/** vault/barrier_aes_gcm.go KeyLength (16..32 bytes) plus vault/shamir ShareOverhead (1 byte). */
const MIN_KEY_BYTES = 16;
const MAX_KEY_BYTES = 33;

/** How the generate-operation-token endpoints authenticate. */
export type OperationTokenGenerationAuth =
  /** Vault 1.x, and Vault 2.x with `enable_unauthenticated_access` (break glass): no token. */
  | 'unauthenticated'
  /** Vault 2.x: an X-Vault-Token whose policies grant the path (developer.hashicorp.com/vault/tutorials/disaster-recovery/break-glass-failover). */
  | 'token';

/** The body generate-root and generate-operation-token answer (vault/generate_root.go GenerateRootStatusResponse): raw JSON, no envelope. */
export interface GenerationStatus {
  readonly nonce: string;
  readonly started: boolean;
  readonly progress: number;
  readonly required: number;
  readonly complete: boolean;
  readonly encoded_token: string;
  readonly encoded_root_token: string;
  readonly pgp_fingerprint: string;
  readonly otp: string;
  readonly otp_length: number;
}

interface Attempt {
  readonly nonce: string;
  readonly otp: string;
  readonly shares: Buffer[];
}

/**
 * Recovery keys, generation attempts and generated tokens of one simulated world. The recovery key
 * is the world's: a DR secondary takes its primary's keys (the operation-token page above), and
 * every cluster of a world belongs to one replication set or can join it. Attempts and tokens are
 * per cluster, by name.
 */
export class DrOperationTokens {
  private readonly recoveryKey = randomBytes(32);
  private recoveryShares: Promise<string[]> | undefined;
  private readonly attempts = new Map<string, Attempt>();
  /** Per cluster name: the DR operation tokens generated there and not deleted. */
  private readonly issued = new Map<string, Map<string, TokenEntry>>();

  constructor(
    private readonly clock: SimulatedClock,
    private readonly secrets: SecretLog,
    readonly auth: OperationTokenGenerationAuth,
  ) {}

  /** The recovery key shares an operator holds, base64 as `operator init` prints them (recovery_keys_b64). */
  recoveryKeys(): Promise<string[]> {
    this.recoveryShares ??= split(new Uint8Array(this.recoveryKey), RECOVERY_SHARES, RECOVERY_THRESHOLD).then((shares) =>
      shares.map((share) => this.secrets.add(Buffer.from(share).toString('base64'))),
    );
    return this.recoveryShares;
  }

  status(cluster: ClusterCore, otp = ''): GenerationStatus {
    const attempt = this.attempts.get(cluster.name);
    return {
      nonce: attempt?.nonce ?? '',
      started: attempt !== undefined,
      progress: attempt?.shares.length ?? 0,
      required: RECOVERY_THRESHOLD,
      complete: false,
      encoded_token: '',
      encoded_root_token: '',
      pgp_fingerprint: '',
      otp,
      otp_length: OTP_LENGTH,
    };
  }

  /** POST attempt: Vault generates the OTP unless the caller sends one of the right length. */
  start(cluster: ClusterCore, body: { otp?: string; pgp_key?: string }): GenerationStatus {
    if (body.pgp_key !== undefined && body.pgp_key !== '') {
      throw badRequest('pgp_key is not supported by the simulator: start the attempt without it and use the OTP it answers');
    }
    const given = body.otp ?? '';
    if (given !== '' && given.length !== OTP_LENGTH) throw badRequest('OTP string is wrong length');
    if (this.attempts.has(cluster.name)) throw badRequest('root generation already in progress');
    const otp = given === '' ? this.secrets.add(newOtp()) : given;
    this.attempts.set(cluster.name, { nonce: randomUUID(), otp, shares: [] });
    return this.status(cluster, given === '' ? otp : '');
  }

  cancel(cluster: ClusterCore): void {
    this.attempts.delete(cluster.name);
  }

  /** POST update: one share; the share that reaches the threshold yields the encoded token. */
  async update(cluster: ClusterCore, body: { key?: string; nonce?: string }): Promise<GenerationStatus> {
    const key = decodeShare(body.key);
    const attempt = this.attempts.get(cluster.name);
    if (attempt === undefined) throw badRequest('no root generation in progress');
    if (body.nonce !== attempt.nonce) {
      throw badRequest(`incorrect nonce supplied; nonce for this root generation operation is "${attempt.nonce}"`);
    }
    if (attempt.shares.some((share) => share.equals(key))) {
      throw badRequest('given key has already been provided during this generation operation');
    }
    attempt.shares.push(key);
    const progress = attempt.shares.length;
    const base = { ...this.status(cluster), otp_length: 0, nonce: attempt.nonce, started: true, progress };
    if (progress < RECOVERY_THRESHOLD) return base;

    const shares = attempt.shares.splice(0);
    const combined = Buffer.from(await combine(shares.map((share) => new Uint8Array(share))));
    if (!combined.equals(this.recoveryKey)) {
      throw badRequest('root generation aborted: unable to authenticate: recovery key verification failed: the key shares do not combine to the recovery key');
    }
    this.attempts.delete(cluster.name);
    const token = this.secrets.add(newRootToken());
    const encoded = this.secrets.add(encodeToken(token, attempt.otp));
    this.tokensOf(cluster).set(token, this.entry(token));
    return { ...base, complete: true, encoded_token: encoded };
  }

  /** The token as a caller of a DR secondary operation on `cluster`, or undefined. */
  lookup(cluster: ClusterCore, token: string): TokenEntry | undefined {
    if (cluster.drMode() !== 'secondary') return undefined;
    return this.issued.get(cluster.name)?.get(token);
  }

  /** operation-token/delete. */
  revoke(cluster: ClusterCore, token: string): void {
    this.issued.get(cluster.name)?.delete(token);
  }

  private tokensOf(cluster: ClusterCore): Map<string, TokenEntry> {
    let tokens = this.issued.get(cluster.name);
    if (tokens === undefined) {
      tokens = new Map();
      this.issued.set(cluster.name, tokens);
    }
    return tokens;
  }

  private entry(token: string): TokenEntry {
    return {
      id: token,
      accessor: newAccessor(),
      type: 'service',
      policies: ['root'],
      meta: {},
      displayName: 'root',
      path: 'sys/replication/dr/secondary/generate-operation-token/update',
      role: '',
      orphan: true,
      renewable: false,
      issuedAt: this.clock.now(),
      // "This token does not have a TTL and therefore should be deleted when it is no longer needed."
      expiresAt: undefined,
      ttlSeconds: 0,
      maxTtlSeconds: 0,
    };
  }
}

/** vault/generate_root.go HandleSysGenerateRootUpdate: hex, else standard base64, within the key length. */
function decodeShare(raw: string | undefined): Buffer {
  if (raw === undefined || raw === '') throw badRequest("'key' must be specified in request body as JSON");
  if (/^(?:[0-9a-fA-F]{2})+$/.test(raw)) {
    const hex = Buffer.from(raw, 'hex');
    if (hex.length >= MIN_KEY_BYTES && hex.length <= MAX_KEY_BYTES) return hex;
  }
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(raw) || raw.length % 4 !== 0) throw badRequest("'key' must be a valid hex or base64 string");
  const key = Buffer.from(raw, 'base64');
  if (key.length < MIN_KEY_BYTES) throw new VaultError(400, `invalid key: key is shorter than minimum ${MIN_KEY_BYTES} bytes`);
  if (key.length > MAX_KEY_BYTES) throw new VaultError(400, `invalid key: key is longer than maximum ${MAX_KEY_BYTES} bytes`);
  return key;
}
