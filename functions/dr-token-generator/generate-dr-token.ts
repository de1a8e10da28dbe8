/**
 * Creates a fresh batch DR operation token on the real primary and stores it. Every check happens
 * before the single write, so a failed run leaves the last good token in place.
 */
import { type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { assessTopology, describeView, type ClusterView } from '../shared/cluster-probe';
import type { Deadline } from '../shared/deadline';
import { RefusedError, StepFailedError } from '../shared/errors';
import { writeDrToken, type DrTokenRecord } from '../shared/dr-token-store';
import type { Timeline } from '../shared/timeline';
import type { TokenAuth } from '../shared/vault-api';
import type { VaultClusters } from '../shared/vault-clusters';
import { loginWithIam, type SigningCredentials } from '../shared/vault-login';
import type { GeneratorSettings } from './settings';

export interface GeneratorDeps {
  readonly clusters: VaultClusters;
  /** The clusters as last probed, for the error's details. */
  readonly seen: { views: readonly ClusterView[] };
  readonly secrets: SecretsManagerClient;
  readonly credentials: () => SigningCredentials;
  readonly timeline: Timeline;
  readonly deadline: Deadline;
  readonly now: () => Date;
}

const RUN_AGAIN = { function: 'dr-token-generator', event: {}, why: 'it creates and stores a fresh token once the cause is fixed' } as const;

/** Throws unless `auth` is what the DR token role must issue: a batch, orphan, non-renewable token. */
export function checkBatchToken(auth: Pick<TokenAuth, 'tokenType' | 'orphan' | 'renewable' | 'leaseDurationSeconds'>, tokenRole: string): void {
  const problems: string[] = [];
  if (auth.tokenType !== 'batch') problems.push(`token_type is ${JSON.stringify(auth.tokenType)}, not "batch"`);
  if (auth.orphan !== true) problems.push('it is not an orphan (it would die with the login token)');
  if (auth.renewable !== false) problems.push('it is renewable');
  if (!(auth.leaseDurationSeconds > 0)) problems.push(`lease_duration is ${auth.leaseDurationSeconds}`);
  if (problems.length) {
    throw new StepFailedError(
      `auth/token/create/${tokenRole} did not issue a batch DR token: ${problems.join('; ')}. Check the token role's settings (token_type batch, orphan, renewable false); nothing was stored`,
      { next: RUN_AGAIN },
    );
  }
}

export async function generateDrToken(settings: GeneratorSettings, deps: GeneratorDeps): Promise<DrTokenRecord> {
  const { clusters, timeline } = deps;
  const views = await timeline.run('probe clusters', () => clusters.probe(), (v) => v.map(describeView).join(' | '));
  deps.seen.views = views;
  const topology = assessTopology(views);
  if (topology.kind !== 'one-primary') {
    const why = topology.kind === 'split-brain' ? 'both clusters answer as DR primary (split brain)' : 'no cluster answers as an active primary';
    throw new RefusedError(`cannot create a DR token: ${why}; the stored token was left as it was`, {
      next: topology.kind === 'split-brain'
        ? { function: 'dr-operations', event: { operation: 'link', demote: '<cluster>' }, why: 'resolve the split brain first', choose: { field: 'demote', from: views.map((v) => v.name) } }
        : RUN_AGAIN,
    });
  }
  const primary = topology.primary;
  const api = clusters.api(primary);

  const login = await timeline.run(
    `log in to ${primary.name}`,
    () => loginWithIam(api, settings, deps.credentials()),
    (l) => `role ${settings.awsAuthRole}, policies ${l.policies.join(', ')}, ttl ${l.leaseDurationSeconds} s`,
  );
  const auth = await timeline.run(
    'create batch DR token',
    () => api.createRoleToken(login.token, settings.tokenRole, settings.ttl),
    (a) => `role ${settings.tokenRole}, ttl ${a.leaseDurationSeconds} s`,
  );
  checkBatchToken(auth, settings.tokenRole);

  const createdAt = deps.now();
  const record: DrTokenRecord = {
    token: auth.clientToken,
    expiresAt: new Date(createdAt.getTime() + auth.leaseDurationSeconds * 1000).toISOString(),
    createdAt: createdAt.toISOString(),
    vaultAddress: primary.address,
  };
  await timeline.run('store DR token', () => writeDrToken(deps.secrets, settings.secretId, record, deps.deadline), () => settings.secretId);
  return record;
}
