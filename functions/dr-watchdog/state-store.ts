/**
 * The watchdog's memory between runs: one item in the lease table (`lockId` = WATCHDOG_ITEM_ID),
 * beside the lease item and never mistaken for it (functions/shared/lease.ts reads only its own
 * id). It holds the state (armed, the last failover, the episode last paged for) and the recent
 * runs, as JSON, with a version number: every write is conditional on the version read, so two
 * overlapping runs cannot both act on one reading. It has no TTL attribute: DynamoDB never expires it.
 *
 * Actions used: GetItem (consistent) and PutItem, on this item only (the construct's IAM condition
 * dynamodb:LeadingKeys holds the watchdog to it).
 */
import { ConditionalCheckFailedException, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as v from 'valibot';
import { untilDeadline } from '../shared/aws-client-options';
import type { Deadline } from '../shared/deadline';
import { LEASE_TABLE_ITEMS, LEASE_TABLE_SCHEMA } from '../shared/settings/lease-table';
import { INITIAL_STATE, type Round, type WatchdogState } from './decision';

/** The item's partition key value. */
export const WATCHDOG_ITEM_ID = LEASE_TABLE_ITEMS.watchdog;

const KEY = LEASE_TABLE_SCHEMA.partitionKey;

export interface StoredWatchdog {
  readonly version: number;
  readonly state: WatchdogState;
  readonly rounds: readonly Round[];
}

const vote = v.picklist(['down', 'alive', 'unknown']);
const roundSchema = v.object({
  atMs: v.number(),
  primary: v.optional(v.string()),
  secondary: v.optional(v.string()),
  probes: v.array(vote),
  secondaryView: vote,
  secondaryHealthy: v.boolean(),
  walGap: v.optional(v.number()),
});
const stateSchema = v.object({
  armed: v.boolean(),
  disarmedAtMs: v.optional(v.number()),
  disarmedBecause: v.optional(v.string()),
  pagedEpisodeMs: v.optional(v.number()),
  lastFailover: v.optional(v.object({ atMs: v.number(), primary: v.string(), target: v.string(), outcome: v.string() })),
});

/** The stored item could not be read as the watchdog's: it is not trusted, and the watchdog stays disarmed. */
export class CorruptWatchdogStateError extends Error {
  override readonly name = 'CorruptWatchdogStateError';
}

/** Another run wrote the item since it was read: this run's decision is dropped. */
export class WatchdogStateConflictError extends Error {
  override readonly name = 'WatchdogStateConflictError';
}

function parseJson<T>(text: string | undefined, schema: v.GenericSchema<unknown, T>, what: string): T {
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new CorruptWatchdogStateError(`the watchdog's ${what} in its item (${WATCHDOG_ITEM_ID}) is not JSON`);
  }
  const parsed = v.safeParse(schema, value);
  if (!parsed.success) throw new CorruptWatchdogStateError(`the watchdog's ${what} in its item (${WATCHDOG_ITEM_ID}) is not valid: ${parsed.issues[0]?.message}`);
  return parsed.output;
}

/** Drops the keys whose value is undefined (valibot's optional fields come out as present-but-undefined). */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, x]) => x !== undefined)) as T;
}

export class WatchdogStateStore {
  constructor(
    private readonly dynamodb: DynamoDBClient,
    readonly tableName: string,
    private readonly deadline: Deadline,
  ) {}

  /** The stored state, or the initial one (armed, no history) when there is no item yet. */
  async read(): Promise<StoredWatchdog> {
    const out = await this.dynamodb.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: WATCHDOG_ITEM_ID } }, ConsistentRead: true }),
      untilDeadline(this.deadline),
    );
    if (out.Item === undefined) return { version: 0, state: INITIAL_STATE, rounds: [] };
    const version = Number(out.Item.version?.N);
    if (!Number.isSafeInteger(version) || version < 1) throw new CorruptWatchdogStateError(`the watchdog's item (${WATCHDOG_ITEM_ID}) has no valid version`);
    return {
      version,
      state: defined(parseJson(out.Item.state?.S, stateSchema, 'state')) as WatchdogState,
      rounds: parseJson(out.Item.rounds?.S, v.array(roundSchema), 'history').map((r) => defined(r) as Round),
    };
  }

  /** Writes the next version, only if the item is still at `previousVersion`; throws WatchdogStateConflictError otherwise. */
  async write(previousVersion: number, state: WatchdogState, rounds: readonly Round[], nowMs: number): Promise<number> {
    const version = previousVersion + 1;
    try {
      await this.dynamodb.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [KEY]: { S: WATCHDOG_ITEM_ID },
            version: { N: String(version) },
            state: { S: JSON.stringify(state) },
            rounds: { S: JSON.stringify(rounds) },
            updatedAt: { S: new Date(nowMs).toISOString() },
          },
          ConditionExpression: previousVersion === 0 ? `attribute_not_exists(${KEY})` : '#version = :version',
          ...(previousVersion === 0 ? {} : { ExpressionAttributeNames: { '#version': 'version' }, ExpressionAttributeValues: { ':version': { N: String(previousVersion) } } }),
        }),
        untilDeadline(this.deadline),
      );
      return version;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new WatchdogStateConflictError(`another run wrote the watchdog's state since this run read it (version ${previousVersion}); this run's decision is dropped`);
      }
      throw err;
    }
  }
}
