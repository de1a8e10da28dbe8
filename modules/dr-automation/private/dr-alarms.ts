import { Construct } from 'constructs';
import { CloudwatchMetricAlarm } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { DR_TOKEN_METRIC } from '../defaults';
import { DR_FUNCTION_NAMES, type DrFunctionName } from '../dr-automation-props';
import type { DrResourceNames } from '../names';

export interface DrAlarmsProps {
  readonly names: DrResourceNames;
  /** Function names as Terraform references, so the alarms follow the functions. */
  readonly functionNames: Readonly<Record<DrFunctionName, string>>;
  /** Value of the generator's `Environment` metric dimension (its DR_ENVIRONMENT). */
  readonly metricEnvironment: string;
  readonly refreshIntervalMinutes: number;
  readonly drTokenTtlSeconds: number;
  readonly drTokenMinRemainingSeconds: number;
  readonly alarmActions: string[];
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
}

const ERRORS_PERIOD_SECONDS = 60;

/** The two error alarms' judgement of their Errors sum: any error in one period alarms; no data (no invocations) is no error. */
const ANY_ERROR_IN_A_PERIOD = {
  evaluationPeriods: 1,
  comparisonOperator: 'GreaterThanThreshold',
  threshold: 0,
  treatMissingData: 'notBreaching',
} as const;

/** Id of a function's Errors series in the metric math of FunctionsErroring. */
function errorsId(fn: DrFunctionName): string {
  return `errors_${fn.replace(/-/g, '_')}`;
}

/**
 * When the "DR token expiring" alarm fires: after `periods` refresh intervals without a stored token
 * (or with tokens that had too little left), which is when the last token has at most
 * `thresholdSeconds` left, half of its usable life (TTL minus the minimum dr-operations asks for)
 * plus that minimum: hours before failover would refuse for it, with the defaults.
 */
export function drTokenExpiryAlarm(ttlSeconds: number, minRemainingSeconds: number, refreshIntervalMinutes: number): { readonly periodSeconds: number; readonly periods: number; readonly thresholdSeconds: number } {
  const periodSeconds = refreshIntervalMinutes * 60;
  const usable = ttlSeconds - minRemainingSeconds;
  const lead = Math.ceil(usable / 2);
  // At least one period; and no more than a day of look-back, CloudWatch's limit.
  const periods = Math.max(1, Math.min(Math.floor((usable - lead) / periodSeconds), Math.floor(86_400 / periodSeconds)));
  return { periodSeconds, periods, thresholdSeconds: minRemainingSeconds + lead };
}

/**
 * The alarms of the DR machinery: the token generator failing, any DR function erroring, the DR
 * token not being refreshed (which also catches a schedule that stopped running), and the DR token
 * close to its minimum remaining time (a long outage: the primary is gone, so no refresh succeeds).
 */
export class DrAlarms extends Construct {
  constructor(scope: Construct, id: string, props: DrAlarmsProps) {
    super(scope, id);
    const { provider, names, tags } = props;
    const actions = props.alarmActions.length > 0 ? { alarmActions: props.alarmActions, okActions: props.alarmActions } : {};

    new CloudwatchMetricAlarm(this, 'GeneratorFailing', {
      provider,
      alarmName: names.alarms.generatorFailing,
      alarmDescription:
        'The DR token generator failed: the DR token in Secrets Manager is not being replaced. Read the function log; the failed event is in the failure queue.',
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions: { FunctionName: props.functionNames['dr-token-generator'] },
      statistic: 'Sum',
      period: ERRORS_PERIOD_SECONDS,
      ...ANY_ERROR_IN_A_PERIOD,
      ...actions,
      tags,
    });

    new CloudwatchMetricAlarm(this, 'FunctionsErroring', {
      provider,
      alarmName: names.alarms.functionErrors,
      alarmDescription: 'A Vault DR function returned an error. Read the logs of the functions that failed.',
      metricQuery: [
        ...DR_FUNCTION_NAMES.map((fn) => ({
          id: errorsId(fn),
          returnData: false,
          metric: {
            namespace: 'AWS/Lambda',
            metricName: 'Errors',
            dimensions: { FunctionName: props.functionNames[fn] },
            stat: 'Sum',
            period: ERRORS_PERIOD_SECONDS,
          },
        })),
        {
          id: 'errors_total',
          label: 'Errors of all DR functions',
          expression: `SUM([${DR_FUNCTION_NAMES.map(errorsId).join(', ')}])`,
          returnData: true,
        },
      ],
      ...ANY_ERROR_IN_A_PERIOD,
      ...actions,
      tags,
    });

    // One period per refresh interval, so every period holds one run. Two empty periods in a row
    // alarm: at most three intervals after the last success, which validation keeps shorter than
    // the TTL minus the minimum the DR operations function needs.
    const periodSeconds = props.refreshIntervalMinutes * 60;
    new CloudwatchMetricAlarm(this, 'DrTokenNotRefreshed', {
      provider,
      alarmName: names.alarms.drTokenNotRefreshed,
      alarmDescription:
        'The DR token has not been replaced for two refresh intervals: it will expire and leave failover without a token. Check the generator, its schedule and Vault.',
      namespace: DR_TOKEN_METRIC.namespace,
      metricName: DR_TOKEN_METRIC.metricName,
      dimensions: { [DR_TOKEN_METRIC.dimension]: props.metricEnvironment },
      statistic: 'Sum',
      period: periodSeconds,
      evaluationPeriods: 2,
      datapointsToAlarm: 2,
      comparisonOperator: 'LessThanThreshold',
      threshold: 1,
      // No metric at all means no successful refresh: a stopped schedule must alarm too.
      treatMissingData: 'breaching',
      ...actions,
      tags,
    });

    // The escalation of the one above: by now the token's own remaining time is the issue. Each
    // period holds at most one refresh; a period without one counts against the token (breaching),
    // a refresh that stored a token with less than the threshold left does too.
    const expiry = drTokenExpiryAlarm(props.drTokenTtlSeconds, props.drTokenMinRemainingSeconds, props.refreshIntervalMinutes);
    new CloudwatchMetricAlarm(this, 'DrTokenExpiring', {
      provider,
      alarmName: names.alarms.drTokenExpiring,
      alarmDescription:
        `No DR token stored for ${expiry.periods} refresh interval(s) (or only tokens with under ${expiry.thresholdSeconds} s left): the last one has at most ` +
        `${props.drTokenTtlSeconds - expiry.periods * expiry.periodSeconds} s left, and under ${props.drTokenMinRemainingSeconds} s failover refuses. ` +
        'If the primary is gone, prepare the break-glass DR operation token now. Runbook: "DR token close to expiry" and 5.1.',
      namespace: DR_TOKEN_METRIC.namespace,
      metricName: DR_TOKEN_METRIC.secondsToExpiryMetricName,
      dimensions: { [DR_TOKEN_METRIC.dimension]: props.metricEnvironment },
      statistic: 'Minimum',
      period: expiry.periodSeconds,
      evaluationPeriods: expiry.periods,
      datapointsToAlarm: expiry.periods,
      comparisonOperator: 'LessThanThreshold',
      threshold: expiry.thresholdSeconds,
      treatMissingData: 'breaching',
      ...actions,
      tags,
    });
  }
}
