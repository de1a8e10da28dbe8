import { DR_FUNCTION_NAMES, type DrFunctionName } from './dr-automation-props';

/**
 * Every name the DR automation gives, `<purpose>-<environment>-<identifier>`, in one place so that
 * validation checks exactly the names that are used.
 */
export interface DrResourceNames {
  /** Lambda function names; each function's IAM role has the same name. */
  readonly functions: Readonly<Record<DrFunctionName, string>>;
  readonly drTokenSecret: string;
  /** Alias of the key that encrypts only the DR token secret. */
  readonly drTokenKmsAlias: string;
  /** DynamoDB table of the lease that lets one DR operation run at a time. */
  readonly leaseTable: string;
  readonly failureQueue: string;
  readonly refreshSchedule: string;
  readonly schedulerRole: string;
  /** The watchdog's schedule and the role it runs with. */
  readonly watchdogSchedule: string;
  readonly watchdogSchedulerRole: string;
  readonly kmsAlias: string;
  /** The CloudWatch dashboard of the pair. */
  readonly dashboard: string;
  readonly alarms: {
    readonly generatorFailing: string;
    readonly functionErrors: string;
    readonly drTokenNotRefreshed: string;
    readonly drTokenExpiring: string;
    readonly secondaryNotStreaming: string;
    readonly replicationLag: string;
    readonly noActivePrimary: string;
    readonly watchdogSilent: string;
    readonly watchdogFailover: string;
  };
  readonly vault: {
    /** Default mount path of the AWS auth method the construct creates. */
    readonly awsAuthMount: string;
    readonly drOperationPolicy: string;
    readonly tokenCreatorPolicy: string;
    readonly primaryOperationsPolicy: string;
    /** Second policy of dr-operations' login: enabling DR replication on a primary (bootstrap). */
    readonly bootstrapPolicy: string;
    /** Third policy of dr-operations' login, with performance secondaries: their activation tokens and update-primary. */
    readonly performanceOperationsPolicy: string;
    readonly batchTokenRole: string;
    /** AWS auth role of dr-token-generator (bound to its IAM role only). */
    readonly tokenGeneratorAuthRole: string;
    /** AWS auth role of dr-operations (bound to its IAM role only). */
    readonly operationsAuthRole: string;
  };
}

export function drResourceNames(environment: string, identifier: string): DrResourceNames {
  const name = (purpose: string) => `${purpose}-${environment}-${identifier}`;
  const functions = Object.fromEntries(DR_FUNCTION_NAMES.map((fn) => [fn, name(fn)])) as Record<DrFunctionName, string>;
  return {
    functions,
    drTokenSecret: name('dr-token'),
    drTokenKmsAlias: `alias/${name('dr-token')}`,
    leaseTable: name('dr-lease'),
    failureQueue: name('dr-failures'),
    refreshSchedule: name('dr-token-refresh'),
    schedulerRole: name('dr-token-scheduler'),
    watchdogSchedule: name('dr-watchdog-run'),
    // No longer than the generator's name: the identifier's length limit stays what it was.
    watchdogSchedulerRole: name('dr-watchdog-runner'),
    kmsAlias: `alias/${name('vault-dr')}`,
    dashboard: name('vault-dr'),
    alarms: {
      generatorFailing: name('dr-token-generator-failing'),
      functionErrors: name('dr-functions-erroring'),
      drTokenNotRefreshed: name('dr-token-not-refreshed'),
      drTokenExpiring: name('dr-token-expiring'),
      secondaryNotStreaming: name('dr-secondary-not-streaming'),
      replicationLag: name('dr-replication-lag'),
      noActivePrimary: name('dr-no-active-primary'),
      watchdogSilent: name('dr-watchdog-not-reporting'),
      watchdogFailover: name('dr-watchdog-failover'),
    },
    vault: {
      awsAuthMount: name('dr-aws'),
      drOperationPolicy: name('dr-operation'),
      tokenCreatorPolicy: name('dr-token-creator'),
      primaryOperationsPolicy: name('dr-primary-ops'),
      bootstrapPolicy: name('dr-bootstrap'),
      performanceOperationsPolicy: name('dr-perf-ops'),
      batchTokenRole: name('dr-batch'),
      // Named like the function and its IAM role: one IAM role, one Vault role.
      tokenGeneratorAuthRole: name('dr-token-generator'),
      operationsAuthRole: name('dr-operations'),
    },
  };
}

/** AWS length limits of the names above, with what the limit applies to (for error messages). */
export function awsNamesWithLimits(names: DrResourceNames): { kind: string; name: string; max: number }[] {
  return [
    ...DR_FUNCTION_NAMES.map((fn) => ({ kind: 'Lambda function and IAM role name', name: names.functions[fn], max: 64 })),
    { kind: 'IAM role name', name: names.schedulerRole, max: 64 },
    { kind: 'IAM role name', name: names.watchdogSchedulerRole, max: 64 },
    { kind: 'EventBridge Scheduler schedule name', name: names.refreshSchedule, max: 64 },
    { kind: 'EventBridge Scheduler schedule name', name: names.watchdogSchedule, max: 64 },
    { kind: 'CloudWatch dashboard name', name: names.dashboard, max: 255 },
    { kind: 'SQS queue name', name: names.failureQueue, max: 80 },
    { kind: 'KMS alias', name: names.kmsAlias, max: 256 },
    { kind: 'KMS alias', name: names.drTokenKmsAlias, max: 256 },
    { kind: 'DynamoDB table name', name: names.leaseTable, max: 255 },
    { kind: 'Secrets Manager secret name', name: names.drTokenSecret, max: 512 },
    ...Object.values(names.alarms).map((alarm) => ({ kind: 'CloudWatch alarm name', name: alarm, max: 255 })),
  ];
}
