import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { MONITORING_DEFAULTS, WATCHDOG_METRICS as M } from '../defaults';
import type { DrResourceNames } from '../names';

export interface PairAlarmsProps {
  readonly names: DrResourceNames;
  /** Value of the watchdog's `Environment` metric dimension. */
  readonly metricEnvironment: string;
  readonly maxReplicationWalGap: number;
  readonly alarmActions: readonly string[];
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
}

/** One point a minute: the watchdog runs every minute. */
const MINUTE = 60;

/**
 * The alarms about the PAIR, evaluated in the functions' region (the DR region) on the watchdog's
 * metrics: the watchdog probes both clusters from there, so these outlive the primary's region,
 * whose own alarms (quorum, audit, sealed node) die with it. CloudWatch alarms only read metrics
 * of their own region.
 *
 * - the DR secondary not streaming (any state but stream-wals) for minutes;
 * - replication lag: the WAL index gap, or the age of the secondary's last heartbeat, above bounds;
 * - no active primary: no cluster answered the watchdog as an active DR primary for minutes;
 * - the watchdog not reporting (its runs stopped: no one watches, no one fails over);
 * - the watchdog's rule met: a failover ran, would run (notify), or is blocked (pages through the
 *   alarm actions as well as the watchdog's own SNS page).
 *
 * Each alarm description names its runbook section.
 */
export class PairAlarms extends Construct {
  readonly alarmArns: readonly string[];

  constructor(scope: Construct, id: string, props: PairAlarmsProps) {
    super(scope, id);
    const { provider, names, tags } = props;
    const actions = props.alarmActions.length > 0 ? { alarmActions: [...props.alarmActions], okActions: [...props.alarmActions] } : {};
    const dimensions = { [M.dimension]: props.metricEnvironment };
    const watchdogMetric = (queryId: string, metricName: string, stat: string) => ({
      id: queryId,
      returnData: false,
      metric: { namespace: M.namespace, metricName, dimensions, stat, period: MINUTE },
    });
    const d = MONITORING_DEFAULTS;
    const arns: string[] = [];

    arns.push(
      new CloudwatchMetricAlarm(this, 'SecondaryNotStreaming', {
        provider,
        alarmName: names.alarms.secondaryNotStreaming,
        alarmDescription:
          `The DR secondary has not reported state stream-wals for ${d.secondaryNotStreamingMinutes} minutes (merkle-diff, merkle-sync, idle, or no DR secondary at all): ` +
          'a failover now could lose data or be refused. Runbook: "DR secondary not streaming".',
        namespace: M.namespace,
        metricName: M.secondaryStreaming,
        dimensions,
        statistic: 'Minimum',
        period: MINUTE,
        evaluationPeriods: d.secondaryNotStreamingMinutes,
        datapointsToAlarm: d.secondaryNotStreamingMinutes,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        // No point means the watchdog did not run: its own alarm says so.
        treatMissingData: 'notBreaching',
        ...actions,
        tags,
      }).arn,
    );

    // Each bound is 1 after the division: the larger of the two ratios over 1 is a lag too large.
    arns.push(
      new CloudwatchMetricAlarm(this, 'ReplicationLag', {
        provider,
        alarmName: names.alarms.replicationLag,
        alarmDescription:
          `Replication lag above its bounds for ${d.replicationLagMinutes} minutes: the primary's last DR WAL index is more than ${props.maxReplicationWalGap} entries ahead of the ` +
          `secondary's, or the secondary's last heartbeat from the primary is older than ${d.maxReplicationHeartbeatAgeSeconds} s. Runbook: "Replication lag".`,
        metricQuery: [
          watchdogMetric('gap', M.walGap, 'Maximum'),
          watchdogMetric('heartbeat', M.heartbeatAge, 'Maximum'),
          {
            id: 'lag',
            label: 'Lag as a share of its bound (WAL gap, heartbeat age)',
            expression: `MAX([FILL(gap, 0) / ${Math.max(1, props.maxReplicationWalGap)}, FILL(heartbeat, 0) / ${d.maxReplicationHeartbeatAgeSeconds}])`,
            returnData: true,
          },
        ],
        evaluationPeriods: d.replicationLagMinutes,
        datapointsToAlarm: d.replicationLagMinutes,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 1,
        treatMissingData: 'notBreaching',
        ...actions,
        tags,
      }).arn,
    );

    arns.push(
      new CloudwatchMetricAlarm(this, 'NoActivePrimary', {
        provider,
        alarmName: names.alarms.noActivePrimary,
        alarmDescription:
          `No cluster has answered the watchdog as an active DR primary for ${d.noActivePrimaryMinutes} minutes: Vault is down for clients (sealed, no leader, unreachable, or mid-failover). ` +
          'Runbook: "No active node".',
        namespace: M.namespace,
        metricName: M.primaryActive,
        dimensions,
        statistic: 'Maximum',
        period: MINUTE,
        evaluationPeriods: d.noActivePrimaryMinutes,
        datapointsToAlarm: d.noActivePrimaryMinutes,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        treatMissingData: 'notBreaching',
        ...actions,
        tags,
      }).arn,
    );

    arns.push(
      new CloudwatchMetricAlarm(this, 'WatchdogNotReporting', {
        provider,
        alarmName: names.alarms.watchdogSilent,
        alarmDescription:
          `The watchdog has not completed a run for ${d.watchdogSilentMinutes} minutes: nothing watches the primary from the DR region and no automatic failover can happen. ` +
          'Runbook: "Watchdog not reporting".',
        namespace: M.namespace,
        metricName: M.run,
        dimensions,
        statistic: 'Sum',
        period: MINUTE,
        evaluationPeriods: d.watchdogSilentMinutes,
        datapointsToAlarm: d.watchdogSilentMinutes,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        // No point at all is exactly what this alarm is about.
        treatMissingData: 'breaching',
        ...actions,
        tags,
      }).arn,
    );

    arns.push(
      new CloudwatchMetricAlarm(this, 'WatchdogFailover', {
        provider,
        alarmName: names.alarms.watchdogFailover,
        alarmDescription:
          'The watchdog found the primary down by every vantage point for its window: it ran the failover (auto), would run it now (notify), or was blocked. ' +
          'Its SNS page and its log carry the evidence. Runbook: "Watchdog: the primary is judged failed".',
        metricQuery: [
          watchdogMetric('would', M.wouldFailOver, 'Maximum'),
          watchdogMetric('started', M.failoverStarted, 'Maximum'),
          { id: 'rule', label: 'Rule met or failover started', expression: 'MAX([FILL(would, 0), FILL(started, 0)])', returnData: true },
        ],
        evaluationPeriods: 1,
        comparisonOperator: 'GreaterThanOrEqualToThreshold',
        threshold: 1,
        treatMissingData: 'notBreaching',
        ...actions,
        tags,
      }).arn,
    );
    this.alarmArns = arns;
  }
}
