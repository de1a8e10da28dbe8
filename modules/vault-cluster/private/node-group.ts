import { AutoscalingGroup, DataAwsSsmParameter, LaunchTemplate } from '../../internal/aws';
import { Fn, type TerraformProvider, Token } from '../../internal/cdktf';
import { Construct } from 'constructs';
import { AUTO_JOIN_TAG_KEY, VAULT_NODE_PATHS } from '../defaults';
import type { VaultMachineImage, VaultTlsSecrets } from '../types';
import { renderUserData } from '../user-data';
import { asTerraformFunctionString } from './terraform-string';

export interface NodeGroupProps {
  readonly baseName: string;
  readonly nodeCount: number;
  readonly subnetIds: readonly string[];
  readonly image: VaultMachineImage;
  readonly instanceType: string;
  readonly rootDeviceName: string;
  readonly rootVolumeSizeGiB: number;
  readonly dataVolumeSizeGiB: number;
  readonly dataVolumeIops: number;
  readonly dataVolumeThroughput: number;
  readonly kmsKeyArn: string;
  readonly instanceProfileArn: string;
  readonly securityGroupId: string;
  readonly targetGroupArns: readonly string[];
  readonly tls: VaultTlsSecrets;
  readonly licenseSecretArn: string;
  readonly tlsServerName: string;
  readonly healthCheckGracePeriodSeconds: number;
  readonly instanceWarmupSeconds: number;
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/** Group metrics worth having on a dashboard next to the quorum alarm. */
const GROUP_METRICS = [
  'GroupDesiredCapacity',
  'GroupInServiceInstances',
  'GroupPendingInstances',
  'GroupTerminatingInstances',
  'GroupTotalInstances',
];

/**
 * Highest healthy percentage that lets exactly one extra node exist while one is replaced
 * (launch before terminate, one at a time): 120 for 5 nodes, 134 for 3.
 */
export function oneExtraNodePercentage(nodeCount: number): number {
  return Math.ceil((100 * (nodeCount + 1)) / nodeCount);
}

/** Launch template and Auto Scaling group of the Vault nodes. */
export class NodeGroup extends Construct {
  public readonly launchTemplate: LaunchTemplate;
  public readonly autoScalingGroup: AutoscalingGroup;

  constructor(scope: Construct, id: string, props: NodeGroupProps) {
    super(scope, id);
    const imageId =
      props.image.amiId ??
      // An AMI id is not secret; insecure_value keeps it readable in plans.
      new DataAwsSsmParameter(this, 'Image', { provider: props.provider, name: props.image.ssmParameterName ?? '' }).insecureValue;

    const volume = (sizeGiB: number) => ({
      volumeType: 'gp3',
      volumeSize: sizeGiB,
      encrypted: 'true',
      kmsKeyId: props.kmsKeyArn,
      deleteOnTermination: 'true',
    });

    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      provider: props.provider,
      name: props.baseName,
      description: `Vault nodes of ${props.baseName}`,
      imageId,
      instanceType: props.instanceType,
      updateDefaultVersion: true,
      ebsOptimized: 'true',
      iamInstanceProfile: { arn: props.instanceProfileArn },
      vpcSecurityGroupIds: [props.securityGroupId],
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        // 1 keeps the role's credentials on the host: no container or forwarded hop reaches IMDS.
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      monitoring: { enabled: true },
      blockDeviceMappings: [
        { deviceName: props.rootDeviceName, ebs: volume(props.rootVolumeSizeGiB) },
        {
          deviceName: VAULT_NODE_PATHS.dataDevice,
          ebs: { ...volume(props.dataVolumeSizeGiB), iops: props.dataVolumeIops, throughput: props.dataVolumeThroughput },
        },
      ],
      // base64encode at apply: the script holds Terraform references (the seal key ARN, maybe the
      // secret ARNs), so it cannot be encoded at synth. Same props, same expression.
      userData: Fn.base64encode(
        asTerraformFunctionString(
          renderUserData({
            clusterName: props.baseName,
            sealKmsKeyId: props.kmsKeyArn,
            tlsServerName: props.tlsServerName,
            tls: props.tls,
            licenseSecretArn: props.licenseSecretArn,
          }),
        ),
      ),
      tagSpecifications: [{ resourceType: 'volume', tags: { ...props.tags, Name: props.baseName } }],
      tags: { ...props.tags, Name: props.baseName },
    });

    const oneExtra = oneExtraNodePercentage(props.nodeCount);
    this.autoScalingGroup = new AutoscalingGroup(this, 'AutoScalingGroup', {
      provider: props.provider,
      name: props.baseName,
      minSize: props.nodeCount,
      maxSize: props.nodeCount,
      desiredCapacity: props.nodeCount,
      vpcZoneIdentifier: [...props.subnetIds],
      targetGroupArns: [...props.targetGroupArns],
      healthCheckType: 'ELB',
      healthCheckGracePeriod: props.healthCheckGracePeriodSeconds,
      // A pinned version number, not $Latest: a new template version is a planned change that
      // starts the instance refresh below.
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      // Replacing an unhealthy node launches its successor first and terminates the old one only
      // once the successor is healthy: one node at a time, and never a node whose replacement
      // cannot join (when the whole cluster is sealed, its Raft data survives on the old nodes).
      instanceMaintenancePolicy: { minHealthyPercentage: 100, maxHealthyPercentage: oneExtra },
      instanceRefresh: {
        strategy: 'Rolling',
        preferences: {
          minHealthyPercentage: 100,
          maxHealthyPercentage: oneExtra,
          instanceWarmup: String(props.instanceWarmupSeconds),
          skipMatching: true,
          autoRollback: true,
        },
      },
      terminationPolicies: ['OldestLaunchTemplate', 'OldestInstance'],
      enabledMetrics: GROUP_METRICS,
      waitForCapacityTimeout: '15m',
      tag: Object.entries({
        ...props.tags,
        Name: props.baseName,
        // Raft's retry_join finds its peers by this tag (auto_join); the value is unique per cluster.
        [AUTO_JOIN_TAG_KEY]: props.baseName,
      }).map(([key, value]) => ({ key, value, propagateAtLaunch: true })),
    });
  }
}
