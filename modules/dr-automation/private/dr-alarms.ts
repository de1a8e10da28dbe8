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
 * The alarms of the DR machinery: the token generator failing, any DR function erroring, and the
 * DR token not being refreshed (which also catches a schedule that stopped running).
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
  }
}
