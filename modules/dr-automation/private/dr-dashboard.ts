import { Construct } from 'constructs';
import { CloudwatchDashboard } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import type { VaultClusterEndpoint } from '../../shared/vault-cluster-endpoint';
import { vaultMetricsNamespace, vaultTelemetryNames } from '../../vault-cluster/defaults';
import { DR_TOKEN_METRIC, WATCHDOG_METRICS as M } from '../defaults';

export interface DrDashboardProps {
  readonly dashboardName: string;
  /** The functions' region (where the watchdog's and the generator's metrics are). */
  readonly region: string;
  readonly metricEnvironment: string;
  readonly clusters: readonly [VaultClusterEndpoint, VaultClusterEndpoint];
  readonly environment: string;
  readonly watchdogMode: string;
  /** Log groups of dr-operations and of the watchdog, for the timelines. */
  readonly operationsLogGroup: string;
  readonly watchdogLogGroup: string;
  readonly alarmArns: readonly string[];
  readonly provider?: TerraformProvider;
}

type Widget = { type: 'metric' | 'log' | 'alarm' | 'text'; x: number; y: number; width: number; height: number; properties: Record<string, unknown> };

const WIDTH = 24;

/** Lays widgets out in rows, left to right. */
class Layout {
  private x = 0;
  private y = 0;
  private rowHeight = 0;
  readonly widgets: Widget[] = [];

  add(type: Widget['type'], width: number, height: number, properties: Record<string, unknown>): void {
    if (this.x + width > WIDTH) {
      this.x = 0;
      this.y += this.rowHeight;
      this.rowHeight = 0;
    }
    this.widgets.push({ type, x: this.x, y: this.y, width, height, properties });
    this.x += width;
    this.rowHeight = Math.max(this.rowHeight, height);
  }
}

/**
 * The pair's CloudWatch dashboard, in the functions' region: both clusters' role and health as the
 * watchdog sees them, replication state and lag, the DR token's remaining time, the watchdog's
 * observations and verdicts, the alarms, each cluster's own Vault telemetry (in its region, where
 * its nodes publish it), and the last failovers' timelines from dr-operations' log (Logs Insights).
 * Pure layout: every value is a metric or a log the functions and the nodes already write.
 */
export class DrDashboard extends Construct {
  readonly dashboardName: string;

  constructor(scope: Construct, id: string, props: DrDashboardProps) {
    super(scope, id);
    const { region } = props;
    const env = { [M.dimension]: props.metricEnvironment };
    const pair = (metric: string, label: string, extra: Record<string, unknown> = {}) => [M.namespace, metric, M.dimension, env[M.dimension], { label, ...extra }];
    const perCluster = (metric: string, label: string) =>
      props.clusters.map((c) => [M.namespace, metric, M.dimension, env[M.dimension], M.clusterDimension, c.name, { label: `${c.name} ${label}` }]);
    const layout = new Layout();
    const metricWidget = (title: string, width: number, metrics: unknown[], extra: Record<string, unknown> = {}) =>
      layout.add('metric', width, 6, { title, region, view: 'timeSeries', stacked: false, period: 60, stat: 'Maximum', metrics, ...extra });

    layout.add('text', WIDTH, 2, {
      markdown:
        `## Vault DR ${props.environment}: ${props.clusters.map((c) => c.name).join(' / ')}\n` +
        `Watchdog mode **${props.watchdogMode}** (WATCHDOG_MODE). Roles, health and replication are as the watchdog sees them from ${region}, once a minute. ` +
        'Runbook: docs/runbook.md in @vault-dr/cdktf, section 12 (alarms).',
    });
    layout.add('alarm', WIDTH, 3, { title: 'Alarms', alarms: [...props.alarmArns], sortBy: 'stateUpdatedTimestamp' });

    metricWidget('Role: active DR primary (1) per cluster', 8, perCluster(M.clusterPrimary, 'active primary'), { yAxis: { left: { min: 0, max: 1 } } });
    metricWidget('Role: DR secondary (1) per cluster', 8, perCluster(M.clusterSecondary, 'DR secondary'), { yAxis: { left: { min: 0, max: 1 } } });
    metricWidget('Health: reachable (1), sealed answers', 8, [...perCluster(M.clusterReachable, 'reachable'), ...perCluster(M.clusterSealed, 'sealed answers')]);

    metricWidget('Replication: secondary streaming, secondary sees primary', 8, [pair(M.secondaryStreaming, 'stream-wals (1)'), pair(M.secondarySeesPrimary, 'secondary sees primary (1)')], {
      yAxis: { left: { min: 0, max: 1 } },
    });
    metricWidget('Replication lag: WAL gap', 8, [pair(M.walGap, 'WAL entries behind')]);
    metricWidget('Replication lag: last heartbeat age (s)', 8, [pair(M.heartbeatAge, 'heartbeat age')]);

    metricWidget('Watchdog: probes of the primary, down', 8, [pair(M.primaryProbes, 'probes', { stat: 'Sum' }), pair(M.primaryProbesDown, 'found down', { stat: 'Sum' })]);
    metricWidget('Watchdog: verdicts', 8, [
      pair(M.primaryDownAgreed, 'every vantage point: down'),
      pair(M.wouldFailOver, 'rule met'),
      pair(M.failoverStarted, 'failover started'),
      pair(M.armed, 'armed'),
    ]);
    metricWidget('Watchdog: runs per minute, pages that failed', 8, [pair(M.run, 'runs', { stat: 'Sum' }), pair(M.pageFailed, 'page failed', { stat: 'Sum' })]);

    metricWidget(
      'DR token: hours to expiry at each refresh',
      12,
      [
        [{ expression: 'seconds / 3600', label: 'hours to expiry', id: 'hours' }],
        [DR_TOKEN_METRIC.namespace, DR_TOKEN_METRIC.secondsToExpiryMetricName, DR_TOKEN_METRIC.dimension, props.metricEnvironment, { id: 'seconds', visible: false, stat: 'Minimum' }],
      ],
      { period: 3600 },
    );
    metricWidget('DR token: successful refreshes', 12, [[DR_TOKEN_METRIC.namespace, DR_TOKEN_METRIC.metricName, DR_TOKEN_METRIC.dimension, props.metricEnvironment, { stat: 'Sum', label: 'refreshes' }]], {
      period: 3600,
    });

    // Each cluster's own telemetry, read in its own region (where its nodes' CloudWatch agent publishes it).
    for (const cluster of props.clusters) {
      const names = vaultTelemetryNames(cluster.name);
      const ns = vaultMetricsNamespace(cluster.name);
      metricWidget(
        `${cluster.name}: Vault telemetry (its region)`,
        12,
        [
          [ns, names.unsealed, { label: 'unsealed (min over nodes)', stat: 'Minimum' }],
          [ns, names.active, { label: 'active node (max)', stat: 'Maximum' }],
          [ns, names.leadershipLost, { label: 'leadership lost', stat: 'SampleCount' }],
        ],
        { region: cluster.region ?? region, period: 300 },
      );
    }

    const source = (group: string) => `SOURCE '${group}'`;
    layout.add('log', WIDTH, 8, {
      title: 'Last failovers and switchovers: timeline (dr-operations log)',
      region,
      view: 'table',
      query: [
        source(props.operationsLogGroup),
        'fields @timestamp, operation, outcome, summary, reason, requestId',
        // Final lines only: a success carries its outcome, a failure is logged at error level.
        'filter function = "dr-operations" and operation in ["failover", "switchover", "link"] and (outcome in ["succeeded", "no-op"] or level = "error")',
        'sort @timestamp desc',
        'limit 20',
      ].join(' | '),
    });
    layout.add('log', WIDTH, 8, {
      title: 'Steps of the last failover (dr-operations timeline, newest first)',
      region,
      view: 'table',
      query: [
        source(props.operationsLogGroup),
        'fields @timestamp, requestId, timeline.0.step, timeline.0.durationMs, timeline.1.step, timeline.1.durationMs, timeline.2.step, timeline.2.durationMs, timeline.3.step, timeline.3.durationMs, timeline.4.step, timeline.4.durationMs, timeline.5.step, timeline.5.durationMs',
        'filter function = "dr-operations" and operation = "failover" and (outcome in ["succeeded", "no-op"] or level = "error")',
        'sort @timestamp desc',
        'limit 3',
      ].join(' | '),
    });
    layout.add('log', WIDTH, 6, {
      title: 'Watchdog verdicts other than "no failover"',
      region,
      view: 'table',
      query: [source(props.watchdogLogGroup), 'fields @timestamp, message, armed', 'filter function = "dr-watchdog" and action.kind != "none"', 'sort @timestamp desc', 'limit 20'].join(' | '),
    });

    const dashboard = new CloudwatchDashboard(this, 'Dashboard', {
      provider: props.provider,
      dashboardName: props.dashboardName,
      dashboardBody: JSON.stringify({ widgets: layout.widgets }),
    });
    this.dashboardName = dashboard.dashboardName;
  }
}
