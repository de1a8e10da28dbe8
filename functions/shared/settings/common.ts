/**
 * Variables every function reads: the clusters, TLS, network bounds for Vault and AWS, the log
 * level and the deadline reserve.
 */
import { clustersRule, clustersValue, performanceSecondariesProblems, performanceSecondariesRule, performanceSecondariesValue, type ClusterRef } from './clusters';
import { choiceRule, integerRule, optional, required, SettingsError, textRule, withDefault } from './variables';

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

/**
 * The performance secondaries of the primary, beside the DR pair (dr-operations only): status
 * reports them, failover and switchover make them follow the new primary, link re-points one.
 */
export const PERFORMANCE_VARIABLES = {
  performanceSecondaries: withDefault(
    'VAULT_PERFORMANCE_SECONDARIES',
    performanceSecondariesRule,
    '[]',
    'JSON array of the performance secondaries of the primary, each like a `VAULT_CLUSTERS` entry: `[{"name":"south","address":"https://vault-prod-sae1.example.com:8200","clusterAddress":"https://vault-prod-sae1.example.com:8201"}]`; names and addresses differ from the DR clusters\' and from each other. `[]`: no performance replication, no extra call.',
  ),
} as const;

/**
 * The checks that need both lists: a performance secondary is neither DR cluster. Throws a
 * SettingsError naming each field.
 */
export function checkPerformanceSecondaries(pair: readonly ClusterRef[], secondaries: readonly ClusterRef[]): void {
  const problems = performanceSecondariesProblems(pair, secondaries);
  if (problems.length) throw new SettingsError(problems);
}

/** The raw `VAULT_PERFORMANCE_SECONDARIES` value; undefined (the default, none) for an empty or absent list. */
export function performanceValue(secondaries: readonly ClusterRef[] | undefined): string | undefined {
  return secondaries === undefined || secondaries.length === 0 ? undefined : performanceSecondariesValue(secondaries);
}

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
