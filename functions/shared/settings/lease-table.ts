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

/** The DynamoDB actions the lease takes: read, take and release (no UpdateItem). */
export const LEASE_TABLE_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem'] as const;
