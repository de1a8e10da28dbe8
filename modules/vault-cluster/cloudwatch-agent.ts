import { clusterLogGroupNames, VAULT_NODE_PATHS, VAULT_STATSD_ADDRESS, vaultMetricsNamespace } from './defaults';

/**
 * The Amazon CloudWatch agent's configuration on a node: it ships the file audit device's log to
 * the cluster's encrypted audit log group, and publishes Vault's telemetry (statsd) to the
 * cluster's metrics namespace, where the audit failure alarm reads it. Pure.
 *
 * Every Vault metric becomes a CloudWatch custom metric (billed per metric); `omit_hostname` keeps
 * one series per metric for the whole cluster rather than one per node, and the `[]` aggregation
 * adds each metric without dimensions, which is what the alarm reads.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch-Agent-Configuration-File-Details.html
 */
export function renderCloudWatchAgentConfig(clusterName: string): string {
  const config = {
    agent: { omit_hostname: true },
    metrics: {
      namespace: vaultMetricsNamespace(clusterName),
      metrics_collected: {
        statsd: { service_address: VAULT_STATSD_ADDRESS, metrics_collection_interval: 10, metrics_aggregation_interval: 60 },
      },
      aggregation_dimensions: [[]],
    },
    logs: {
      logs_collected: {
        files: {
          collect_list: [
            {
              file_path: VAULT_NODE_PATHS.auditLogFile,
              log_group_name: clusterLogGroupNames(clusterName).audit,
              log_stream_name: '{instance_id}',
            },
          ],
        },
      },
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}
