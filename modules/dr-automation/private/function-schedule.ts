import { Construct } from 'constructs';
import { DataAwsIamPolicyDocument, IamRole, IamRolePolicy, SchedulerSchedule } from '../../internal/aws';
import type { TerraformProvider } from '../../internal/cdktf';
import { refreshScheduleArn, scheduleStatements, schedulerAssumeRoleStatements, type AwsLocation } from './policy-statements';

export interface FunctionScheduleProps {
  readonly scheduleName: string;
  readonly roleName: string;
  readonly description: string;
  readonly rateMinutes: number;
  readonly targetFunctionArn: string;
  /** Sid of the role's invoke statement, naming the function (`InvokeDrTokenGenerator`). */
  readonly invokeSid: string;
  /** The event the function receives (JSON text). @default - Scheduler's own (no input) */
  readonly input?: string;
  /** Scheduler's retries of a run it could not deliver. */
  readonly maximumRetryAttempts: number;
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
 * EventBridge Scheduler runs one DR function every `rateMinutes`, with a role that may invoke that
 * function only: the DR token generator (the token refresh), the watchdog (its runs).
 *
 * Scheduler rather than Secrets Manager rotation for the token: rotation runs at most every four
 * hours and drives a four-step protocol (createSecret ... finishSecret) meant for credentials that a
 * service can hold two of; the DR token only needs a fresh value stored well before the old one
 * expires.
 */
export class FunctionSchedule extends Construct {
  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
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
      statement: scheduleStatements({
        location,
        invokeSid: props.invokeSid,
        targetFunctionArn: props.targetFunctionArn,
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
    const maxEventAge = Math.min(MAX_EVENT_AGE_SECONDS, Math.max(MIN_EVENT_AGE_SECONDS, (props.rateMinutes * 60) / 2));
    new SchedulerSchedule(this, 'Schedule', {
      provider,
      name: props.scheduleName,
      groupName: 'default',
      description: props.description,
      scheduleExpression: `rate(${props.rateMinutes} ${props.rateMinutes === 1 ? 'minute' : 'minutes'})`,
      flexibleTimeWindow: { mode: 'OFF' },
      kmsKeyArn: props.keyArn,
      state: 'ENABLED',
      target: {
        arn: props.targetFunctionArn,
        roleArn: role.arn,
        ...(props.input === undefined ? {} : { input: props.input }),
        retryPolicy: { maximumRetryAttempts: props.maximumRetryAttempts, maximumEventAgeInSeconds: maxEventAge },
        deadLetterConfig: { arn: props.failureQueueArn },
      },
      dependsOn: [rolePolicy],
    });
  }
}
