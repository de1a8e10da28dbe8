import { AUTO_JOIN_TAG_KEY, VAULT_API_PORT, VAULT_CLUSTER_PORT, VAULT_NODE_PATHS, VAULT_STATSD_ADDRESS } from './defaults';

/**
 * What the Vault server configuration of one node depends on. Node-specific values are given as
 * expressions so the same renderer serves the user data (shell variables filled in at boot) and
 * the tests (literal values).
 */
export interface VaultConfigInput {
  /** cluster_name, and the value of the auto_join tag. */
  readonly clusterName: string;
  /** KMS key (ARN or id) of the awskms seal. */
  readonly sealKmsKeyId: string;
  /** Name the joining node expects in the leader's certificate. */
  readonly tlsServerName: string;
  /** The node: Raft node_id, address and region, as literal values or shell variables. */
  readonly node: {
    readonly id: string;
    readonly privateIp: string;
    readonly region: string;
  };
}

/**
 * Refuses what would break out of an HCL (or shell heredoc) string. Terraform tokens pass:
 * they contain none of these characters.
 */
function hclString(value: string): string {
  if (/["\\\n`]/.test(value)) {
    throw new Error(`Vault configuration: ${JSON.stringify(value)} cannot be written in an HCL string (quote, backslash, backtick or newline).`);
  }
  return `"${value}"`;
}

/** The Vault server configuration (HCL) of one node. Pure: same input, same text. */
export function renderVaultConfig(input: VaultConfigInput): string {
  const p = VAULT_NODE_PATHS;
  const { node } = input;
  return `ui            = true
cluster_name  = ${hclString(input.clusterName)}
api_addr      = ${hclString(`https://${node.privateIp}:${VAULT_API_PORT}`)}
cluster_addr  = ${hclString(`https://${node.privateIp}:${VAULT_CLUSTER_PORT}`)}
license_path  = ${hclString(p.licenseFile)}
# Integrated storage memory-maps its database; mlock would pin it all. Swap is off instead.
disable_mlock = true

storage "raft" {
  path    = ${hclString(p.dataDir)}
  node_id = ${hclString(node.id)}

  retry_join {
    auto_join             = ${hclString(`provider=aws region=${node.region} tag_key=${AUTO_JOIN_TAG_KEY} tag_value=${input.clusterName} addr_type=private_v4`)}
    auto_join_scheme      = "https"
    auto_join_port        = ${VAULT_API_PORT}
    leader_tls_servername = ${hclString(input.tlsServerName)}
    leader_ca_cert_file   = ${hclString(p.tlsCaFile)}
  }
}

listener "tcp" {
  address            = ${hclString(`0.0.0.0:${VAULT_API_PORT}`)}
  cluster_address    = ${hclString(`0.0.0.0:${VAULT_CLUSTER_PORT}`)}
  tls_cert_file      = ${hclString(p.tlsCertFile)}
  tls_key_file       = ${hclString(p.tlsKeyFile)}
  tls_client_ca_file = ${hclString(p.tlsCaFile)}
  tls_min_version    = "tls12"

  telemetry {
    # Prometheus scrapes sys/metrics with a token (a policy with read on sys/metrics).
    unauthenticated_metrics_access = false
  }
}

seal "awskms" {
  region     = ${hclString(node.region)}
  kms_key_id = ${hclString(input.sealKmsKeyId)}
}

telemetry {
  prometheus_retention_time = "24h"
  disable_hostname          = true
  # The node's CloudWatch agent publishes these; the audit failure alarm reads vault.audit.*_failure.
  statsd_address            = ${hclString(VAULT_STATSD_ADDRESS)}
}
`;
}
