/**
 * One CloudWatch Embedded Metric Format line per successful refresh. The "DR token near its TTL"
 * alarm watches DrTokenRefreshSucceeded with missing data breaching, so it also fires when the
 * schedule silently stops.
 */
import { DR_TOKEN_METRIC } from './settings';

export function refreshMetricLine(environment: string, secondsToExpiry: number, now: Date): string {
  return JSON.stringify({
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: DR_TOKEN_METRIC.namespace,
          Dimensions: [[DR_TOKEN_METRIC.dimension]],
          Metrics: [
            { Name: DR_TOKEN_METRIC.metricName, Unit: 'Count' },
            { Name: DR_TOKEN_METRIC.secondsToExpiryMetricName, Unit: 'Seconds' },
          ],
        },
      ],
    },
    [DR_TOKEN_METRIC.dimension]: environment,
    [DR_TOKEN_METRIC.metricName]: 1,
    [DR_TOKEN_METRIC.secondsToExpiryMetricName]: secondsToExpiry,
  });
}
