/**
 * One CloudWatch Embedded Metric Format line per successful refresh. The "DR token near its TTL"
 * alarm watches DrTokenRefreshSucceeded with missing data breaching, so it also fires when the
 * schedule silently stops.
 */
export function refreshMetricLine(environment: string, secondsToExpiry: number, now: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: 'VaultDR',
          Dimensions: [['Environment']],
          Metrics: [
            { Name: 'DrTokenRefreshSucceeded', Unit: 'Count' },
            { Name: 'DrTokenSecondsToExpiry', Unit: 'Seconds' },
          ],
        },
      ],
    },
    Environment: environment,
    DrTokenRefreshSucceeded: 1,
    DrTokenSecondsToExpiry: secondsToExpiry,
  });
}
