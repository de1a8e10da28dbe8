/**
 * The lease table's schema: what the DR automation construct creates (modules/dr-automation) and
 * what functions/shared/lease.ts reads and writes. Declared once, here, so the two cannot drift.
 */
export const LEASE_TABLE_SCHEMA = {
  /** Partition key (S). */
  partitionKey: 'lockId',
  /** TTL attribute (N, epoch seconds): DynamoDB deletes expired items on its own, eventually. */
  ttlAttribute: 'expiresAtEpoch',
} as const;

/**
 * The items of the table, by partition key: the lease of the one DR operation at a time, the
 * watchdog's memory (its state and recent runs), which the watchdog alone writes, and the record of
 * the cluster the DR operations last made the primary (functions/shared/primary-record.ts).
 */
export const LEASE_TABLE_ITEMS = {
  lease: 'vault-dr-operation',
  watchdog: 'vault-dr-watchdog',
  primary: 'vault-dr-primary',
} as const;

/** The DynamoDB actions the lease takes: read, take and release (no UpdateItem). */
export const LEASE_TABLE_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'] as const;
