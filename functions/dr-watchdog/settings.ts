/**
 * dr-watchdog's configuration: every variable with its default and rule, parsed once by the
 * handler and written by the DR automation construct (modules/dr-automation). Dependency-light:
 * valibot only. The metric names it prints are declared here too, so the construct's alarms and
 * dashboard read exactly what the function writes.
 */
import { COMMON_VARIABLES, LEASE_VARIABLES, commonValues, type CommonEnvironmentInput } from '../shared/settings/common';
import { choiceRule, integerRule, optional, parseVariables, required, textRule, withDefault, writeVariables, type Env, type Values } from '../shared/settings/variables';

/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
export const WATCHDOG_LOCAL_BUDGET_MS = 180_000;

/**
 * What the watchdog may do: `off` observes and publishes its metrics only; `notify` also pages
 * "would fail over now" with the evidence; `auto` runs the failover (once, then disarms).
 */
export const WATCHDOG_MODES = ['off', 'notify', 'auto'] as const;
export type WatchdogMode = (typeof WATCHDOG_MODES)[number];

/** The CloudWatch metrics (Embedded Metric Format) every run prints; the construct's alarms and dashboard read them. */
export const WATCHDOG_METRICS = {
  namespace: 'VaultDR',
  /** Pair-level metrics carry this dimension only. */
  dimension: 'Environment',
  /** Per-cluster metrics carry this one too. */
  clusterDimension: 'Cluster',
  /** 1 per run: the "watchdog not reporting" alarm fires when it stops. */
  run: 'WatchdogRun',
  /** 1 while armed, 0 once disarmed (after an automatic failover, or by an operator). */
  armed: 'WatchdogArmed',
  /** 1 when some cluster answered the watchdog as an active DR primary this run, else 0. */
  primaryActive: 'PrimaryActive',
  /** The watchdog's own probes of the watched primary this run, and how many of them found it down. */
  primaryProbes: 'PrimaryProbes',
  primaryProbesDown: 'PrimaryProbesDown',
  /** The DR secondary's replication view of the primary: 1 connected (or a fresh heartbeat), 0 lost; absent when unknown. */
  secondarySeesPrimary: 'SecondarySeesPrimary',
  /** 1 when the DR secondary reports state stream-wals, else 0 (also when no cluster is a DR secondary). */
  secondaryStreaming: 'SecondaryStreaming',
  /** The primary's last DR WAL index minus the secondary's last received one, when both answered. */
  walGap: 'ReplicationWalGap',
  /** Age of the secondary's last heartbeat from its primary, by the secondary's clock, in seconds. */
  heartbeatAge: 'ReplicationHeartbeatAgeSeconds',
  /** 1 when every vantage point found the primary down this run. */
  primaryDownAgreed: 'PrimaryDownAgreed',
  /** 1 when the rule is met (every vantage point, for the window): a failover would run now (notify), or is blocked. */
  wouldFailOver: 'WatchdogWouldFailOver',
  /** 1 when the watchdog invoked the failover. */
  failoverStarted: 'WatchdogFailoverStarted',
  /** 1 when a page could not be published (the alarms still fire). */
  pageFailed: 'WatchdogPageFailed',
  /** Per cluster: 1 when a probe got an HTTP answer. */
  clusterReachable: 'ClusterReachable',
  /** Per cluster: 1 when a probe found it an active DR primary. */
  clusterPrimary: 'ClusterActivePrimary',
  /** Per cluster: 1 when a probe found it a DR secondary. */
  clusterSecondary: 'ClusterDrSecondary',
  /** Per cluster: probes answered 503 sealed. */
  clusterSealed: 'ClusterSealedAnswers',
} as const;

export const WATCHDOG_OWN_VARIABLES = {
  mode: withDefault(
    'WATCHDOG_MODE',
    choiceRule(WATCHDOG_MODES),
    'notify',
    '`off` (observe and publish metrics only), `notify` (also page "would fail over now" with the evidence) or `auto` (run the failover, once, then disarm).',
  ),
  windowMs: withDefault(
    'WATCHDOG_WINDOW_MS',
    integerRule(0, 3_600_000, 'ms'),
    '120000',
    'Every vantage point must have found the primary down for at least this long, in ms (every run in it, and the last run before it).',
  ),
  minRounds: withDefault('WATCHDOG_MIN_ROUNDS', integerRule(1, 60), '3', 'Runs that must have agreed, at least, over the window.'),
  maxRoundGapMs: withDefault(
    'WATCHDOG_MAX_ROUND_GAP_MS',
    integerRule(1_000, 3_600_000, 'ms'),
    '150000',
    'Longest gap between two runs that still counts as watching without a break, in ms (a missed run is no evidence).',
  ),
  probes: withDefault(
    'WATCHDOG_PROBES',
    integerRule(1, 10),
    '3',
    'Probes of each cluster per run, each on a new connection (the load balancer draws a node per connection).',
  ),
  heartbeatStaleMs: withDefault(
    'WATCHDOG_HEARTBEAT_STALE_MS',
    integerRule(0, 3_600_000, 'ms'),
    '15000',
    "The DR secondary sees its primary down when it reports it disconnected with a last heartbeat older than this, in ms (by the secondary's own clock).",
  ),
  maxWalGap: withDefault(
    'WATCHDOG_MAX_WAL_GAP',
    integerRule(0, 1_000_000_000),
    '1000',
    "The last-known replication lag (the primary's last DR WAL index minus the secondary's last received one, read while both answered) must be at most this.",
  ),
  operationsFunctionName: required('DR_OPERATIONS_FUNCTION_NAME', textRule('a Lambda function name'), 'The dr-operations function the failover is run with.'),
  pageTopicArn: optional('WATCHDOG_PAGE_TOPIC_ARN', textRule('an SNS topic ARN'), 'SNS topic paged before and after a failover and when the rule is met in notify mode (the alarms page as well).'),
  metricEnvironment: withDefault('DR_ENVIRONMENT', textRule('a name'), 'unknown', 'The `Environment` dimension of its metrics.'),
  ...LEASE_VARIABLES,
} as const;

export const WATCHDOG_VARIABLES = { ...COMMON_VARIABLES, ...WATCHDOG_OWN_VARIABLES } as const;

export type WatchdogSettings = Values<typeof WATCHDOG_VARIABLES>;

export function parseWatchdogSettings(env: Env): WatchdogSettings {
  return parseVariables(WATCHDOG_VARIABLES, env);
}

/** What the construct knows; undefined optional values leave the function's default. */
export interface WatchdogEnvironmentInput extends CommonEnvironmentInput {
  readonly mode: WatchdogMode;
  readonly windowSeconds?: number;
  readonly maxWalGap?: number;
  readonly operationsFunctionName: string;
  readonly pageTopicArn?: string;
  readonly metricEnvironment: string;
  readonly leaseTableName: string;
}

export function watchdogEnvironment(input: WatchdogEnvironmentInput): Record<string, string> {
  return writeVariables(WATCHDOG_VARIABLES, {
    ...commonValues(input),
    mode: input.mode,
    windowMs: input.windowSeconds === undefined ? undefined : String(input.windowSeconds * 1000),
    maxWalGap: input.maxWalGap === undefined ? undefined : String(input.maxWalGap),
    operationsFunctionName: input.operationsFunctionName,
    pageTopicArn: input.pageTopicArn,
    metricEnvironment: input.metricEnvironment,
    leaseTableName: input.leaseTableName,
  });
}
