/**
 * One operation at a time, across every entry point (dr-operations, dns-switch invoked directly,
 * an operator, a watchdog): a lease in DynamoDB, taken by a conditional write and given back by a
 * conditional delete. Its expiry is the holder's own end (Lambda's timeout), so a holder that
 * crashed blocks no one for longer than it could have run.
 *
 * Item: `lockId` (S, partition key) = LEASE_LOCK_ID, `owner` (S, unique per invocation), `holder`
 * (S, who, for the refusal message), `acquiredAt`/`expiresAt` (S, ISO-8601), `expiresAtMs` (N,
 * compared in the condition), `expiresAtEpoch` (N, epoch seconds: the table's TTL attribute, so
 * DynamoDB deletes stale items on its own). Actions used: PutItem, GetItem, DeleteItem.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { untilDeadline } from './aws-client-options';
import type { Deadline } from './deadline';
import { LEASE_TABLE_ITEMS, LEASE_TABLE_SCHEMA } from './settings/lease-table';

const { partitionKey: KEY, ttlAttribute: TTL } = LEASE_TABLE_SCHEMA;

/** One lock per table: the table belongs to one DR pair. */

/** The most a lease release may take, in ms (within DEADLINE_RESERVE_MS's default 2 s). */
const RELEASE_BUDGET_MS = 1500;
export const LEASE_LOCK_ID = LEASE_TABLE_ITEMS.lease;

export interface LeaseHolder {
  readonly owner: string;
  /** Who holds it, e.g. `dr-operations failover (request 3f2a...)`. */
  readonly holder: string;
  readonly acquiredAt: string;
  readonly expiresAt: string;
  readonly expiresAtMs: number;
}

export type Acquisition = { readonly acquired: true } | { readonly acquired: false; readonly holder: LeaseHolder | undefined };

function holderOf(item: Record<string, { S?: string; N?: string }> | undefined): LeaseHolder | undefined {
  if (item === undefined) return undefined;
  const expiresAtMs = Number(item.expiresAtMs?.N);
  return {
    owner: item.owner?.S ?? '',
    holder: item.holder?.S ?? 'unknown',
    acquiredAt: item.acquiredAt?.S ?? '',
    expiresAt: item.expiresAt?.S ?? (Number.isFinite(expiresAtMs) ? new Date(expiresAtMs).toISOString() : ''),
    expiresAtMs: Number.isFinite(expiresAtMs) ? expiresAtMs : 0,
  };
}

export class LeaseTable {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    readonly tableName: string,
    private readonly deadline: Deadline,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the lease unless a live one is held; a lease past its expiry is taken over. */
  async acquire(owner: string, holder: string, expiresAtMs: number): Promise<Acquisition> {
    const now = this.now();
    try {
      await this.dynamodb.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [KEY]: { S: LEASE_LOCK_ID },
            owner: { S: owner },
            holder: { S: holder },
            acquiredAt: { S: new Date(now).toISOString() },
            expiresAt: { S: new Date(expiresAtMs).toISOString() },
            expiresAtMs: { N: String(expiresAtMs) },
            [TTL]: { N: String(Math.ceil(expiresAtMs / 1000)) },
          },
          ConditionExpression: `attribute_not_exists(${KEY}) OR expiresAtMs < :now`,
          ExpressionAttributeValues: { ':now': { N: String(now) } },
        }),
        untilDeadline(this.deadline),
      );
      return { acquired: true };
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
      return { acquired: false, holder: await this.current() };
    }
  }

  /** Gives the lease back if this owner still holds it; a lease taken over after expiry is left alone. */
  async release(owner: string): Promise<void> {
    try {
      await this.dynamodb.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { [KEY]: { S: LEASE_LOCK_ID } },
          ConditionExpression: '#owner = :owner',
          ExpressionAttributeNames: { '#owner': 'owner' },
          ExpressionAttributeValues: { ':owner': { S: owner } },
        }),
        // Release runs in the reserve after the deadline: bounded by its own small budget, and by
        // half of what is left before Lambda's timeout (a reserve smaller than 1.5 s would not hold it).
        { abortSignal: AbortSignal.timeout(this.deadline.cleanupBudgetMs(RELEASE_BUDGET_MS)) },
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException)) throw err;
    }
  }

  /** The live lease, if any (strongly consistent). */
  async current(): Promise<LeaseHolder | undefined> {
    const out = await this.dynamodb.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: LEASE_LOCK_ID } }, ConsistentRead: true }),
      untilDeadline(this.deadline),
    );
    const holder = holderOf(out.Item as Record<string, { S?: string; N?: string }> | undefined);
    return holder !== undefined && holder.expiresAtMs > this.now() ? holder : undefined;
  }

  /** True when `owner` holds the live lease (a chained call runs under its caller's lease). */
  async isHeldBy(owner: string): Promise<boolean> {
    const holder = await this.current();
    return holder?.owner === owner;
  }
}
