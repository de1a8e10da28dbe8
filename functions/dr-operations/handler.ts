/**
 * dr-operations: status, failover, switchover and link between the two Vault clusters
 * (docs/contracts.md). Refusals and failures throw with a message that says why; the timeline up
 * to that point is logged.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientOptions } from '../shared/aws-client-options';
import type { ClusterView } from '../shared/cluster-probe';
import { readDrToken } from '../shared/dr-token-store';
import { optionalInteger, optionalString, requiredString, type Env } from '../shared/env';
import { eventObject, optionalBoolean, optionalText, requiredChoice } from '../shared/event-fields';
import { InputError } from '../shared/errors';
import { createLogger } from '../shared/log';
import { Timeline, type TimelineEntry } from '../shared/timeline';
import { readVaultSettings } from '../shared/vault-config';
import { VaultClusters } from '../shared/vault-clusters';
import { failover } from './failover';
import { link } from './link';
import { OPERATIONS, type OperationContext, type OperationName, type OperationRequest, type OperationResult } from './operation-context';
import { status } from './status';
import { switchover } from './switchover';

export interface OperationAnswer extends OperationResult {
  readonly operation: OperationName;
  readonly dryRun: boolean;
  readonly clusters: readonly ClusterView[];
  readonly timeline: readonly TimelineEntry[];
}

const RUN: Record<OperationName, (ctx: OperationContext) => Promise<OperationResult>> = { status, failover, switchover, link };

export function parseOperationEvent(event: unknown): OperationRequest {
  const fields = eventObject(event, ['operation', 'dryRun', 'force', 'demote'], false);
  const operation = requiredChoice(fields, 'operation', OPERATIONS);
  const demote = optionalText(fields, 'demote');
  if (demote !== undefined && operation !== 'link') {
    throw new InputError('demote', `is only accepted by the link operation, not ${operation}`);
  }
  return { operation, dryRun: optionalBoolean(fields, 'dryRun'), force: optionalBoolean(fields, 'force'), demote };
}

/** The Lambda entry point. */
export async function handler(event: unknown): Promise<OperationAnswer> {
  return runOperation(event, process.env);
}

export async function runOperation(event: unknown, env: Env): Promise<OperationAnswer> {
  const request = parseOperationEvent(event);
  const log = createLogger({ function: 'dr-operations', operation: request.operation, dryRun: request.dryRun });
  const secretId = requiredString(env, 'DR_TOKEN_SECRET_ID');
  const settings = {
    minTokenRemainingSeconds: optionalInteger(env, 'DR_TOKEN_MIN_REMAINING_SECONDS', 600, { min: 0, max: 86_400 }),
    promotionTimeoutMs: optionalInteger(env, 'VAULT_PROMOTION_TIMEOUT_MS', 20_000, { min: 100, max: 600_000 }),
    pollMs: optionalInteger(env, 'VAULT_POLL_MS', 250, { min: 10, max: 10_000 }),
    dnsSwitchFunctionName: optionalString(env, 'DNS_SWITCH_FUNCTION_NAME'),
  };
  const clusters = new VaultClusters(readVaultSettings(env));
  const aws = awsClientOptions(env);
  const secrets = new SecretsManagerClient(aws);
  // dns-switch waits for INSYNC (DNS_SYNC_TIMEOUT_MS, 30 s by default): the invoke must outlast it.
  const lambda = settings.dnsSwitchFunctionName === undefined
    ? undefined
    : new LambdaClient({ ...aws, requestHandler: { ...aws.requestHandler, requestTimeout: optionalInteger(env, 'DNS_SWITCH_INVOKE_TIMEOUT_MS', 60_000, { min: 1000, max: 900_000 }) } });
  const timeline = new Timeline();
  const drToken = readDrToken(secrets, secretId);
  // Read in parallel with the first probe; a rejection is awaited by whichever step needs the token.
  drToken.catch(() => undefined);
  const ctx: OperationContext = { request, settings, clusters, timeline, log, lambda, drToken, now: () => new Date() };
  try {
    const result = await RUN[request.operation](ctx);
    log.info(result.summary, { outcome: result.outcome, clusters: result.clusters, timeline: timeline.entries, warnings: result.warnings });
    return { operation: request.operation, dryRun: request.dryRun, ...result, timeline: timeline.entries };
  } catch (err) {
    log.error(`${request.operation} did not complete`, { error: err, timeline: timeline.entries });
    throw err;
  } finally {
    secrets.destroy();
    lambda?.destroy();
    await clusters.close();
  }
}
