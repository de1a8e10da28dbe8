/**
 * dr-token-generator: runs on a schedule and keeps a fresh batch DR operation token in Secrets
 * Manager (docs/contracts.md). It logs in to Vault itself, with its own execution role and its own
 * Vault role. A failed run stores nothing and throws, so the invocation fails and the alarm and the
 * on-failure destination fire.
 */
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientOptions } from '../shared/aws-client-options';
import { readCaFile } from '../shared/ca-file';
import { describeView, type ClusterView } from '../shared/cluster-probe';
import { Deadline, type LambdaContextLike } from '../shared/deadline';
import { secondsToExpiry } from '../shared/dr-token-store';
import { finalizeError, lambdaError } from '../shared/failure';
import { createLogger } from '../shared/log';
import type { Env } from '../shared/settings/variables';
import { Timeline } from '../shared/timeline';
import { VaultClusters } from '../shared/vault-clusters';
import { credentialsFromEnv } from '../shared/vault-login';
import { generateDrToken } from './generate-dr-token';
import { GENERATOR_LOCAL_BUDGET_MS, parseGeneratorSettings } from './settings';
import { refreshMetricLine } from './token-metrics';

export interface GeneratorAnswer {
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly vaultAddress: string;
}

/** The Lambda entry point. The scheduler's payload is ignored. */
export async function handler(_event: unknown, context?: LambdaContextLike): Promise<GeneratorAnswer> {
  try {
    return await refreshDrToken(process.env, context);
  } catch (err) {
    throw lambdaError(finalizeError(err, { changed: [], clusters: [], defaultNext: null }));
  }
}

export async function refreshDrToken(env: Env, context?: LambdaContextLike): Promise<GeneratorAnswer> {
  const settings = parseGeneratorSettings(env);
  const log = createLogger({ function: 'dr-token-generator', ...(context?.awsRequestId ? { requestId: context.awsRequestId } : {}) }, settings.logLevel);
  const deadline = Deadline.forInvocation(context, settings.deadlineReserveMs, GENERATOR_LOCAL_BUDGET_MS);
  const clusters = new VaultClusters(settings.clusters, settings, readCaFile(settings.caFile), deadline);
  const secrets = new SecretsManagerClient(awsClientOptions({ connectTimeoutMs: settings.awsConnectTimeoutMs, requestTimeoutMs: settings.awsRequestTimeoutMs, maxAttempts: settings.awsMaxAttempts }, deadline));
  const timeline = new Timeline();
  const seen: { views: readonly ClusterView[] } = { views: [] };
  try {
    const record = await generateDrToken(settings, {
      clusters,
      seen,
      secrets,
      credentials: () => credentialsFromEnv(env),
      timeline,
      deadline,
      now: () => new Date(),
    });
    const now = new Date();
    process.stdout.write(`${refreshMetricLine(settings.metricEnvironment, secondsToExpiry(record, now), now)}\n`);
    log.info('DR token refreshed', { expiresAt: record.expiresAt, vaultAddress: record.vaultAddress, timeline: timeline.entries });
    return { expiresAt: record.expiresAt, createdAt: record.createdAt, vaultAddress: record.vaultAddress };
  } catch (err) {
    const error = finalizeError(err, {
      changed: [],
      clusters: seen.views.map(describeView),
      defaultNext: { function: 'dr-token-generator', event: {}, why: 'it creates and stores a fresh token once the cause is fixed; the stored token is unchanged' },
    });
    log.error('DR token refresh failed; the stored token was not changed', { error: { name: error.name, message: error.message }, timeline: timeline.entries });
    throw error;
  } finally {
    secrets.destroy();
    await clusters.close();
  }
}
