/**
 * Batch tokens are not stored: Vault encrypts them with the cluster's keyring and any cluster
 * holding that keyring can verify them, so a DR secondary (which replicates its primary's keyring)
 * accepts the primary's batch tokens. Service tokens live in storage and reach a DR secondary only
 * through the WAL stream. README.md cites both.
 *
 * BatchTokenRegistry stands in for "decrypt with the keyring": a batch token is valid on a cluster
 * whose keyring id is the one the token was made with. ClusterTokenStore is a cluster's token
 * store with that rule added; everything else is TokenStore's.
 */
import type { SimulatedClock } from './clock';
import type { SecretLog } from './secrets';
import { type TokenEntry, TokenStore, type TokenSpec } from './token-store';

interface BatchToken {
  readonly entry: TokenEntry;
  readonly keyringId: string;
}

export class BatchTokenRegistry {
  private readonly tokens = new Map<string, BatchToken>();

  constructor(private readonly clock: SimulatedClock) {}

  add(entry: TokenEntry, keyringId: string): void {
    this.tokens.set(entry.id, { entry, keyringId });
  }

  /** The entry when `keyringId` can decrypt the token and it has not expired. */
  lookup(id: string, keyringId: string): TokenEntry | undefined {
    const token = this.tokens.get(id);
    if (token === undefined || token.keyringId !== keyringId) return undefined;
    const { expiresAt } = token.entry;
    return expiresAt !== undefined && expiresAt <= this.clock.now() ? undefined : token.entry;
  }
}

export class ClusterTokenStore extends TokenStore {
  constructor(
    clock: SimulatedClock,
    secrets: SecretLog,
    private readonly batch: BatchTokenRegistry,
    private readonly keyringId: () => string,
  ) {
    super(clock, secrets);
  }

  override issue(spec: TokenSpec): TokenEntry {
    const entry = super.issue(spec);
    if (entry.type === 'batch') {
      // Not persisted: the token carries its own state, sealed with the keyring.
      this.revoke(entry.id);
      this.batch.add(entry, this.keyringId());
    }
    return entry;
  }

  override lookup(id: string | undefined): TokenEntry | undefined {
    const stored = super.lookup(id);
    if (stored !== undefined || id === undefined || id === '') return stored;
    return this.batch.lookup(id, this.keyringId());
  }
}
