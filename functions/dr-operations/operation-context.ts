/** What every DR operation works with, built once per invocation by the handler. */
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { ClusterView } from '../shared/cluster-probe';
import type { DrTokenLookup } from '../shared/dr-token-store';
import type { Logger } from '../shared/log';
import type { Timeline } from '../shared/timeline';
import type { VaultClusters } from '../shared/vault-clusters';

export const OPERATIONS = ['status', 'failover', 'switchover', 'link'] as const;
export type OperationName = (typeof OPERATIONS)[number];

export interface OperationRequest {
  readonly operation: OperationName;
  /** Probe and check everything, change nothing, say what would be done. */
  readonly dryRun: boolean;
  /** Accept a DR secondary that is not healthy, or fail over from a primary that still answers. */
  readonly force: boolean;
  /** link only, and only in a split brain: the cluster to demote and re-attach. */
  readonly demote: string | undefined;
}

export interface OperationSettings {
  readonly minTokenRemainingSeconds: number;
  readonly promotionTimeoutMs: number;
  /** Poll interval while waiting for a role change. */
  readonly pollMs: number;
  readonly dnsSwitchFunctionName: string | undefined;
}

export interface OperationContext {
  readonly request: OperationRequest;
  readonly settings: OperationSettings;
  readonly clusters: VaultClusters;
  readonly timeline: Timeline;
  readonly log: Logger;
  readonly lambda: LambdaClient | undefined;
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
  readonly drToken?: { readonly present: boolean; readonly expiresAt?: string; readonly secondsToExpiry?: number; readonly problem?: string };
  readonly dnsSwitch?: unknown;
}
