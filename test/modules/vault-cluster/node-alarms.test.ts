/**
 * VaultCluster's alarms on Vault's own telemetry (the nodes' CloudWatch agent publishes it over
 * statsd to `Vault/<cluster>`, in the cluster's region) and on its load balancer.
 */
import { VaultCluster } from '../../../modules/vault-cluster';
import { renderCloudWatchAgentConfig } from '../../../modules/vault-cluster/cloudwatch-agent';
import { renderVaultConfig } from '../../../modules/vault-cluster/vault-config';
import { clusterProps } from './fixtures';
import { byId, ref, resources, synth } from './synth';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:alerts';

describe('VaultCluster node alarms', () => {
  const { doc } = synth((scope) => new VaultCluster(scope, 'Primary', clusterProps({ alarmActions: [TOPIC] })));
  const lb = byId(doc, 'aws_lb', 'LoadBalancer');
  const apiTargetGroup = byId(doc, 'aws_lb_target_group', 'ApiTargetGroup');

  it('a sealed node: a node out of the API target group, or one reporting vault.core.unsealed = 0, for 3 minutes', () => {
    const alarm = byId(doc, 'aws_cloudwatch_metric_alarm', 'NodeAlarms_SealedNode').body;
    expect(alarm).toEqual({
      alarm_name: 'vault-dev-primary-node-sealed',
      alarm_description: expect.stringContaining('Runbook: "A sealed node"'),
      metric_query: [
        {
          id: 'unhealthy',
          return_data: false,
          metric: {
            namespace: 'AWS/NetworkELB',
            metric_name: 'UnHealthyHostCount',
            dimensions: { LoadBalancer: ref('aws_lb', lb.id, 'arn_suffix'), TargetGroup: ref('aws_lb_target_group', apiTargetGroup.id, 'arn_suffix') },
            stat: 'Maximum',
            period: 60,
          },
        },
        // The cluster label Vault adds to its core gauges ends up in the statsd name.
        { id: 'unsealed', return_data: false, metric: { namespace: 'Vault/vault-dev-primary', metric_name: 'vault.core.unsealed.vault-dev-primary', stat: 'Minimum', period: 60 } },
        { id: 'sealed', label: expect.any(String), expression: 'MAX([FILL(unhealthy, 0), 1 - FILL(unsealed, 1)])', return_data: true },
      ],
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      comparison_operator: 'GreaterThanThreshold',
      threshold: 0,
      treat_missing_data: 'notBreaching',
      alarm_actions: [TOPIC],
      ok_actions: [TOPIC],
      tags: { VaultCluster: 'vault-dev-primary' },
    });
  });

  it('frequent leadership changes: more than 2 samples of vault.core.leadership_lost in 15 minutes', () => {
    const alarm = byId(doc, 'aws_cloudwatch_metric_alarm', 'NodeAlarms_LeadershipChanges').body;
    expect(alarm.metric_query).toEqual([
      { id: 'lost', return_data: false, metric: { namespace: 'Vault/vault-dev-primary', metric_name: 'vault.core.leadership_lost', stat: 'SampleCount', period: 900 } },
      { id: 'changes', label: 'Leadership losses', expression: 'FILL(lost, 0)', return_data: true },
    ]);
    expect(alarm).toMatchObject({ alarm_name: 'vault-dev-primary-leadership-changes', evaluation_periods: 1, comparison_operator: 'GreaterThanThreshold', threshold: 2, alarm_actions: [TOPIC] });
  });

  it('reads metrics the nodes publish: the agent sends statsd to the namespace the alarms read, Vault sends statsd to the agent, named by cluster_name', () => {
    const agent = JSON.parse(renderCloudWatchAgentConfig('vault-dev-primary'));
    expect(agent.metrics.namespace).toBe('Vault/vault-dev-primary');
    expect(agent.metrics.metrics_collected.statsd.service_address).toBe('127.0.0.1:8125');
    expect(agent.metrics.aggregation_dimensions).toEqual([[]]);
    const config = renderVaultConfig({ clusterName: 'vault-dev-primary', sealKmsKeyId: 'k', tlsServerName: 't', node: { id: 'i', privateIp: '10.0.0.1', region: 'us-east-1' } });
    expect(config).toContain('cluster_name  = "vault-dev-primary"');
    expect(config).toContain('statsd_address            = "127.0.0.1:8125"');
  });

  it('every cluster alarm has a runbook pointer and notifies the cluster\'s alarm actions', () => {
    for (const [, alarm] of resources(doc, 'aws_cloudwatch_metric_alarm')) {
      expect(alarm.alarm_description).toMatch(/runbook/i);
      expect(alarm.alarm_actions).toEqual([TOPIC]);
    }
  });
});
