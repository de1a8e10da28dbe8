import { Construct } from 'constructs';
import { DynamodbTable } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { LEASE_TABLE_SCHEMA } from '../defaults';

export interface LeaseTableProps {
  readonly tableName: string;
  readonly keyArn: string;
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
}

/**
 * The lease that lets one DR operation run at a time across every entry point (issue 8): an item
 * per lock taken with a conditional write, and expired by DynamoDB's TTL on `expiresAtEpoch` so a
 * crashed holder does not block for ever (the functions also compare the expiry themselves: TTL
 * deletion is eventual). On demand, because it sees a handful of writes a day.
 */
export class LeaseTable extends Construct {
  readonly tableName: string;
  readonly tableArn: string;

  constructor(scope: Construct, id: string, props: LeaseTableProps) {
    super(scope, id);
    const table = new DynamodbTable(this, 'Table', {
      provider: props.provider,
      name: props.tableName,
      billingMode: 'PAY_PER_REQUEST',
      hashKey: LEASE_TABLE_SCHEMA.partitionKey,
      attribute: [{ name: LEASE_TABLE_SCHEMA.partitionKey, type: 'S' }],
      ttl: { attributeName: LEASE_TABLE_SCHEMA.ttlAttribute, enabled: true },
      serverSideEncryption: { enabled: true, kmsKeyArn: props.keyArn },
      pointInTimeRecovery: { enabled: true },
      // Losing the table mid-failover would let a second operation start.
      deletionProtectionEnabled: true,
      tags: props.tags,
    });
    this.tableName = table.name;
    this.tableArn = table.arn;
  }
}
