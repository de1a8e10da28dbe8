/**
 * Variables every function reads: the clusters, TLS, network bounds for Vault and AWS, the log
 * level and the deadline reserve.
 */
import { clustersRule, clustersValue, type ClusterRef } from './clusters';
import { choiceRule, integerRule, optional, required, textRule, withDefault } from './variables';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const VAULT_VARIABLES = {
  clusters: required(
    'VAULT_CLUSTERS',
    clustersRule,
    'JSON array of the two clusters: `[{"name":"use1","address":"https://vault-prod-use1.example.com:8200","clusterAddress":"https://vault-prod-use1.example.com:8201"}, {...}]`. `name` (letters, digits, `-`, `_`, starting with a letter or digit) is also the Route 53 set identifier of the cluster\'s weighted record; `clusterAddress` (optional) is sent as `primary_cluster_addr` when that cluster is promoted.',
  ),
  caFile: optional(
    'VAULT_CA_FILE',
    textRule('the path of a PEM bundle'),
    'PEM bundle of the CA that signs the Vault listeners (the construct ships it as `/var/task/vault-ca.pem`).',
    "Node's trust store",
  ),
  connectTimeoutMs: withDefault('VAULT_CONNECT_TIMEOUT_MS', integerRule(50, 60_000, 'ms'), '1000', 'TCP + TLS connect bound per attempt, in ms.'),
  requestTimeoutMs: withDefault('VAULT_REQUEST_TIMEOUT_MS', integerRule(50, 120_000, 'ms'), '2500', 'Total bound per attempt, in ms.'),
  maxAttempts: withDefault('VAULT_MAX_ATTEMPTS', integerRule(1, 5), '2', 'Attempts for reads, and for writes that never reached the server.'),
} as const;

export const AWS_VARIABLES = {
  awsConnectTimeoutMs: withDefault('AWS_CONNECT_TIMEOUT_MS', integerRule(50, 60_000, 'ms'), '1000', 'Connect bound per AWS API attempt, in ms.'),
  awsRequestTimeoutMs: withDefault('AWS_REQUEST_TIMEOUT_MS', integerRule(100, 900_000, 'ms'), '5000', 'Total bound per AWS API attempt, in ms.'),
  awsMaxAttempts: withDefault('AWS_MAX_ATTEMPTS', integerRule(1, 10), '3', 'Attempts per AWS API call (the SDK retries throttling).'),
} as const;

export const RUNTIME_VARIABLES = {
  logLevel: withDefault('LOG_LEVEL', choiceRule(LOG_LEVELS), 'info', '`debug`, `info`, `warn` or `error`.'),
  deadlineReserveMs: withDefault(
    'DEADLINE_RESERVE_MS',
    integerRule(100, 30_000, 'ms'),
    '2000',
    'Time kept back from the Lambda deadline to release the lease and compose the answer, in ms.',
  ),
} as const;

export const COMMON_VARIABLES = { ...VAULT_VARIABLES, ...AWS_VARIABLES, ...RUNTIME_VARIABLES } as const;

/** The lease table (DynamoDB), shared by dr-operations and dns-switch. */
export const LEASE_VARIABLES = {
  leaseTableName: required('LEASE_TABLE_NAME', textRule('a DynamoDB table name'), 'DynamoDB table of the one-operation-at-a-time lease (partition key `lockId`).'),
} as const;

export interface HttpBounds {
  /** TCP + TLS connect timeout per attempt. */
  readonly connectTimeoutMs: number;
  /** Total time for one attempt: connect, headers and body. */
  readonly requestTimeoutMs: number;
  /** Attempts for calls that are safe to repeat. */
  readonly maxAttempts: number;
}

export interface AwsBounds {
  readonly connectTimeoutMs: number;
  readonly requestTimeoutMs: number;
  readonly maxAttempts: number;
}

/** What the construct knows of every function's common variables; an undefined value leaves the function's default. */
export interface CommonEnvironmentInput {
  readonly clusters: readonly [ClusterRef, ClusterRef];
  readonly caFile: string;
  readonly logLevel?: LogLevel;
}

/** The raw values of the common variables the construct writes (for `writeVariables`). */
export function commonValues(input: CommonEnvironmentInput): { clusters: string; caFile: string; logLevel: string | undefined } {
  return { clusters: clustersValue(input.clusters), caFile: input.caFile, logLevel: input.logLevel };
}
