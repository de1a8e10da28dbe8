import { CloudwatchMetricAlarm } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import { vaultMetricsNamespace, vaultTelemetryNames } from '../defaults';

export interface NodeAlarmsProps {
  readonly baseName: string;
  readonly loadBalancerArnSuffix: string;
  readonly targetGroupArnSuffix: string;
  readonly alarmActions: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/** Minutes a node must fail before the sealed-node alarm fires: longer than a replacement node's join. */
export const SEALED_NODE_MINUTES = 3;
/** Leadership losses in the window that count as flapping (one is a normal step-down or upgrade). */
export const LEADERSHIP_CHANGES_THRESHOLD = 2;
export const LEADERSHIP_WINDOW_SECONDS = 900;

/**
 * The cluster's node-level alarms, in the cluster's own region (where its nodes publish Vault's
 * telemetry and where its load balancer's metrics are):
 *
 * - a sealed node: a node out of the API target group (the health check answers 503 sealed, 501
 *   not initialised, 530 removed, 474 cut from the active node: modules/vault-cluster/health-check.ts),
 *   or a node reporting vault.core.unsealed = 0. A sealed Vault stops its metrics loop, so the gauge
 *   alone would mostly go silent: the target group sees it either way.
 * - frequent leadership changes: more than LEADERSHIP_CHANGES_THRESHOLD samples of
 *   vault.core.leadership_lost (one per leadership a node loses; "frequent updates ... with low
 *   leadership times indicates flapping") in 15 minutes.
 * https://developer.hashicorp.com/vault/docs/internals/telemetry/metrics/core-system
 */
export class NodeAlarms extends Construct {
  public readonly sealedNodeAlarm: CloudwatchMetricAlarm;
  public readonly leadershipAlarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: NodeAlarmsProps) {
    super(scope, id);
    const names = vaultTelemetryNames(props.baseName);
    const namespace = vaultMetricsNamespace(props.baseName);
    const actions = { alarmActions: [...props.alarmActions], okActions: [...props.alarmActions] };

    this.sealedNodeAlarm = new CloudwatchMetricAlarm(this, 'SealedNode', {
      provider: props.provider,
      alarmName: `${props.baseName}-node-sealed`,
      alarmDescription:
        `${props.baseName}: a node is sealed, or out of the load balancer for another reason (not initialised, removed from Raft, cut from the active node) for ` +
        `${SEALED_NODE_MINUTES} minutes. Runbook: "A sealed node" (docs/runbook.md in @vault-dr/cdktf).`,
      metricQuery: [
        {
          id: 'unhealthy',
          returnData: false,
          metric: {
            namespace: 'AWS/NetworkELB',
            metricName: 'UnHealthyHostCount',
            dimensions: { LoadBalancer: props.loadBalancerArnSuffix, TargetGroup: props.targetGroupArnSuffix },
            stat: 'Maximum',
            period: 60,
          },
        },
        { id: 'unsealed', returnData: false, metric: { namespace, metricName: names.unsealed, stat: 'Minimum', period: 60 } },
        // A missing gauge is no sealed node (a sealed one goes silent: the target group counts it).
        { id: 'sealed', label: 'Nodes out of service, or a node reporting sealed', expression: 'MAX([FILL(unhealthy, 0), 1 - FILL(unsealed, 1)])', returnData: true },
      ],
      evaluationPeriods: SEALED_NODE_MINUTES,
      datapointsToAlarm: SEALED_NODE_MINUTES,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      treatMissingData: 'notBreaching',
      ...actions,
      tags: props.tags,
    });

    this.leadershipAlarm = new CloudwatchMetricAlarm(this, 'LeadershipChanges', {
      provider: props.provider,
      alarmName: `${props.baseName}-leadership-changes`,
      alarmDescription:
        `${props.baseName}: more than ${LEADERSHIP_CHANGES_THRESHOLD} leadership losses in ${LEADERSHIP_WINDOW_SECONDS / 60} minutes (vault.core.leadership_lost): ` +
        'the active node is flapping. Runbook: "Frequent leadership changes" (docs/runbook.md in @vault-dr/cdktf).',
      metricQuery: [
        { id: 'lost', returnData: false, metric: { namespace, metricName: names.leadershipLost, stat: 'SampleCount', period: LEADERSHIP_WINDOW_SECONDS } },
        { id: 'changes', label: 'Leadership losses', expression: 'FILL(lost, 0)', returnData: true },
      ],
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: LEADERSHIP_CHANGES_THRESHOLD,
      treatMissingData: 'notBreaching',
      ...actions,
      tags: props.tags,
    });
  }
}
