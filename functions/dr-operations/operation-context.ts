/** What every DR operation works with, built once per invocation by the handler. */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ClusterView } from '../shared/cluster-probe';
import type { Deadline } from '../shared/deadline';
import type { DrTokenLookup } from '../shared/dr-token-store';
import type { NextCommand } from '../shared/errors';
import type { Logger } from '../shared/log';
import type { PrimaryRecord, PrimaryRecordStore } from '../shared/primary-record';
import type { Timeline } from '../shared/timeline';
import type { VaultClusters } from '../shared/vault-clusters';
import type { LoginCache } from '../shared/vault-login';
import type { OperationRequest } from './event';
import type { Journal } from './journal';
import type { PerformanceReport } from './performance-follow';
import type { DrOperationsSettings } from './settings';

export type { OperationName, OperationRequest } from './event';

export interface OperationContext {
  readonly request: OperationRequest;
  readonly settings: DrOperationsSettings;
  readonly clusters: VaultClusters;
  readonly timeline: Timeline;
  readonly journal: Journal;
  readonly log: Logger;
  readonly deadline: Deadline;
  /** This function's own Vault logins, one per primary it acts on, made at the moment of need. */
  readonly logins: LoginCache;
  readonly lambda: LambdaClient | undefined;
  /** The owner id of the lease this invocation holds (undefined for status and dry runs). */
  readonly leaseOwner: string | undefined;
  /** The cluster the DR operations last made the primary (written before every promote). */
  readonly primaryRecord: PrimaryRecordStore;
  /** Read from Secrets Manager in parallel with the first probe. */
  readonly drToken: Promise<DrTokenLookup>;
  readonly now: () => Date;
}

export type OperationOutcome = 'succeeded' | 'no-op' | 'dry-run';

export interface OperationResult {
  readonly outcome: OperationOutcome;
  readonly summary: string;
  readonly clusters: readonly ClusterView[];
  readonly warnings?: readonly string[];
  /** What was observed to judge a primary down (failover). */
  readonly evidence?: readonly string[];
  /** null when DNS points at the one active primary and nothing else needs doing. */
  readonly next: NextCommand | null;
  readonly drToken?: { readonly present: boolean; readonly expiresAt?: string; readonly secondsToExpiry?: number; readonly problem?: string };
  readonly lease?: { readonly holder: string; readonly acquiredAt: string; readonly expiresAt: string } | null;
  readonly dnsSwitch?: unknown;
  /**
   * Each performance secondary (VAULT_PERFORMANCE_SECONDARIES): whom it follows, whether this
   * invocation re-pointed it, and the command that fixes it. Absent when none is configured.
   */
  readonly performanceSecondaries?: readonly PerformanceReport[];
  /** status only: the primary record, null when no operation has promoted yet. */
  readonly primaryRecord?: PrimaryRecord | null;
}
