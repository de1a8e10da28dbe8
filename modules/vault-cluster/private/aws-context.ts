import { DataAwsCallerIdentity, DataAwsPartition, DataAwsRegion } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';

/** Account, partition and region of one provider, for building ARNs and service names. */
export class AwsContext extends Construct {
  public readonly accountId: string;
  public readonly partition: string;
  public readonly region: string;
  /** `arn:<partition>:iam::<account>:root`: the account itself as a principal. */
  public readonly accountRootArn: string;

  constructor(scope: Construct, id: string, provider?: TerraformProvider) {
    super(scope, id);
    this.accountId = new DataAwsCallerIdentity(this, 'CallerIdentity', { provider }).accountId;
    this.partition = new DataAwsPartition(this, 'Partition', { provider }).partition;
    this.region = new DataAwsRegion(this, 'Region', { provider }).region;
    this.accountRootArn = `arn:${this.partition}:iam::${this.accountId}:root`;
  }
}
