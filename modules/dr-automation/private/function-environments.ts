import { VAULT_CA_FILE_PATH } from '../defaults';
import type { DrFunctionName, VaultLoginFunctionName } from '../dr-automation-props';
import type { VaultClusterEndpoint } from '../../shared/vault-cluster-endpoint';
import type { ResolvedDrAutomationProps } from '../validate-props';

/** References to resources the environment variables name. */
export interface FunctionEnvironmentRefs {
  /** The Vault AWS auth role each logging-in function logs in with (bound to its own IAM role). */
  readonly vaultAuthRoles: Readonly<Record<VaultLoginFunctionName, string>>;
  /** The lease table (LEASE_TABLE_NAME) of dr-operations and dns-switch. */
  readonly leaseTableName: string;
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
 * Each function's environment. Placeholder until the functions' side of the login fold lands (the
 * function helper rewrites this file): it carries the refs the construct passes.
 */
export function functionEnvironments(props: ResolvedDrAutomationProps, refs: FunctionEnvironmentRefs): Record<DrFunctionName, Record<string, string>> {
  const common: Record<string, string> = {
    VAULT_CLUSTERS: JSON.stringify([vaultClustersEntry(props.clusters.primary), vaultClustersEntry(props.clusters.dr)]),
    VAULT_CA_FILE: VAULT_CA_FILE_PATH,
    ...(props.logLevel !== undefined ? { LOG_LEVEL: props.logLevel } : {}),
  };
  const login = (fn: VaultLoginFunctionName): Record<string, string> => ({
    VAULT_AWS_AUTH_PATH: props.vaultAwsAuthMountPath,
    VAULT_AWS_AUTH_ROLE: refs.vaultAuthRoles[fn],
    VAULT_IAM_SERVER_ID: props.vaultIamServerId,
    VAULT_STS_URL: props.vaultStsUrl,
    VAULT_STS_REGION: props.vaultStsRegion,
  });
  return {
    'dr-token-generator': {
      ...common,
      ...login('dr-token-generator'),
      DR_TOKEN_ROLE: props.names.vault.batchTokenRole,
      DR_TOKEN_TTL: `${props.drTokenTtlSeconds}s`,
      DR_TOKEN_SECRET_ID: refs.drTokenSecretArn,
      DR_ENVIRONMENT: refs.metricEnvironment,
    },
    'dr-operations': {
      ...common,
      ...login('dr-operations'),
      DR_TOKEN_SECRET_ID: refs.drTokenSecretArn,
      DR_TOKEN_MIN_REMAINING_SECONDS: String(props.drTokenMinRemainingSeconds),
      LEASE_TABLE_NAME: refs.leaseTableName,
      ...(props.switchDnsAfterPromotion ? { DNS_SWITCH_FUNCTION_NAME: refs.dnsSwitchFunctionName } : {}),
    },
    'dns-switch': {
      ...common,
      HOSTED_ZONE_ID: props.hostedZoneId,
      DNS_RECORD_NAME: props.vaultRecordName,
      DNS_RECORD_TYPE: refs.recordType,
      LEASE_TABLE_NAME: refs.leaseTableName,
    },
  };
}
