/**
 * DrAutomation's alarms about the pair (on the watchdog's metrics, in the functions' region), the
 * DR token expiry alarm, and the dashboard, on the synthesized JSON.
 */
import { DrAutomation } from '../../../modules';
import { drTokenExpiryAlarm } from '../../../modules/dr-automation/private/dr-alarms';
import { CLUSTERS, drAutomationProps, FUNCTION_NAMES } from '../support/dr-automation-fixtures';
import { type Block, synthesize, type Synthesized } from '../support/synthesized';

const TOPIC = 'arn:aws:sns:us-west-2:111111111111:vault-dr-alerts';

describe('DrAutomation monitoring', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ alarmActions: [TOPIC] })));
  });
  const alarm = (s: Synthesized, name: string) => s.resource('aws_cloudwatch_metric_alarm', (a) => a.alarm_name === name).body;
  const watchdogMetric = (metricName: string, stat: string) => ({ namespace: 'VaultDR', metric_name: metricName, dimensions: { Environment: 'test-main' }, stat, period: 60 });

  describe('alarms about the pair (evaluated in the functions\' region, on the watchdog\'s metrics)', () => {
    it('the DR secondary not streaming (any state but stream-wals) for 5 minutes', () => {
      expect(alarm(synth, 'dr-secondary-not-streaming-test-main')).toEqual({
        alarm_name: 'dr-secondary-not-streaming-test-main',
        alarm_description: expect.stringContaining('Runbook: "DR secondary not streaming"'),
        namespace: 'VaultDR',
        metric_name: 'SecondaryStreaming',
        dimensions: { Environment: 'test-main' },
        statistic: 'Minimum',
        period: 60,
        evaluation_periods: 5,
        datapoints_to_alarm: 5,
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
        treat_missing_data: 'notBreaching',
        alarm_actions: [TOPIC],
        ok_actions: [TOPIC],
        tags: {},
      });
    });

    it('replication lag: the WAL gap above maxReplicationWalGap, or the heartbeat older than 60 s, for 3 minutes', () => {
      const body = alarm(synth, 'dr-replication-lag-test-main');
      expect(body.metric_query).toEqual([
        { id: 'gap', return_data: false, metric: watchdogMetric('ReplicationWalGap', 'Maximum') },
        { id: 'heartbeat', return_data: false, metric: watchdogMetric('ReplicationHeartbeatAgeSeconds', 'Maximum') },
        { id: 'lag', label: expect.any(String), return_data: true, expression: 'MAX([FILL(gap, 0) / 1000, FILL(heartbeat, 0) / 60])' },
      ]);
      expect(body).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 1, evaluation_periods: 3, datapoints_to_alarm: 3, treat_missing_data: 'notBreaching' });
      const tighter = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ maxReplicationWalGap: 25 })));
      expect(alarm(tighter, 'dr-replication-lag-test-main').metric_query[2].expression).toBe('MAX([FILL(gap, 0) / 25, FILL(heartbeat, 0) / 60])');
    });

    it('no active primary: no cluster answered the watchdog as an active DR primary for 3 minutes', () => {
      expect(alarm(synth, 'dr-no-active-primary-test-main')).toMatchObject({
        namespace: 'VaultDR',
        metric_name: 'PrimaryActive',
        statistic: 'Maximum',
        period: 60,
        evaluation_periods: 3,
        datapoints_to_alarm: 3,
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
      });
    });

    it('the watchdog not reporting: no run for 3 minutes, and no data at all counts', () => {
      expect(alarm(synth, 'dr-watchdog-not-reporting-test-main')).toMatchObject({
        metric_name: 'WatchdogRun',
        statistic: 'Sum',
        period: 60,
        evaluation_periods: 3,
        datapoints_to_alarm: 3,
        comparison_operator: 'LessThanThreshold',
        threshold: 1,
        treat_missing_data: 'breaching',
      });
    });

    it('the watchdog\'s rule met or a failover started pages through the alarm actions too', () => {
      const body = alarm(synth, 'dr-watchdog-failover-test-main');
      expect(body.metric_query.map((q: Block) => q.metric?.metric_name ?? q.expression)).toEqual([
        'WatchdogWouldFailOver',
        'WatchdogFailoverStarted',
        'MAX([FILL(would, 0), FILL(started, 0)])',
      ]);
      expect(body).toMatchObject({ comparison_operator: 'GreaterThanOrEqualToThreshold', threshold: 1, evaluation_periods: 1, alarm_actions: [TOPIC] });
    });
  });

  describe('the DR token close to its minimum remaining time', () => {
    it('fires hours before expiry: after 3 hourly refreshes missed, the last token has at most 5 h left (8 h TTL)', () => {
      expect(drTokenExpiryAlarm(28_800, 600, 60)).toEqual({ periodSeconds: 3600, periods: 3, thresholdSeconds: 600 + 14_100 });
      expect(alarm(synth, 'dr-token-expiring-test-main')).toMatchObject({
        namespace: 'VaultDR',
        metric_name: 'DrTokenSecondsToExpiry',
        dimensions: { Environment: 'test-main' },
        statistic: 'Minimum',
        period: 3600,
        evaluation_periods: 3,
        datapoints_to_alarm: 3,
        comparison_operator: 'LessThanThreshold',
        threshold: 14_700,
        treat_missing_data: 'breaching',
        alarm_description: expect.stringContaining('the last one has at most 18000 s left'),
      });
    });

    it('always looks back at least one interval and at most a day, whatever the TTL and interval', () => {
      for (const [ttl, min, interval] of [
        [3600, 600, 15],
        [86_400, 600, 60],
        [86_400, 0, 1],
        [1200, 600, 1],
      ] as const) {
        const { periodSeconds, periods, thresholdSeconds } = drTokenExpiryAlarm(ttl, min, interval);
        expect(periods).toBeGreaterThanOrEqual(1);
        expect(periods * periodSeconds).toBeLessThanOrEqual(86_400);
        // When it fires, the last token had less time left than the threshold, and more than the minimum.
        expect(ttl - periods * periodSeconds).toBeGreaterThan(min);
        expect(thresholdSeconds).toBeGreaterThan(min);
      }
    });
  });

  describe('the dashboard', () => {
    const widgets = (s: Synthesized): Block[] => JSON.parse(s.resource('aws_cloudwatch_dashboard').body.dashboard_body as string).widgets;

    it('is named <purpose>-<environment>-<identifier> and laid out on the 24-column grid without overlaps', () => {
      expect(synth.resource('aws_cloudwatch_dashboard').body.dashboard_name).toBe('vault-dr-test-main');
      const cells = new Set<string>();
      for (const w of widgets(synth)) {
        expect(w.x + w.width).toBeLessThanOrEqual(24);
        for (let x = w.x; x < w.x + w.width; x++) for (let y = w.y; y < w.y + w.height; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    });

    it("shows both clusters' role and health, replication state and lag, the DR token, and the watchdog's observations", () => {
      const metrics = widgets(synth)
        .filter((w) => w.type === 'metric')
        .flatMap((w) => (w.properties.metrics as unknown[][]).map((m) => m.filter((x) => typeof x === 'string').join(' ')));
      for (const cluster of [CLUSTERS.primary.name, CLUSTERS.dr.name]) {
        expect(metrics).toContain(`VaultDR ClusterActivePrimary Environment test-main Cluster ${cluster}`);
        expect(metrics).toContain(`VaultDR ClusterDrSecondary Environment test-main Cluster ${cluster}`);
        expect(metrics).toContain(`VaultDR ClusterReachable Environment test-main Cluster ${cluster}`);
        expect(metrics).toContain(`Vault/${cluster} vault.core.unsealed.${cluster}`);
      }
      for (const name of ['SecondaryStreaming', 'SecondarySeesPrimary', 'ReplicationWalGap', 'ReplicationHeartbeatAgeSeconds', 'PrimaryProbesDown', 'PrimaryDownAgreed', 'WatchdogWouldFailOver', 'WatchdogArmed']) {
        expect(metrics).toContain(`VaultDR ${name} Environment test-main`);
      }
      expect(metrics).toContain('VaultDR DrTokenSecondsToExpiry Environment test-main');
    });

    it("lists the pair's alarms, and the last failover's timeline from dr-operations' log group (Logs Insights)", () => {
      const all = widgets(synth);
      const alarms = all.find((w) => w.type === 'alarm');
      expect(alarms?.properties.alarms).toHaveLength(5);
      const logs = all.filter((w) => w.type === 'log').map((w) => w.properties.query as string);
      expect(logs.filter((q) => q.startsWith(`SOURCE '/aws/lambda/${FUNCTION_NAMES['dr-operations']}'`))).toHaveLength(2);
      expect(logs.some((q) => q.includes('timeline.0.step') && q.includes('operation = "failover"'))).toBe(true);
      expect(logs.some((q) => q.startsWith(`SOURCE '/aws/lambda/${FUNCTION_NAMES['dr-watchdog']}'`))).toBe(true);
    });

    it('reads each cluster\'s telemetry in the cluster\'s own region when it is known', () => {
      const clusters = { primary: { ...CLUSTERS.primary, region: 'us-east-1' }, dr: { ...CLUSTERS.dr, region: 'us-west-2' } };
      const regional = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ clusters })));
      const telemetry = widgets(regional).filter((w) => String(w.properties.title).endsWith('Vault telemetry (its region)'));
      expect(telemetry.map((w) => [w.properties.title, w.properties.region])).toEqual([
        [`${CLUSTERS.primary.name}: Vault telemetry (its region)`, 'us-east-1'],
        [`${CLUSTERS.dr.name}: Vault telemetry (its region)`, 'us-west-2'],
      ]);
    });
  });
});
