import { CloudwatchMetricAlarm } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import { raftQuorum } from '../health-check';

export interface QuorumAlarmProps {
  readonly baseName: string;
  readonly nodeCount: number;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly alarmActions: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Fires when fewer nodes pass the API health check than a Raft quorum. With that check, healthy
 * means initialised, unsealed and the leader or in contact with it, whatever the replication role
 * (see health-check.ts), so the count is the number of live, connected voters.
 */
export class QuorumAlarm extends Construct {
  public readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: QuorumAlarmProps) {
    super(scope, id);
    const quorum = raftQuorum(props.nodeCount);
    this.alarm = new CloudwatchMetricAlarm(this, 'Alarm', {
      provider: props.provider,
      alarmName: `${props.baseName}-healthy-nodes-below-quorum`,
      alarmDescription:
        `${props.baseName}: fewer than ${quorum} of ${props.nodeCount} Vault nodes are initialised, unsealed and connected ` +
        '(API target group HealthyHostCount). Below quorum Raft cannot commit writes. See the Vault DR runbook (docs/runbook.md in @vault-dr/cdktf).',
      namespace: 'AWS/NetworkELB',
      metricName: 'HealthyHostCount',
      dimensions: { LoadBalancer: props.loadBalancerArnSuffix, TargetGroup: props.targetGroupArnSuffix },
      statistic: 'Minimum',
      period: 60,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      threshold: quorum,
      comparisonOperator: 'LessThanThreshold',
      // No data means the load balancer or its health checks are gone: not a reason to be calm.
      treatMissingData: 'breaching',
      alarmActions: [...props.alarmActions],
      okActions: [...props.alarmActions],
      tags: props.tags,
    });
  }
}
