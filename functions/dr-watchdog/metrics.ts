/**
 * The CloudWatch Embedded Metric Format lines of one run: one line for the pair (dimension
 * Environment) and one per cluster (Environment and Cluster). Lambda ships stdout to CloudWatch
 * Logs, which turns each line into metrics. Pure.
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 */
import type { Action } from './decision';
import type { Observation } from './observation';
import { WATCHDOG_METRICS as M } from './settings';

type Unit = 'Count' | 'Seconds' | 'None';

interface Metric {
  readonly name: string;
  readonly value: number;
  readonly unit: Unit;
}

function emfLine(timestampMs: number, dimensions: Readonly<Record<string, string>>, metrics: readonly Metric[]): string {
  return JSON.stringify({
    _aws: {
      Timestamp: timestampMs,
      CloudWatchMetrics: [{ Namespace: M.namespace, Dimensions: [Object.keys(dimensions)], Metrics: metrics.map((m) => ({ Name: m.name, Unit: m.unit })) }],
    },
    ...dimensions,
    ...Object.fromEntries(metrics.map((m) => [m.name, m.value])),
  });
}

export interface RunFacts {
  readonly observation: Observation;
  readonly armed: boolean;
  readonly action: Action;
  readonly agreedNow: boolean;
  readonly failoverStarted: boolean;
  readonly pageFailed: boolean;
}

const flag = (b: boolean): number => (b ? 1 : 0);

/** Every metric line of one run. */
export function watchdogMetricLines(environment: string, timestampMs: number, facts: RunFacts): string[] {
  const { observation: o } = facts;
  const pair: Metric[] = [
    { name: M.run, value: 1, unit: 'Count' },
    { name: M.armed, value: flag(facts.armed), unit: 'None' },
    { name: M.primaryActive, value: flag(o.primaryActive), unit: 'None' },
    { name: M.primaryProbes, value: o.round.probes.length, unit: 'Count' },
    { name: M.primaryProbesDown, value: o.round.probes.filter((v) => v === 'down').length, unit: 'Count' },
    { name: M.secondaryStreaming, value: flag(o.secondaryStreaming), unit: 'None' },
    { name: M.primaryDownAgreed, value: flag(facts.agreedNow), unit: 'None' },
    { name: M.wouldFailOver, value: flag(facts.action.kind !== 'none'), unit: 'None' },
    { name: M.failoverStarted, value: flag(facts.failoverStarted), unit: 'Count' },
    { name: M.pageFailed, value: flag(facts.pageFailed), unit: 'Count' },
  ];
  // Unknown values are left out rather than written as 0: a missing point is not a good one.
  if (o.round.secondaryView !== 'unknown') pair.push({ name: M.secondarySeesPrimary, value: flag(o.round.secondaryView === 'alive'), unit: 'None' });
  if (o.round.walGap !== undefined) pair.push({ name: M.walGap, value: o.round.walGap, unit: 'Count' });
  if (o.heartbeatAgeMs !== undefined) pair.push({ name: M.heartbeatAge, value: Math.round(o.heartbeatAgeMs / 1000), unit: 'Seconds' });
  const lines = [emfLine(timestampMs, { [M.dimension]: environment }, pair)];
  for (const cluster of o.clusters) {
    const views = cluster.probes.map((p) => p.view);
    lines.push(
      emfLine(timestampMs, { [M.dimension]: environment, [M.clusterDimension]: cluster.name }, [
        { name: M.clusterReachable, value: flag(views.some((v) => v.reachable)), unit: 'None' },
        { name: M.clusterPrimary, value: flag(views.some((v) => v.role === 'primary')), unit: 'None' },
        { name: M.clusterSecondary, value: flag(views.some((v) => v.role === 'dr-secondary')), unit: 'None' },
        { name: M.clusterSealed, value: views.filter((v) => v.role === 'sealed').length, unit: 'Count' },
      ]),
    );
  }
  return lines;
}
