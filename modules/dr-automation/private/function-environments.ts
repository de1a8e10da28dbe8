import { dnsSwitchEnvironment } from '../../../functions/dns-switch/settings';
import { drOperationsEnvironment } from '../../../functions/dr-operations/settings';
import { generatorEnvironment } from '../../../functions/dr-token-generator/settings';
import { watchdogEnvironment } from '../../../functions/dr-watchdog/settings';
import { DR_AUTOMATION_DEFAULTS, VAULT_CA_FILE_PATH } from '../defaults';
import type { ResolvedDrAutomationProps } from '../validate-props';

/** The functions that have an environment (vault-login is gone: each function logs in itself). */
export type EnvironmentFunctionName = 'dr-token-generator' | 'dr-operations' | 'dns-switch' | 'dr-watchdog';

/** References to resources and Vault objects the environment variables name. */
export interface FunctionEnvironmentRefs {
  readonly dnsSwitchFunctionName: string;
  /** The dr-operations function the watchdog runs the failover with. */
  readonly operationsFunctionName: string;
  /** The topic the watchdog pages, when there is one. */
  readonly watchdogPageTopicArn: string | undefined;
  readonly drTokenSecretArn: string;
  /** The DynamoDB table of the one-operation-at-a-time lease. */
  readonly leaseTableName: string;
  readonly recordType: string;
  /** Value of the generator's metric dimension `Environment`. */
  readonly metricEnvironment: string;
  /** The token role of `auth/token/create/<role>` (batch DR token). */
  readonly batchTokenRole: string;
  /** Each logging-in function's own Vault AWS auth role (bound to that function's IAM role only). */
  readonly awsAuthRoles: { readonly 'dr-token-generator': string; readonly 'dr-operations': string };
}

/**
 * Each function's environment, written by the function's own settings module (functions/<name>/
 * settings.ts: the names, defaults and rules the handler parses). Optional variables are written
 * only when a prop asks for a value other than the function's own default.
 */
export function functionEnvironments(props: ResolvedDrAutomationProps, refs: FunctionEnvironmentRefs): Record<EnvironmentFunctionName, Record<string, string>> {
  const clusters = [props.clusters.primary, props.clusters.dr] as const;
  const common = { clusters, caFile: VAULT_CA_FILE_PATH, ...(props.logLevel !== undefined ? { logLevel: props.logLevel } : {}) };
  const login = {
    awsAuthPath: props.vaultAwsAuthMountPath,
    ...(props.vaultIamServerId !== undefined ? { iamServerId: props.vaultIamServerId } : {}),
    ...(props.vaultStsUrl !== undefined ? { stsUrl: props.vaultStsUrl } : {}),
    ...(props.vaultStsRegion !== undefined ? { stsRegion: props.vaultStsRegion } : {}),
  };
  return {
    'dr-token-generator': generatorEnvironment({
      ...common,
      ...login,
      awsAuthRole: refs.awsAuthRoles['dr-token-generator'],
      tokenRole: refs.batchTokenRole,
      ttlSeconds: props.drTokenTtlSeconds,
      secretId: refs.drTokenSecretArn,
      metricEnvironment: refs.metricEnvironment,
    }),
    'dr-operations': drOperationsEnvironment({
      ...common,
      ...login,
      awsAuthRole: refs.awsAuthRoles['dr-operations'],
      secretId: refs.drTokenSecretArn,
      minTokenRemainingSeconds: props.drTokenMinRemainingSeconds,
      ...(props.switchDnsAfterPromotion ? { dnsSwitchFunctionName: refs.dnsSwitchFunctionName } : {}),
      leaseTableName: refs.leaseTableName,
      // Only dr-operations operates them; written only when there are some ([] is its default).
      performanceSecondaries: props.performanceSecondaries,
    }),
    'dns-switch': dnsSwitchEnvironment({
      ...common,
      hostedZoneId: props.hostedZoneId,
      recordName: props.vaultRecordName,
      recordType: refs.recordType,
      leaseTableName: refs.leaseTableName,
    }),
    // Written in every mode, the function's own defaults left alone where the props keep them.
    'dr-watchdog': watchdogEnvironment({
      ...common,
      mode: props.watchdogMode,
      ...(props.watchdogWindowSeconds === DR_AUTOMATION_DEFAULTS.watchdogWindowSeconds ? {} : { windowSeconds: props.watchdogWindowSeconds }),
      ...(props.maxReplicationWalGap === DR_AUTOMATION_DEFAULTS.maxReplicationWalGap ? {} : { maxWalGap: props.maxReplicationWalGap }),
      operationsFunctionName: refs.operationsFunctionName,
      ...(refs.watchdogPageTopicArn === undefined ? {} : { pageTopicArn: refs.watchdogPageTopicArn }),
      metricEnvironment: refs.metricEnvironment,
      leaseTableName: refs.leaseTableName,
    }),
  };
}
