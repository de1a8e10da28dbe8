/**
 * The record of the cluster the DR operations last made the primary (or, resolving a split brain,
 * chose to keep). Nothing in the clusters' own answers says which of them clients have been writing
 * to: after a failover whose demote of the old primary got no answer, the old primary can come back
 * as a primary while the promoted one is sealed or unreachable, and then it looks like the only
 * primary. This record tells the two apart, so no operation keeps the stale one (and drops the
 * writes the promoted one took) without being told to.
 *
 * Written under the lease, before every promote request (a promote whose effect is unknown leaves
 * the record on the cluster it was sent to: the safe side), put back when the promote certainly did
 * not happen. Item (in the lease table): `lockId` = LEASE_TABLE_ITEMS.primary, `cluster` (S),
 * `recordedAt` (S, ISO-8601), `by` (S, the operation and its request id). It has no TTL attribute:
 * it is kept until the next promotion replaces it.
 */
import { GetItemCommand, PutItemCommand, DeleteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { untilDeadline } from './aws-client-options';
import type { Deadline } from './deadline';
import { LEASE_TABLE_ITEMS, LEASE_TABLE_SCHEMA } from './settings/lease-table';

const KEY = { [LEASE_TABLE_SCHEMA.partitionKey]: { S: LEASE_TABLE_ITEMS.primary } };

export interface PrimaryRecord {
  readonly cluster: string;
  readonly recordedAt: string;
  /** The operation that wrote it, e.g. `dr-operations failover (request 3f2a...)`. */
  readonly by: string;
}

type Item = Record<string, { S?: string }> | undefined;

function recordOf(item: Item): PrimaryRecord | undefined {
  const cluster = item?.cluster?.S;
  if (cluster === undefined) return undefined;
  return { cluster, recordedAt: item?.recordedAt?.S ?? '', by: item?.by?.S ?? 'unknown' };
}

export class PrimaryRecordStore {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    private readonly tableName: string,
    private readonly deadline: Deadline,
    /** Who writes, for the record's `by`. */
    private readonly writer: string,
    private readonly now: () => number = Date.now,
  ) {}

  /** The current record (strongly consistent), or undefined when no operation has promoted yet. */
  async read(): Promise<PrimaryRecord | undefined> {
    const out = await this.dynamodb.send(new GetItemCommand({ TableName: this.tableName, Key: KEY, ConsistentRead: true }), untilDeadline(this.deadline));
    return recordOf(out.Item as Item);
  }

  /** Records `cluster` as the primary; returns the record it replaced. */
  async write(cluster: string): Promise<PrimaryRecord | undefined> {
    const out = await this.dynamodb.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { ...KEY, cluster: { S: cluster }, recordedAt: { S: new Date(this.now()).toISOString() }, by: { S: this.writer } },
        ReturnValues: 'ALL_OLD',
      }),
      untilDeadline(this.deadline),
    );
    return recordOf(out.Attributes as Item);
  }

  /** Puts back what `write` replaced (a promote that certainly did not happen). */
  async restore(previous: PrimaryRecord | undefined): Promise<void> {
    if (previous === undefined) {
      await this.dynamodb.send(new DeleteItemCommand({ TableName: this.tableName, Key: KEY }), untilDeadline(this.deadline));
      return;
    }
    await this.dynamodb.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { ...KEY, cluster: { S: previous.cluster }, recordedAt: { S: previous.recordedAt }, by: { S: previous.by } },
      }),
      untilDeadline(this.deadline),
    );
  }
}
