import { Construct } from 'constructs';
import {
  DataAwsCallerIdentity,
  type DataAwsIamPolicyDocumentStatement,
  DataAwsPartition,
  DataAwsRegion,
  SecretsmanagerSecret,
  SqsQueue,
} from '../internal/aws';
import { VAULT_ENDPOINT_RECORD_TYPE } from '../weighted-vault-endpoint/defaults';
import { FAILURE_QUEUE_RETENTION_SECONDS, FUNCTION_SETTINGS, SECRET_RECOVERY_WINDOW_DAYS } from './defaults';
import {
  DR_FUNCTION_NAMES,
  type DrAutomationProps,
  type DrFunctionAttributes,
  type DrFunctionName,
  type DrVaultObjectNames,
} from './dr-automation-props';
import { DrAlarms } from './private/dr-alarms';
import { DrFunction } from './private/dr-function';
import { DrTokenRefreshSchedule } from './private/dr-token-refresh-schedule';
import { EncryptionKey } from './private/encryption-key';
import { functionEnvironments } from './private/function-environments';
import { dnsSwitchStatements, drOperationsStatements, drTokenGeneratorStatements, type AwsLocation } from './private/policy-statements';
import { VaultDrAccess } from './private/vault-dr-access';
import { resolveDrAutomationProps } from './validate-props';

/**
 * The failover machinery of a Vault Enterprise DR pair: four Lambda functions (login, DR token
 * generator, DR operations, DNS switch), their least-privilege roles, the DR token secret and the
 * schedule that keeps it fresh, a KMS key, alarms, and the Vault policies and roles the functions
 * log in and act with.
 *
 * Needs an AWS provider (the functions run in its region: choose the DR region so the machinery
 * survives the loss of the primary one) and a Vault provider pointed at the high-level endpoint.
 *
 * Construct ids below are public API: renaming one replaces its resources.
 */
export class DrAutomation extends Construct {
  /** Each function's name, ARN, role and log group. */
  readonly functions: Readonly<Record<DrFunctionName, DrFunctionAttributes>>;
  /** The secret that holds the current DR operation token. */
  readonly drTokenSecretArn: string;
  /** The key that encrypts the secret, logs, queue, schedule and function environments. */
  readonly kmsKeyArn: string;
  /** Where failed asynchronous invocations and undelivered schedule runs land. */
  readonly failureQueueArn: string;
  /** The Vault objects the functions rely on. */
  readonly vaultObjectNames: DrVaultObjectNames;

  constructor(scope: Construct, id: string, props: DrAutomationProps) {
    super(scope, id);
    const resolved = resolveDrAutomationProps(props);
    const { names, tags, awsProvider: provider } = resolved;

    const location: AwsLocation = {
      partition: new DataAwsPartition(this, 'Partition', { provider }).partition,
      region: new DataAwsRegion(this, 'Region', { provider }).region,
      accountId: new DataAwsCallerIdentity(this, 'Account', { provider }).accountId,
    };

    const keyArn =
      resolved.kmsKeyArn ??
      new EncryptionKey(this, 'EncryptionKey', {
        aliasName: names.kmsAlias,
        description: `Vault DR automation ${resolved.environment}-${resolved.identifier}: DR token, logs, queue, schedule, function environments`,
        location,
        logGroupArns: DR_FUNCTION_NAMES.map(
          (fn) => `arn:${location.partition}:logs:${location.region}:${location.accountId}:log-group:/aws/lambda/${names.functions[fn]}`,
        ),
        tags,
        provider,
      }).keyArn;

    const failureQueue = new SqsQueue(this, 'FailureQueue', {
      provider,
      name: names.failureQueue,
      kmsMasterKeyId: keyArn,
      messageRetentionSeconds: FAILURE_QUEUE_RETENTION_SECONDS,
      tags,
    });

    const drTokenSecret = new SecretsmanagerSecret(this, 'DrTokenSecret', {
      provider,
      name: names.drTokenSecret,
      description: `Vault batch DR operation token (${resolved.environment}-${resolved.identifier}), replaced every ${resolved.refreshIntervalMinutes} min by ${names.functions['dr-token-generator']}`,
      kmsKeyId: keyArn,
      recoveryWindowInDays: SECRET_RECOVERY_WINDOW_DAYS,
      tags,
    });

    // The identifier is part of the metric's Environment dimension: two deployments in one account
    // would otherwise share the metric, and one's successes would hide the other's failures.
    const metricEnvironment = `${resolved.environment}-${resolved.identifier}`;
    const environments = functionEnvironments(resolved, {
      dnsSwitchFunctionName: names.functions['dns-switch'],
      drTokenSecretArn: drTokenSecret.arn,
      leaseTableName: names.leaseTable,
      recordType: VAULT_ENDPOINT_RECORD_TYPE,
      metricEnvironment,
      batchTokenRole: names.vault.batchTokenRole,
      awsAuthRoles: { 'dr-token-generator': names.vault.awsAuthRole, 'dr-operations': names.operationsVaultRole },
    });

    const drFunction = (constructId: string, fn: DrFunctionName, statements: DataAwsIamPolicyDocumentStatement[]) =>
      new DrFunction(this, constructId, {
        functionName: names.functions[fn],
        settings: FUNCTION_SETTINGS[fn],
        bundleFile: resolved.bundleFiles[fn],
        vaultCaBundlePem: resolved.vaultCaBundlePem,
        environmentVariables: environments[fn],
        statements,
        location,
        keyArn,
        failureQueueArn: failureQueue.arn,
        logRetentionDays: resolved.logRetentionDays,
        vpcPlacement: resolved.vpcPlacement,
        tags,
        provider,
        archiveProvider: resolved.archiveProvider,
      });

    const dnsSwitch = drFunction(
      'DnsSwitch',
      'dns-switch',
      dnsSwitchStatements({ location, hostedZoneId: resolved.hostedZoneId, recordName: resolved.vaultRecordName, recordType: VAULT_ENDPOINT_RECORD_TYPE }),
    );
    const generator = drFunction(
      'DrTokenGenerator',
      'dr-token-generator',
      drTokenGeneratorStatements({ location, drTokenSecretArn: drTokenSecret.arn, keyArn }),
    );
    const operations = drFunction(
      'DrOperations',
      'dr-operations',
      drOperationsStatements({
        drTokenSecretArn: drTokenSecret.arn,
        dnsSwitchFunctionArn: resolved.switchDnsAfterPromotion ? dnsSwitch.functionArn : undefined,
      }),
    );

    new DrTokenRefreshSchedule(this, 'RefreshSchedule', {
      scheduleName: names.refreshSchedule,
      roleName: names.schedulerRole,
      refreshIntervalMinutes: resolved.refreshIntervalMinutes,
      generatorFunctionArn: generator.functionArn,
      keyArn,
      failureQueueArn: failureQueue.arn,
      location,
      tags,
      provider,
    });

    const byName: Record<DrFunctionName, DrFunction> = {
      'dr-token-generator': generator,
      'dr-operations': operations,
      'dns-switch': dnsSwitch,
    };

    new DrAlarms(this, 'Alarms', {
      names,
      functionNames: mapFunctions(byName, (fn) => fn.functionName),
      metricEnvironment,
      refreshIntervalMinutes: resolved.refreshIntervalMinutes,
      alarmActions: resolved.alarmActions,
      tags,
      provider,
    });

    new VaultDrAccess(this, 'VaultAccess', {
      names: names.vault,
      drTokenTtlSeconds: resolved.drTokenTtlSeconds,
      awsAuthMountPath: resolved.vaultAwsAuthMountPath,
      loginRoleArn: generator.roleArn,
      provider: resolved.vaultProvider,
    });

    this.functions = mapFunctions(byName, (fn) => ({
      functionName: fn.functionName,
      functionArn: fn.functionArn,
      roleArn: fn.roleArn,
      logGroupName: fn.logGroupName,
    }));
    this.drTokenSecretArn = drTokenSecret.arn;
    this.kmsKeyArn = keyArn;
    this.failureQueueArn = failureQueue.arn;
    this.vaultObjectNames = { ...names.vault };
  }
}

function mapFunctions<T>(functions: Record<DrFunctionName, DrFunction>, pick: (fn: DrFunction) => T): Record<DrFunctionName, T> {
  return Object.fromEntries(DR_FUNCTION_NAMES.map((name) => [name, pick(functions[name])])) as Record<DrFunctionName, T>;
}
