import { DR_FUNCTION_NAMES, type DrFunctionName } from './dr-automation-props';

/**
 * Every name the DR automation gives, `<purpose>-<environment>-<identifier>`, in one place so that
 * validation checks exactly the names that are used.
 */
export interface DrResourceNames {
  /** Lambda function names; each function's IAM role has the same name. */
  readonly functions: Readonly<Record<DrFunctionName, string>>;
  readonly drTokenSecret: string;
  /** DynamoDB table of the one-operation-at-a-time lease (functions/shared/lease.ts). */
  readonly leaseTable: string;
  readonly failureQueue: string;
  readonly refreshSchedule: string;
  readonly schedulerRole: string;
  readonly kmsAlias: string;
  readonly alarms: {
    readonly generatorFailing: string;
    readonly functionErrors: string;
    readonly drTokenNotRefreshed: string;
  };
  readonly vault: {
    readonly drOperationPolicy: string;
    readonly tokenCreatorPolicy: string;
    readonly batchTokenRole: string;
    readonly awsAuthRole: string;
  };
  /** dr-operations' own Vault AWS auth role (demote, secondary-token on a primary). */
  readonly operationsVaultRole: string;
}

export function drResourceNames(environment: string, identifier: string): DrResourceNames {
  const name = (purpose: string) => `${purpose}-${environment}-${identifier}`;
  const functions = Object.fromEntries(DR_FUNCTION_NAMES.map((fn) => [fn, name(fn)])) as Record<DrFunctionName, string>;
  return {
    functions,
    drTokenSecret: name('dr-token'),
    leaseTable: name('dr-lease'),
    failureQueue: name('dr-failures'),
    refreshSchedule: name('dr-token-refresh'),
    schedulerRole: name('dr-token-scheduler'),
    kmsAlias: `alias/${name('vault-dr')}`,
    alarms: {
      generatorFailing: name('dr-token-generator-failing'),
      functionErrors: name('dr-functions-erroring'),
      drTokenNotRefreshed: name('dr-token-not-refreshed'),
    },
    vault: {
      drOperationPolicy: name('dr-operation'),
      tokenCreatorPolicy: name('dr-token-creator'),
      batchTokenRole: name('dr-batch'),
      awsAuthRole: name('dr-login'),
    },
    operationsVaultRole: name('dr-operations'),
  };
}

/** AWS length limits of the names above, with what the limit applies to (for error messages). */
export function awsNamesWithLimits(names: DrResourceNames): { kind: string; name: string; max: number }[] {
  return [
    ...DR_FUNCTION_NAMES.map((fn) => ({ kind: 'Lambda function and IAM role name', name: names.functions[fn], max: 64 })),
    { kind: 'IAM role name', name: names.schedulerRole, max: 64 },
    { kind: 'EventBridge Scheduler schedule name', name: names.refreshSchedule, max: 64 },
    { kind: 'SQS queue name', name: names.failureQueue, max: 80 },
    { kind: 'KMS alias', name: names.kmsAlias, max: 256 },
    { kind: 'Secrets Manager secret name', name: names.drTokenSecret, max: 512 },
    ...Object.values(names.alarms).map((alarm) => ({ kind: 'CloudWatch alarm name', name: alarm, max: 255 })),
  ];
}
