/**
 * dr-token-generator: runs on a schedule and keeps a fresh batch DR operation token in Secrets
 * Manager (docs/contracts.md). A failed run stores nothing and throws, so the invocation fails and
 * the alarm and the on-failure destination fire.
 */
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { awsClientOptions } from '../shared/aws-client-options';
import { secondsToExpiry } from '../shared/dr-token-store';
import { durationSeconds } from '../shared/duration';
import { optionalInteger, optionalString, requiredString, type Env } from '../shared/env';
import { createLogger } from '../shared/log';
import { Timeline } from '../shared/timeline';
import { readVaultSettings } from '../shared/vault-config';
import { VaultClusters } from '../shared/vault-clusters';
import { generateDrToken } from './generate-dr-token';
import { refreshMetricLine } from './token-metrics';

export interface GeneratorAnswer {
  readonly expiresAt: string;
  readonly createdAt: string;
  readonly vaultAddress: string;
}

/** The Lambda entry point. The scheduler's payload is ignored. */
export async function handler(): Promise<GeneratorAnswer> {
  return refreshDrToken(process.env);
}

export async function refreshDrToken(env: Env): Promise<GeneratorAnswer> {
  const log = createLogger({ function: 'dr-token-generator' });
  const ttl = optionalString(env, 'DR_TOKEN_TTL') ?? '8h';
  durationSeconds('DR_TOKEN_TTL', ttl);
  const settings = {
    loginFunctionName: requiredString(env, 'LOGIN_FUNCTION_NAME'),
    loginRole: requiredString(env, 'VAULT_LOGIN_ROLE'),
    tokenRole: requiredString(env, 'DR_TOKEN_ROLE'),
    secretId: requiredString(env, 'DR_TOKEN_SECRET_ID'),
    ttl,
  };
  const clusters = new VaultClusters(readVaultSettings(env));
  // The login function itself waits up to two Vault attempts; the invoke must outlast it.
  const loginTimeoutMs = optionalInteger(env, 'LOGIN_INVOKE_TIMEOUT_MS', 15_000, { min: 1000, max: 900_000 });
  const aws = awsClientOptions(env);
  const lambda = new LambdaClient({ ...aws, requestHandler: { ...aws.requestHandler, requestTimeout: loginTimeoutMs } });
  const secrets = new SecretsManagerClient(aws);
  const timeline = new Timeline();
  try {
    const record = await generateDrToken(settings, { clusters, lambda, secrets, log, timeline, now: () => new Date() });
    const now = new Date();
    process.stdout.write(`${refreshMetricLine(optionalString(env, 'DR_ENVIRONMENT') ?? 'unknown', secondsToExpiry(record, now), now)}\n`);
    log.info('DR token refreshed', { expiresAt: record.expiresAt, vaultAddress: record.vaultAddress, timeline: timeline.entries });
    return { expiresAt: record.expiresAt, createdAt: record.createdAt, vaultAddress: record.vaultAddress };
  } catch (err) {
    log.error('DR token refresh failed; the stored token was not changed', { error: err, timeline: timeline.entries });
    throw err;
  } finally {
    lambda.destroy();
    secrets.destroy();
    await clusters.close();
  }
}
