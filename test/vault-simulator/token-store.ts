/**
 * A cluster's token store (each cluster has its own; DR replication copies its service tokens with
 * the rest of the cluster's storage; batch tokens are sealed with the cluster's keyring and never
 * stored, batch-tokens.ts). Expiry reads the simulated clock. Token strings are in Vault's real
 * formats (token-formats.ts) and every one is recorded in the secret log as it is issued.
 */
import type { SimulatedClock } from './clock';
import type { AuthBlock } from './envelope';
import type { SecretLog } from './secrets';
import { type BatchTokenContent, newAccessor, newRootToken, tokenFormats } from './token-formats';

export type TokenType = 'service' | 'batch';

export interface TokenEntry {
  readonly id: string;
  /** Batch tokens have no accessor, as in Vault. */
  readonly accessor: string;
  readonly type: TokenType;
  readonly policies: readonly string[];
  readonly meta: Readonly<Record<string, string>>;
  readonly displayName: string;
  readonly path: string;
  /** The token role it was created against, '' for none. */
  readonly role: string;
  readonly orphan: boolean;
  readonly renewable: boolean;
  readonly issuedAt: number;
  /** Simulated-clock ms; undefined never expires (root). */
  expiresAt: number | undefined;
  readonly ttlSeconds: number;
  /** 0 means no cap beyond the system maximum. */
  readonly maxTtlSeconds: number;
}

export interface TokenSpec {
  readonly type: TokenType;
  readonly policies: readonly string[];
  readonly ttlSeconds: number;
  readonly maxTtlSeconds?: number;
  readonly renewable: boolean;
  readonly orphan: boolean;
  readonly meta?: Readonly<Record<string, string>>;
  readonly displayName?: string;
  readonly path: string;
  readonly role?: string;
}

/** Vault's default system max TTL (32 days), used when nothing sets a TTL. */
export const SYSTEM_MAX_TTL_SECONDS = 768 * 3600;

export class TokenStore {
  private readonly tokens = new Map<string, TokenEntry>();

  constructor(
    private readonly clock: SimulatedClock,
    private readonly secrets: SecretLog,
  ) {}

  /** The root token `vault operator init` prints: never server-side consistent, so 28 characters. */
  issueRoot(): TokenEntry {
    const entry: TokenEntry = {
      id: this.secrets.add(newRootToken()),
      accessor: newAccessor(),
      type: 'service',
      policies: ['root'],
      meta: {},
      displayName: 'root',
      path: 'auth/token/root',
      role: '',
      orphan: true,
      renewable: false,
      issuedAt: this.clock.now(),
      expiresAt: undefined,
      ttlSeconds: 0,
      maxTtlSeconds: 0,
    };
    this.tokens.set(entry.id, entry);
    return entry;
  }

  issue(spec: TokenSpec): TokenEntry {
    const now = this.clock.now();
    const ttl = spec.ttlSeconds > 0 ? spec.ttlSeconds : SYSTEM_MAX_TTL_SECONDS;
    const common = {
      type: spec.type,
      policies: [...spec.policies],
      meta: { ...(spec.meta ?? {}) },
      displayName: spec.displayName ?? 'token',
      path: spec.path,
      role: spec.role ?? '',
      orphan: spec.orphan,
      renewable: spec.type === 'batch' ? false : spec.renewable,
      issuedAt: now,
      expiresAt: now + ttl * 1000,
      ttlSeconds: ttl,
      maxTtlSeconds: spec.maxTtlSeconds ?? 0,
    };
    const id =
      spec.type === 'batch'
        ? this.sealBatchToken({
            policies: common.policies,
            path: common.path,
            meta: common.meta,
            displayName: common.displayName,
            creationTime: Math.floor(now / 1000),
            ttlSeconds: ttl,
            role: common.role,
          })
        : tokenFormats().serviceToken();
    const entry: TokenEntry = { ...common, id: this.secrets.add(id), accessor: spec.type === 'batch' ? '' : newAccessor() };
    this.tokens.set(entry.id, entry);
    return entry;
  }

  /** A batch token's string: its entry sealed with the barrier key (a cluster's store uses its keyring's). */
  protected sealBatchToken(content: BatchTokenContent): string {
    return tokenFormats().batchToken(content);
  }

  /** The entry, or undefined when the token is unknown or past its TTL. */
  lookup(id: string | undefined): TokenEntry | undefined {
    if (id === undefined || id === '') return undefined;
    const entry = this.tokens.get(id);
    if (entry === undefined) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.clock.now()) return undefined;
    return entry;
  }

  revoke(id: string): void {
    this.tokens.delete(id);
  }

  /** Copies of every stored entry: what DR replication ships in a storage snapshot. */
  exportEntries(): TokenEntry[] {
    return [...this.tokens.values()].map((entry) => ({ ...entry, policies: [...entry.policies], meta: { ...entry.meta } }));
  }

  /** Replaces every stored entry (a DR secondary applying its primary's storage). */
  importEntries(entries: readonly TokenEntry[]): void {
    this.tokens.clear();
    for (const entry of entries) this.tokens.set(entry.id, { ...entry, policies: [...entry.policies], meta: { ...entry.meta } });
  }

  /** Seconds left before expiry (0 for tokens that never expire). */
  remainingSeconds(entry: TokenEntry): number {
    if (entry.expiresAt === undefined) return 0;
    return Math.max(0, Math.floor((entry.expiresAt - this.clock.now()) / 1000));
  }

  /** Extends a service token by `incrementSeconds` (or its original TTL), capped by its max TTL. */
  renew(entry: TokenEntry, incrementSeconds: number | undefined): void {
    const now = this.clock.now();
    let next = now + (incrementSeconds && incrementSeconds > 0 ? incrementSeconds : entry.ttlSeconds) * 1000;
    if (entry.maxTtlSeconds > 0) next = Math.min(next, entry.issuedAt + entry.maxTtlSeconds * 1000);
    entry.expiresAt = next;
  }

  /** The `auth` block of a login or create answer; `leaseSeconds` defaults to the token's TTL at issue. */
  authBlock(entry: TokenEntry, leaseSeconds: number = entry.ttlSeconds): AuthBlock {
    return {
      client_token: entry.id,
      accessor: entry.accessor,
      policies: entry.policies,
      token_policies: entry.policies,
      metadata: Object.keys(entry.meta).length === 0 ? null : entry.meta,
      lease_duration: leaseSeconds,
      renewable: entry.renewable,
      entity_id: '',
      token_type: entry.type,
      orphan: entry.orphan,
      mfa_requirement: null,
      num_uses: 0,
    };
  }
}
