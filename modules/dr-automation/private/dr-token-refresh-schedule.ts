import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, IamRole, IamRolePolicy, SchedulerSchedule } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { refreshScheduleArn, refreshScheduleStatements, schedulerAssumeRoleStatements, type AwsLocation } from './policy-statements';

export interface DrTokenRefreshScheduleProps {
  readonly scheduleName: string;
  readonly roleName: string;
  readonly refreshIntervalMinutes: number;
  readonly generatorFunctionArn: string;
  readonly keyArn: string;
  readonly failureQueueArn: string;
  readonly location: AwsLocation;
  readonly tags: Record<string, string>;
  readonly provider?: TerraformProvider;
}

// Scheduler's own limits on a retried run's age.
const MIN_EVENT_AGE_SECONDS = 60;
const MAX_EVENT_AGE_SECONDS = 86_400;

/**
 * EventBridge Scheduler runs the DR token generator every `refreshIntervalMinutes`.
 *
 * Scheduler rather than Secrets Manager rotation: rotation runs at most every four hours and
 * drives a four-step protocol (createSecret ... finishSecret) meant for credentials that a service
 * can hold two of; the DR token only needs a fresh value stored well before the old one expires.
 */
export class DrTokenRefreshSchedule extends Construct {
  constructor(scope: Construct, id: string, props: DrTokenRefreshScheduleProps) {
    super(scope, id);
    const { provider, location } = props;
    // Named rather than referenced: the role's policy must name the schedule, and the schedule
    // needs the role first.
    const scheduleArn = refreshScheduleArn(location, props.scheduleName);

    const assumeRolePolicy = new DataAwsIamPolicyDocument(this, 'AssumeRolePolicy', {
      provider,
      statement: schedulerAssumeRoleStatements(location),
    });
    const role = new IamRole(this, 'Role', {
      provider,
      name: props.roleName,
      description: `Lets EventBridge Scheduler run ${props.scheduleName}`,
      assumeRolePolicy: assumeRolePolicy.json,
      tags: props.tags,
    });
    const permissions = new DataAwsIamPolicyDocument(this, 'Permissions', {
      provider,
      statement: refreshScheduleStatements({
        location,
        generatorFunctionArn: props.generatorFunctionArn,
        scheduleArn,
        keyArn: props.keyArn,
        failureQueueArn: props.failureQueueArn,
      }),
    });
    const rolePolicy = new IamRolePolicy(this, 'RolePolicy', {
      provider,
      name: props.roleName,
      role: role.name,
      policy: permissions.json,
    });

    // A run still undelivered after half an interval is dropped (and lands in the failure queue):
    // the next run comes soon and two must not overlap.
    const maxEventAge = Math.min(MAX_EVENT_AGE_SECONDS, Math.max(MIN_EVENT_AGE_SECONDS, (props.refreshIntervalMinutes * 60) / 2));
    new SchedulerSchedule(this, 'Schedule', {
      provider,
      name: props.scheduleName,
      groupName: 'default',
      description: 'Replaces the Vault batch DR operation token well before it expires',
      scheduleExpression: `rate(${props.refreshIntervalMinutes} ${props.refreshIntervalMinutes === 1 ? 'minute' : 'minutes'})`,
      flexibleTimeWindow: { mode: 'OFF' },
      kmsKeyArn: props.keyArn,
      state: 'ENABLED',
      target: {
        arn: props.generatorFunctionArn,
        roleArn: role.arn,
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: maxEventAge },
        deadLetterConfig: { arn: props.failureQueueArn },
      },
      dependsOn: [rolePolicy],
    });
  }
}
