import { VAULT_CA_FILE_PATH } from '../defaults';
import type { DrFunctionName } from '../dr-automation-props';
import type { VaultClusterEndpoint } from '../../shared/vault-cluster-endpoint';
import type { ResolvedDrAutomationProps } from '../validate-props';

/** References to resources the environment variables name. */
export interface FunctionEnvironmentRefs {
  readonly loginFunctionName: string;
  readonly dnsSwitchFunctionName: string;
  readonly drTokenSecretArn: string;
  readonly recordType: string;
  /** Value of the generator's metric dimension `Environment`. */
  readonly metricEnvironment: string;
}

/** One `VAULT_CLUSTERS` entry (docs/contracts.md): `clusterAddress` only when known. */
function vaultClustersEntry(cluster: VaultClusterEndpoint): { name: string; address: string; clusterAddress?: string } {
  return {
    name: cluster.name,
    address: cluster.address,
    ...(cluster.clusterAddress !== undefined ? { clusterAddress: cluster.clusterAddress } : {}),
  };
}

/**
 * Each function's environment, exactly the variables of docs/contracts.md. Optional variables are
 * set only when a prop asks for a value other than the function's own default.
 */
export function functionEnvironments(props: ResolvedDrAutomationProps, refs: FunctionEnvironmentRefs): Record<DrFunctionName, Record<string, string>> {
  const common: Record<string, string> = {
    VAULT_CLUSTERS: JSON.stringify([vaultClustersEntry(props.clusters.primary), vaultClustersEntry(props.clusters.dr)]),
    VAULT_CA_FILE: VAULT_CA_FILE_PATH,
    ...(props.logLevel !== undefined ? { LOG_LEVEL: props.logLevel } : {}),
  };
  return {
    'vault-login': {
      ...common,
      VAULT_ADDR: props.vaultAddress,
      VAULT_AWS_AUTH_PATH: props.vaultAwsAuthMountPath,
      ...(props.vaultIamServerId !== undefined ? { VAULT_IAM_SERVER_ID: props.vaultIamServerId } : {}),
      ...(props.vaultStsUrl !== undefined ? { VAULT_STS_URL: props.vaultStsUrl } : {}),
      ...(props.vaultStsRegion !== undefined ? { VAULT_STS_REGION: props.vaultStsRegion } : {}),
    },
    'dr-token-generator': {
      ...common,
      LOGIN_FUNCTION_NAME: refs.loginFunctionName,
      VAULT_LOGIN_ROLE: props.names.vault.awsAuthRole,
      DR_TOKEN_ROLE: props.names.vault.batchTokenRole,
      DR_TOKEN_TTL: `${props.drTokenTtlSeconds}s`,
      DR_TOKEN_SECRET_ID: refs.drTokenSecretArn,
      DR_ENVIRONMENT: refs.metricEnvironment,
    },
    'dr-operations': {
      ...common,
      DR_TOKEN_SECRET_ID: refs.drTokenSecretArn,
      DR_TOKEN_MIN_REMAINING_SECONDS: String(props.drTokenMinRemainingSeconds),
      ...(props.switchDnsAfterPromotion ? { DNS_SWITCH_FUNCTION_NAME: refs.dnsSwitchFunctionName } : {}),
    },
    'dns-switch': {
      ...common,
      HOSTED_ZONE_ID: props.hostedZoneId,
      DNS_RECORD_NAME: props.vaultRecordName,
      DNS_RECORD_TYPE: refs.recordType,
    },
  };
}
