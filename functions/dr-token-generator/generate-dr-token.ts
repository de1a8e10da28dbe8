/**
 * Creates a fresh batch DR operation token on the real primary and stores it. Every check happens
 * before the single write, so a failed run leaves the last good token in place.
 */
import { type LambdaClient } from '@aws-sdk/client-lambda';
import { type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { assessTopology, describeView } from '../shared/cluster-probe';
import { RefusedError, StepFailedError } from '../shared/errors';
import { writeDrToken, type DrTokenRecord } from '../shared/dr-token-store';
import { invokeJson } from '../shared/invoke-function';
import type { Logger } from '../shared/log';
import type { Timeline } from '../shared/timeline';
import type { TokenAuth } from '../shared/vault-api';
import type { VaultClusters } from '../shared/vault-clusters';

export interface GeneratorSettings {
  readonly loginFunctionName: string;
  readonly loginRole: string;
  readonly tokenRole: string;
  readonly ttl: string;
  readonly secretId: string;
}

export interface GeneratorDeps {
  readonly clusters: VaultClusters;
  readonly lambda: LambdaClient;
  readonly secrets: SecretsManagerClient;
  readonly log: Logger;
  readonly timeline: Timeline;
  readonly now: () => Date;
}

/** Throws unless `auth` is what the DR token role must issue: a batch, orphan, non-renewable token. */
export function checkBatchToken(auth: TokenAuth, tokenRole: string): void {
  const problems: string[] = [];
  if (auth.token_type !== 'batch') problems.push(`token_type is ${JSON.stringify(auth.token_type)}, not "batch"`);
  if (auth.orphan !== true) problems.push('it is not an orphan (it would die with the login token)');
  if (auth.renewable !== false) problems.push('it is renewable');
  if (!(auth.lease_duration > 0)) problems.push(`lease_duration is ${auth.lease_duration}`);
  if (problems.length) {
    throw new StepFailedError(`auth/token/create/${tokenRole} did not issue a batch DR token: ${problems.join('; ')}. Check the token role's settings (token_type batch, orphan, renewable false). Nothing was stored.`);
  }
}

export async function generateDrToken(settings: GeneratorSettings, deps: GeneratorDeps): Promise<DrTokenRecord> {
  const { clusters, timeline } = deps;
  const views = await timeline.run('probe clusters', () => clusters.probe(), (v) => v.map(describeView).join(' | '));
  const topology = assessTopology(views);
  if (topology.kind !== 'one-primary') {
    const why = topology.kind === 'split-brain' ? 'both clusters answer as DR primary (split brain)' : 'no cluster answers as an active primary';
    throw new RefusedError(`cannot create a DR token: ${why}: ${views.map(describeView).join('; ')}. The stored token was left as it was.`);
  }
  const primary = topology.primary;

  const login = await timeline.run(
    'log in to Vault',
    () => invokeJson<{ token?: unknown }>(deps.lambda, settings.loginFunctionName, { role: settings.loginRole, vaultAddress: primary.address }),
    () => `${settings.loginFunctionName} on ${primary.name}`,
  );
  if (typeof login.token !== 'string' || !login.token) {
    throw new StepFailedError(`${settings.loginFunctionName} answered without a token; nothing was stored`);
  }

  const auth = await timeline.run(
    'create batch DR token',
    () => clusters.api(primary).createRoleToken(login.token as string, settings.tokenRole, settings.ttl),
    (a) => `role ${settings.tokenRole}, ttl ${a.lease_duration} s`,
  );
  checkBatchToken(auth, settings.tokenRole);

  const createdAt = deps.now();
  const record: DrTokenRecord = {
    token: auth.client_token,
    expiresAt: new Date(createdAt.getTime() + auth.lease_duration * 1000).toISOString(),
    createdAt: createdAt.toISOString(),
    vaultAddress: primary.address,
  };
  await timeline.run('store DR token', () => writeDrToken(deps.secrets, settings.secretId, record), () => settings.secretId);
  return record;
}
