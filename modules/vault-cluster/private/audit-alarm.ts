import { CloudwatchMetricAlarm } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { Construct } from 'constructs';
import { VAULT_AUDIT_FAILURE_METRICS, vaultMetricsNamespace } from '../defaults';

export interface AuditFailureAlarmProps {
  readonly baseName: string;
  readonly alarmActions: readonly string[];
  readonly provider?: TerraformProvider;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Fires when Vault reports an audit failure: vault.audit.log_request_failure or
 * log_response_failure counts a request or response that no audit device could log. When every
 * device fails Vault refuses requests; any non-zero value needs attention at once (Vault telemetry
 * reference, audit metrics).
 * https://developer.hashicorp.com/vault/docs/internals/telemetry/metrics/audit
 */
export class AuditFailureAlarm extends Construct {
  public readonly alarm: CloudwatchMetricAlarm;

  constructor(scope: Construct, id: string, props: AuditFailureAlarmProps) {
    super(scope, id);
    const [requests, responses] = VAULT_AUDIT_FAILURE_METRICS;
    const metric = (queryId: string, metricName: string) => ({
      id: queryId,
      returnData: false,
      metric: { namespace: vaultMetricsNamespace(props.baseName), metricName, stat: 'Sum', period: 60 },
    });
    this.alarm = new CloudwatchMetricAlarm(this, 'Alarm', {
      provider: props.provider,
      alarmName: `${props.baseName}-audit-failures`,
      alarmDescription:
        `${props.baseName}: Vault could not write a request or response to its audit log. When no audit device can log, Vault ` +
        'refuses requests. Check the audit log file and disk on the nodes (Vault DR runbook: docs/runbook.md in @vault-dr/cdktf).',
      metricQuery: [
        metric('requests', requests),
        metric('responses', responses),
        // A counter Vault does not send in a minute is no failure, not missing data.
        { id: 'failures', label: 'Audit failures', expression: 'FILL(requests, 0) + FILL(responses, 0)', returnData: true },
      ],
      evaluationPeriods: 1,
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 0,
      treatMissingData: 'notBreaching',
      alarmActions: [...props.alarmActions],
      okActions: [...props.alarmActions],
      tags: props.tags,
    });
  }
}
