import type { DrFunctionName } from './dr-automation-props';

/** Defaults of the optional DrAutomation props, in one place; the caller's value always wins. */
export const DR_AUTOMATION_DEFAULTS = {
  drTokenTtlSeconds: 8 * 60 * 60,
  refreshIntervalMinutes: 60,
  drTokenMinRemainingSeconds: 600,
  // 365 days is the shortest retention CKV_AWS_338 accepts, and a year of failover history is
  // what an audit asks for.
  logRetentionDays: 365,
  // The functions' own defaults, written explicitly into the mount's client configuration too:
  // Vault replays a login to its sts_endpoint, and the signature holds only for the endpoint and
  // region it was made for.
  vaultStsUrl: 'https://sts.amazonaws.com/',
  vaultStsRegion: 'us-east-1',
  switchDnsAfterPromotion: true,
  // The watchdog pages "would fail over now" and acts only where an environment says auto.
  watchdogMode: 'notify',
  watchdogWindowSeconds: 120,
  maxReplicationWalGap: 1000,
} as const;

/** The Lambda runtime the bundles are built for (scripts/build-functions.ts targets node22). */
export const LAMBDA_RUNTIME = 'nodejs22.x';
/** The bundles are plain JavaScript: Graviton is cheaper and starts as fast. */
export const LAMBDA_ARCHITECTURE = 'arm64';
/** Name of the bundle in each archive and of the handler export (`index.handler`). */
export const LAMBDA_HANDLER = 'index.handler';
export const BUNDLE_FILE_NAME = 'index.js';
/** The CA bundle's name in the archive and where Lambda unpacks it. */
export const VAULT_CA_FILE_NAME = 'vault-ca.pem';
export const VAULT_CA_FILE_PATH = `/var/task/${VAULT_CA_FILE_NAME}`;

/**
 * A login token serves one run (one DR token, or one demote and one secondary-token): five
 * minutes are plenty, ten the most.
 */
export const LOGIN_TOKEN_TTL_SECONDS = 300;
export const LOGIN_TOKEN_MAX_TTL_SECONDS = 600;

/** The EMF metric the generator prints on success: declared once, in its settings module. */
export { DR_TOKEN_METRIC } from '../../functions/dr-token-generator/settings';

export interface FunctionSettings {
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memorySize: number;
  /** Reserved concurrency: also the most copies that can run at once. */
  readonly reservedConcurrency: number;
  /** Lambda's retries of a failed asynchronous invocation. */
  readonly asyncRetryAttempts: number;
}

export const FUNCTION_SETTINGS: Readonly<Record<DrFunctionName, FunctionSettings>> = {
  'dr-token-generator': {
    description: 'Replaces the batch DR operation token in Secrets Manager',
    timeoutSeconds: 60,
    memorySize: 256,
    reservedConcurrency: 1,
    // Creating a token is safe to repeat; a retry saves an hour without a fresh token.
    asyncRetryAttempts: 2,
  },
  'dr-operations': {
    description: 'Vault DR status, failover, switchover, link and bootstrap',
    // Promotion wait (20 s) + demotion, secondary token, update-primary + the DNS switch (60 s).
    timeoutSeconds: 120,
    memorySize: 256,
    // Two failovers at once could leave two primaries.
    reservedConcurrency: 1,
    // A failover is never repeated behind the operator's back.
    asyncRetryAttempts: 0,
  },
  'dns-switch': {
    description: 'Moves the Vault endpoint weights to the cluster that is primary',
    // Route 53 sync wait (30 s) plus the reads and the change.
    timeoutSeconds: 60,
    memorySize: 256,
    reservedConcurrency: 1,
    asyncRetryAttempts: 0,
  },
  'dr-watchdog': {
    description: 'Watches the Vault primary from the DR region; pages, and fails over when allowed',
    // Probes (2.5 s), the state and the lease, a failover through dr-operations (its own 120 s),
    // two pages: within WATCHDOG_LOCAL_BUDGET_MS.
    timeoutSeconds: 180,
    memorySize: 256,
    // One run at a time: the history's conditional write would drop an overlapping run anyway.
    reservedConcurrency: 1,
    // A missed run is the next scheduled one; a failover is never repeated behind anyone's back.
    asyncRetryAttempts: 0,
  },
};

/** The watchdog runs every minute (EventBridge Scheduler's smallest rate). */
export const WATCHDOG_RATE_MINUTES = 1;

/**
 * The alarms' bounds that are not props: how long a state must last before it pages, in minutes
 * (the watchdog publishes one point a minute), and the replication heartbeat's largest age.
 */
export const MONITORING_DEFAULTS = {
  secondaryNotStreamingMinutes: 5,
  replicationLagMinutes: 3,
  noActivePrimaryMinutes: 3,
  watchdogSilentMinutes: 3,
  maxReplicationHeartbeatAgeSeconds: 60,
} as const;

/** The metrics the watchdog prints: declared once, in its settings module. */
export { WATCHDOG_METRICS, WATCHDOG_MODES, type WatchdogMode } from '../../functions/dr-watchdog/settings';

/** Failed asynchronous invocations and undelivered schedule runs are kept this long. */
export const FAILURE_QUEUE_RETENTION_SECONDS = 14 * 24 * 60 * 60;
/** A deleted DR token secret can be restored for this long. */
export const SECRET_RECOVERY_WINDOW_DAYS = 7;

/** The lease table's schema and the actions the lease takes, as the functions declare them. */
export { LEASE_TABLE_ACTIONS, LEASE_TABLE_ITEMS, LEASE_TABLE_SCHEMA } from '../../functions/shared/settings/lease-table';
