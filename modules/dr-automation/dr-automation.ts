import { Construct } from 'constructs';
import {
  DataAwsCallerIdentity,
  type DataAwsIamPolicyDocumentStatement,
  DataAwsPartition,
  DataAwsRegion,
  SecretsmanagerSecret,
  SecretsmanagerSecretPolicy,
  SqsQueue,
} from '../internal/aws';
import type { ITerraformDependable } from '../internal/cdktf';
import { terraformCallerRoleArn } from '../shared/kms-key';
import { policyDocument } from '../shared/policy';
import { VAULT_ENDPOINT_RECORD_TYPE } from '../weighted-vault-endpoint/defaults';
import { FAILURE_QUEUE_RETENTION_SECONDS, FUNCTION_SETTINGS, LEASE_TABLE_ITEMS, SECRET_RECOVERY_WINDOW_DAYS, WATCHDOG_RATE_MINUTES } from './defaults';
import {
  DR_FUNCTION_NAMES,
  type DrAutomationProps,
  type DrFunctionAttributes,
  type DrFunctionName,
  type DrVaultObjectNames,
} from './dr-automation-props';
import { DrAlarms } from './private/dr-alarms';
import { DrDashboard } from './private/dr-dashboard';
import { DrFunction } from './private/dr-function';
import { FunctionSchedule } from './private/function-schedule';
import { EncryptionKey } from './private/encryption-key';
import { functionEnvironments } from './private/function-environments';
import { LeaseTable } from './private/lease-table';
import { PairAlarms } from './private/pair-alarms';
import {
  type AwsLocation,
  dnsSwitchStatements,
  drOperationsStatements,
  drTokenGeneratorStatements,
  drTokenKeyPolicyStatements,
  drTokenSecretPolicyStatements,
  encryptionKeyPolicyStatements,
  refreshScheduleArn,
  roleArnOf,
  watchdogStatements,
} from './private/policy-statements';
import { VaultDrAccess } from './private/vault-dr-access';
import { DrVpcEndpoints } from './private/vpc-endpoints';
import { resolveDrAutomationProps } from './validate-props';
import { agreesWithWeightedEndpoint } from './validate-weighted-endpoint';

/**
 * The failover machinery of a Vault Enterprise DR pair: four Lambda functions (DR token
 * generator, DR operations, DNS switch, and the watchdog that observes the primary from this region
 * and, when allowed, fails over), their least-privilege roles, the DR token secret (its own
 * key, a resource policy that lets only the reader read and the writer write) and the schedules
 * that keep it fresh and run the watchdog, the lease table of one DR operation at a time, a KMS key,
 * alarms about the machinery and about the pair, a dashboard, and the Vault side: the functions'
 * AWS auth method, one login role per logging-in function, and the policies and token role they
 * act with.
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
  /** The key that encrypts only the DR token secret. */
  readonly drTokenKmsKeyArn: string;
  /** The key that encrypts the logs, queue, schedule, function environments and lease table. */
  readonly kmsKeyArn: string;
  /** The lease table of one DR operation at a time (LEASE_TABLE_NAME of dr-operations and dns-switch). */
  readonly leaseTableName: string;
  readonly leaseTableArn: string;
  /** Where failed asynchronous invocations and undelivered schedule runs land. */
  readonly failureQueueArn: string;
  /** The pair's CloudWatch dashboard. */
  readonly dashboardName: string;
  /** What the watchdog may do (`watchdogMode` with its default filled in). */
  readonly watchdogMode: string;
  /** The Vault objects the functions rely on. */
  readonly vaultObjectNames: DrVaultObjectNames;
  /**
   * The security group of the VPC endpoints the construct created (`vpcPlacement.awsApiEndpoints`):
   * the functions' security groups must allow egress on 443 to it. Undefined when none were asked for.
   */
  readonly vpcEndpointSecurityGroupId?: string;
  private readonly vaultAccess: VaultDrAccess;

  constructor(scope: Construct, id: string, props: DrAutomationProps) {
    super(scope, id);
    const resolved = resolveDrAutomationProps(this, props);
    this.node.addValidation(
      agreesWithWeightedEndpoint(this, { recordName: resolved.vaultRecordName, hostedZoneId: resolved.hostedZoneId, clusters: resolved.clusters }),
    );
    const { names, tags, awsProvider: provider } = resolved;

    const location: AwsLocation = {
      partition: new DataAwsPartition(this, 'Partition', { provider }).partition,
      region: new DataAwsRegion(this, 'Region', { provider }).region,
      accountId: new DataAwsCallerIdentity(this, 'Account', { provider }).accountId,
    };

    const roleArns = mapFunctions((fn) => roleArnOf(location, names.functions[fn]));
    const keyAdministratorArns = resolved.keyAdministratorArns ?? [terraformCallerRoleArn(this, 'TerraformCaller', provider)];

    const keyArn =
      resolved.kmsKeyArn ??
      new EncryptionKey(this, 'EncryptionKey', {
        aliasName: names.kmsAlias,
        description: `Vault DR automation ${resolved.environment}-${resolved.identifier}: logs, queue, schedule, function environments, lease table`,
        policy: encryptionKeyPolicyStatements({
          location,
          logGroupArns: DR_FUNCTION_NAMES.map(
            (fn) => `arn:${location.partition}:logs:${location.region}:${location.accountId}:log-group:/aws/lambda/${names.functions[fn]}`,
          ),
          functionNames: DR_FUNCTION_NAMES.map((fn) => names.functions[fn]),
          scheduleArns: [refreshScheduleArn(location, names.refreshSchedule), refreshScheduleArn(location, names.watchdogSchedule)],
          administratorArns: keyAdministratorArns,
        }),
        tags,
        provider,
      }).keyArn;

    // The most powerful credential of the system gets a key of its own, whose policy this construct
    // always writes (whatever kmsKeyArn says): only its writer encrypts, only its reader decrypts.
    const drTokenKeyArn = new EncryptionKey(this, 'DrTokenKey', {
      aliasName: names.drTokenKmsAlias,
      description: `Vault DR automation ${resolved.environment}-${resolved.identifier}: the DR token secret only`,
      policy: drTokenKeyPolicyStatements({
        location,
        secretName: names.drTokenSecret,
        generatorRoleArn: roleArns['dr-token-generator'],
        operationsRoleArn: roleArns['dr-operations'],
        breakGlassRoleArn: resolved.breakGlassRoleArn,
        administratorArns: keyAdministratorArns,
      }),
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
      kmsKeyId: drTokenKeyArn,
      recoveryWindowInDays: SECRET_RECOVERY_WINDOW_DAYS,
      tags,
    });

    const leaseTable = new LeaseTable(this, 'LeaseTable', { tableName: names.leaseTable, keyArn, tags, provider });

    // The identifier is part of the metric's Environment dimension: two deployments in one account
    // would otherwise share the metric, and one's successes would hide the other's failures.
    const metricEnvironment = `${resolved.environment}-${resolved.identifier}`;
    const environments = functionEnvironments(resolved, {
      awsAuthRoles: { 'dr-token-generator': names.vault.tokenGeneratorAuthRole, 'dr-operations': names.vault.operationsAuthRole },
      batchTokenRole: names.vault.batchTokenRole,
      leaseTableName: leaseTable.tableName,
      dnsSwitchFunctionName: names.functions['dns-switch'],
      operationsFunctionName: names.functions['dr-operations'],
      watchdogPageTopicArn: resolved.watchdogPageTopicArn,
      drTokenSecretArn: drTokenSecret.arn,
      recordType: VAULT_ENDPOINT_RECORD_TYPE,
      metricEnvironment,
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

    const lease = { leaseTableArn: leaseTable.tableArn, keyArn };
    const dnsSwitch = drFunction(
      'DnsSwitch',
      'dns-switch',
      dnsSwitchStatements({
        location,
        hostedZoneId: resolved.hostedZoneId,
        recordName: resolved.vaultRecordName,
        recordType: VAULT_ENDPOINT_RECORD_TYPE,
        ...lease,
      }),
    );
    const generator = drFunction(
      'DrTokenGenerator',
      'dr-token-generator',
      drTokenGeneratorStatements({ location, drTokenSecretArn: drTokenSecret.arn, drTokenKeyArn }),
    );
    const operations = drFunction(
      'DrOperations',
      'dr-operations',
      drOperationsStatements({
        location,
        drTokenSecretArn: drTokenSecret.arn,
        drTokenKeyArn,
        ...lease,
        dnsSwitchFunctionArn: resolved.switchDnsAfterPromotion ? dnsSwitch.functionArn : undefined,
      }),
    );

    new SecretsmanagerSecretPolicy(this, 'DrTokenSecretPolicy', {
      provider,
      secretArn: drTokenSecret.arn,
      blockPublicPolicy: true,
      policy: policyDocument(
        drTokenSecretPolicyStatements({
          readerRoleArn: operations.roleArn,
          writerRoleArn: generator.roleArn,
          breakGlassRoleArn: resolved.breakGlassRoleArn,
        }),
      ),
    });

    new FunctionSchedule(this, 'RefreshSchedule', {
      scheduleName: names.refreshSchedule,
      roleName: names.schedulerRole,
      description: 'Replaces the Vault batch DR operation token well before it expires',
      rateMinutes: resolved.refreshIntervalMinutes,
      targetFunctionArn: generator.functionArn,
      invokeSid: 'InvokeDrTokenGenerator',
      // Creating a token is safe to repeat.
      maximumRetryAttempts: 2,
      keyArn,
      failureQueueArn: failureQueue.arn,
      location,
      tags,
      provider,
    });

    // The watchdog: in every mode it observes and publishes the metrics the pair's alarms read; only
    // in auto may it invoke dr-operations (and only then does its role allow it).
    const watchdog = drFunction(
      'DrWatchdog',
      'dr-watchdog',
      watchdogStatements({
        location,
        ...lease,
        leaseItemId: LEASE_TABLE_ITEMS.lease,
        watchdogItemId: LEASE_TABLE_ITEMS.watchdog,
        operationsFunctionArn: resolved.watchdogMode === 'auto' ? operations.functionArn : undefined,
        pageTopicArn: resolved.watchdogPageTopicArn,
      }),
    );
    new FunctionSchedule(this, 'WatchdogSchedule', {
      scheduleName: names.watchdogSchedule,
      roleName: names.watchdogSchedulerRole,
      description: 'Runs the Vault DR watchdog: it observes the primary from this region and decides',
      rateMinutes: WATCHDOG_RATE_MINUTES,
      targetFunctionArn: watchdog.functionArn,
      invokeSid: 'InvokeDrWatchdog',
      input: JSON.stringify({ command: 'observe' }),
      // A run that cannot be delivered is replaced by the next one a minute later.
      maximumRetryAttempts: 0,
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
      'dr-watchdog': watchdog,
    };

    new DrAlarms(this, 'Alarms', {
      names,
      functionNames: mapFunctions((fn) => byName[fn].functionName),
      metricEnvironment,
      refreshIntervalMinutes: resolved.refreshIntervalMinutes,
      drTokenTtlSeconds: resolved.drTokenTtlSeconds,
      drTokenMinRemainingSeconds: resolved.drTokenMinRemainingSeconds,
      alarmActions: resolved.alarmActions,
      tags,
      provider,
    });
    const pairAlarms = new PairAlarms(this, 'PairAlarms', {
      names,
      metricEnvironment,
      maxReplicationWalGap: resolved.maxReplicationWalGap,
      alarmActions: resolved.alarmActions,
      tags,
      provider,
    });
    const dashboard = new DrDashboard(this, 'Dashboard', {
      dashboardName: names.dashboard,
      region: location.region,
      metricEnvironment,
      clusters: [resolved.clusters.primary, resolved.clusters.dr],
      environment: resolved.environment,
      watchdogMode: resolved.watchdogMode,
      // By name: the query text then reads as it runs (the groups are created with these names).
      operationsLogGroup: `/aws/lambda/${names.functions['dr-operations']}`,
      watchdogLogGroup: `/aws/lambda/${names.functions['dr-watchdog']}`,
      alarmArns: pairAlarms.alarmArns,
      provider,
    });

    if (resolved.vpcEndpoints !== undefined && resolved.vpcPlacement !== undefined) {
      this.vpcEndpointSecurityGroupId = new DrVpcEndpoints(this, 'VpcEndpoints', {
        name: `vault-dr-${resolved.environment}-${resolved.identifier}`,
        vpcId: resolved.vpcEndpoints.vpcId,
        subnetIds: resolved.vpcPlacement.subnetIds,
        functionSecurityGroupIds: resolved.vpcPlacement.securityGroupIds,
        routeTableIds: resolved.vpcEndpoints.routeTableIds,
        services: resolved.vpcEndpoints.services,
        tags,
        provider,
      }).securityGroupId;
    }

    this.vaultAccess = new VaultDrAccess(this, 'VaultAccess', {
      names: names.vault,
      awsAuthMountPath: resolved.vaultAwsAuthMountPath,
      stsEndpoint: resolved.vaultStsUrl,
      stsRegion: resolved.vaultStsRegion,
      iamServerId: resolved.vaultIamServerId,
      loginRoleArns: { 'dr-token-generator': generator.roleArn, 'dr-operations': operations.roleArn },
      tokenBoundCidrs: resolved.vpcPlacement?.subnetCidrs,
      performanceOperations: resolved.performanceSecondaries.length > 0,
      provider: resolved.vaultProvider,
    });

    this.functions = mapFunctions((fn) => ({
      functionName: byName[fn].functionName,
      functionArn: byName[fn].functionArn,
      roleArn: byName[fn].roleArn,
      logGroupName: byName[fn].logGroupName,
    }));
    this.drTokenSecretArn = drTokenSecret.arn;
    this.drTokenKmsKeyArn = drTokenKeyArn;
    this.kmsKeyArn = keyArn;
    this.leaseTableName = leaseTable.tableName;
    this.leaseTableArn = leaseTable.tableArn;
    this.failureQueueArn = failureQueue.arn;
    this.dashboardName = dashboard.dashboardName;
    this.watchdogMode = resolved.watchdogMode;
    this.vaultObjectNames = {
      awsAuthMountPath: resolved.vaultAwsAuthMountPath,
      drOperationPolicy: names.vault.drOperationPolicy,
      tokenCreatorPolicy: names.vault.tokenCreatorPolicy,
      primaryOperationsPolicy: names.vault.primaryOperationsPolicy,
      bootstrapPolicy: names.vault.bootstrapPolicy,
      ...(resolved.performanceSecondaries.length > 0 ? { performanceOperationsPolicy: names.vault.performanceOperationsPolicy } : {}),
      batchTokenRole: names.vault.batchTokenRole,
      tokenGeneratorAuthRole: names.vault.tokenGeneratorAuthRole,
      operationsAuthRole: names.vault.operationsAuthRole,
    };
  }

  /**
   * Makes the Vault AWS auth roles wait for `dependables`. Writing a role with
   * resolve_aws_unique_ids makes Vault call iam:GetRole with its own (the nodes') credentials, so
   * pass the policies that grant it (VaultCluster.allowVaultToResolveRoles) or the first apply fails.
   */
  vaultAuthRolesDependOn(...dependables: ITerraformDependable[]): void {
    this.vaultAccess.dependOn(...dependables);
  }
}

function mapFunctions<T>(pick: (fn: DrFunctionName) => T): Record<DrFunctionName, T> {
  return Object.fromEntries(DR_FUNCTION_NAMES.map((name) => [name, pick(name)])) as Record<DrFunctionName, T>;
}
