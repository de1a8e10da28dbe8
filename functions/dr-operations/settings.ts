/**
 * dr-operations' configuration: every variable with its default and rule, parsed once by the
 * handler and written by the DR automation construct (modules/dr-automation). Dependency-light:
 * valibot only.
 */
import { COMMON_VARIABLES, LEASE_VARIABLES, PERFORMANCE_VARIABLES, checkPerformanceSecondaries, commonValues, performanceValue, type CommonEnvironmentInput } from '../shared/settings/common';
import type { ClusterRef } from '../shared/settings/clusters';
import { LOGIN_VARIABLES, loginValues, type LoginEnvironmentInput } from '../shared/settings/login';
import { integerRule, optional, parseVariables, required, textRule, withDefault, writeVariables, type Env, type Values } from '../shared/settings/variables';

/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
export const DR_OPERATIONS_LOCAL_BUDGET_MS = 120_000;

export const DR_OPERATIONS_OWN_VARIABLES = {
  secretId: required('DR_TOKEN_SECRET_ID', textRule('a Secrets Manager secret name or ARN'), 'The secret dr-token-generator writes.'),
  minTokenRemainingSeconds: withDefault('DR_TOKEN_MIN_REMAINING_SECONDS', integerRule(0, 86_400, 's'), '600', 'Refuse when the DR token expires sooner, in seconds.'),
  promotionTimeoutMs: withDefault('VAULT_PROMOTION_TIMEOUT_MS', integerRule(100, 600_000, 'ms'), '20000', 'Longest wait for a cluster to reach its new role, in ms (also bounded by the deadline).'),
  pollMs: withDefault('VAULT_POLL_MS', integerRule(10, 10_000, 'ms'), '250', 'Poll interval while waiting, in ms.'),
  dnsSwitchFunctionName: optional('DNS_SWITCH_FUNCTION_NAME', textRule('a Lambda function name'), 'When set, failover and switchover move DNS by invoking dns-switch under their own lease.'),
  primaryDownProbes: withDefault(
    'PRIMARY_DOWN_PROBES',
    integerRule(1, 10),
    '3',
    'Probes of the primary, each on a new connection (the load balancer draws a node per connection), that must all fail before it is judged down.',
  ),
  primaryDownWindowMs: withDefault(
    'PRIMARY_DOWN_WINDOW_MS',
    integerRule(0, 60_000, 'ms'),
    '6000',
    'Those probes are spread evenly over this window, in ms (first to last).',
  ),
  primaryHeartbeatStaleMs: withDefault(
    'PRIMARY_HEARTBEAT_STALE_MS',
    integerRule(0, 600_000, 'ms'),
    '5000',
    "Where the DR secondary answers, its replication status must show the primary disconnected with a last heartbeat older than this, in ms.",
  ),
  ...LEASE_VARIABLES,
  ...PERFORMANCE_VARIABLES,
} as const;

export const DR_OPERATIONS_VARIABLES = { ...COMMON_VARIABLES, ...LOGIN_VARIABLES, ...DR_OPERATIONS_OWN_VARIABLES } as const;

export type DrOperationsSettings = Values<typeof DR_OPERATIONS_VARIABLES>;

export function parseDrOperationsSettings(env: Env): DrOperationsSettings {
  const settings = parseVariables(DR_OPERATIONS_VARIABLES, env);
  checkPerformanceSecondaries(settings.clusters, settings.performanceSecondaries);
  return settings;
}

export interface DrOperationsEnvironmentInput extends CommonEnvironmentInput, LoginEnvironmentInput {
  readonly secretId: string;
  readonly minTokenRemainingSeconds: number;
  /** Set when a successful promotion ends by moving DNS. */
  readonly dnsSwitchFunctionName?: string;
  readonly leaseTableName: string;
  /**
   * The performance secondaries of the primary.
   * @default [] (none: the variable is not written)
   */
  readonly performanceSecondaries?: readonly ClusterRef[];
}

export function drOperationsEnvironment(input: DrOperationsEnvironmentInput): Record<string, string> {
  return writeVariables(DR_OPERATIONS_VARIABLES, {
    ...commonValues(input),
    ...loginValues(input),
    secretId: input.secretId,
    minTokenRemainingSeconds: String(input.minTokenRemainingSeconds),
    dnsSwitchFunctionName: input.dnsSwitchFunctionName,
    leaseTableName: input.leaseTableName,
    performanceSecondaries: performanceValue(input.performanceSecondaries),
  });
}
