/**
 * Batch tokens are not stored: Vault seals them with the cluster's keyring (vault/token_store.go
 * `create`: the barrier encrypts the entry) and any cluster holding that keyring can open them, so
 * a DR secondary (which replicates its primary's keyring) accepts the primary's batch tokens.
 * Service tokens live in storage and reach a DR secondary only through the WAL stream. README.md
 * cites both.
 *
 * A batch token here is really sealed with the issuing cluster's keyring key (AES-256-GCM,
 * token-formats.ts) and a cluster accepts it only when its own keyring key opens it.
 * BatchTokenRegistry keeps the entry each token carries, so that the simulator needs no protobuf
 * reader to learn its policies and TTL once the keyring has vouched for it.
 */
import type { SimulatedClock } from './clock';
import type { SecretLog } from './secrets';
import { type BatchTokenContent, opensBatchToken, tokenFormats } from './token-formats';
import { type TokenEntry, TokenStore, type TokenSpec } from './token-store';

export class BatchTokenRegistry {
  private readonly tokens = new Map<string, { readonly entry: TokenEntry; readonly tokenDomain: string }>();

  constructor(private readonly clock: SimulatedClock) {}

  /** `tokenDomain`: the issuing cluster's local token storage (state.ts `tokenDomain`). */
  add(entry: TokenEntry, tokenDomain: string): void {
    this.tokens.set(entry.id, { entry, tokenDomain });
  }

  /**
   * The entry when `keyring` opens the token and it has not expired. A non-orphan batch token is
   * valid only where its parent's token storage is (the issuing cluster and its DR secondaries,
   * which replicate local storage): "Can be used across performance replication clusters: Yes (if
   * orphan)" ([tokens](https://developer.hashicorp.com/vault/docs/concepts/tokens)).
   */
  lookup(id: string, keyring: Buffer, tokenDomain: string): TokenEntry | undefined {
    const found = this.tokens.get(id);
    if (found === undefined || !opensBatchToken(id, keyring)) return undefined;
    const { entry } = found;
    if (!entry.orphan && found.tokenDomain !== tokenDomain) return undefined;
    const { expiresAt } = entry;
    return expiresAt !== undefined && expiresAt <= this.clock.now() ? undefined : entry;
  }
}

export class ClusterTokenStore extends TokenStore {
  constructor(
    clock: SimulatedClock,
    secrets: SecretLog,
    private readonly batch: BatchTokenRegistry,
    private readonly keyring: () => Buffer,
    private readonly tokenDomain: () => string,
  ) {
    super(clock, secrets);
  }

  protected override sealBatchToken(content: BatchTokenContent): string {
    return tokenFormats().batchToken(content, this.keyring());
  }

  override issue(spec: TokenSpec): TokenEntry {
    const entry = super.issue(spec);
    if (entry.type === 'batch') {
      // Not persisted: the token carries its own state, sealed with the keyring.
      this.revoke(entry.id);
      this.batch.add(entry, this.tokenDomain());
    }
    return entry;
  }

  override lookup(id: string | undefined): TokenEntry | undefined {
    const stored = super.lookup(id);
    if (stored !== undefined || id === undefined || id === '') return stored;
    return this.batch.lookup(id, this.keyring(), this.tokenDomain());
  }
}
