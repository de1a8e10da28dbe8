/**
 * What the bootstrap tests share: running the real dr-operations handler with its log captured,
 * requests as the operator makes them with the world's root token, and the narrower tokens of
 * docs/contracts.md, made from the policy blocks the docs show.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runOperation, type OperationAnswer } from '../../../functions/dr-operations/handler';
import type { DrError } from '../../../functions/shared/errors';
import { vaultRequest } from '../../vault-simulator';
import type { DrWorld } from '../../support/dr-harness';
import { captureStdout } from '../../support/log-capture';

export async function attempt(w: DrWorld, event: Record<string, unknown>, env = w.env.operations): Promise<{ answer?: OperationAnswer; error?: DrError; lines: string[] }> {
  const { result, error, lines } = await captureStdout(() => runOperation(event, env));
  return { ...(result ? { answer: result } : {}), ...(error ? { error: error as DrError } : {}), lines };
}

export async function run(w: DrWorld, event: Record<string, unknown>, env = w.env.operations): Promise<OperationAnswer> {
  const { answer, error } = await attempt(w, event, env);
  if (error) throw error;
  return answer as OperationAnswer;
}

export const root = (w: DrWorld): string => w.vault.rootToken;

export const request = (w: DrWorld, cluster: string, method: string, path: string, body?: unknown, token = root(w)) =>
  vaultRequest(w.vault.cluster(cluster).address, w.vault.caPem, { method, path, token, ...(body === undefined ? {} : { body }) });

/**
 * A token of `cluster` with the policy docs/contracts.md shows after `<!-- marker -->`, created
 * there with its root token (as the docs tell the operator to).
 */
export async function docsPolicyToken(w: DrWorld, cluster: string, marker: string): Promise<string> {
  const contracts = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'contracts.md'), 'utf8');
  const block = new RegExp(`<!-- ${marker} -->\\s*\`\`\`hcl\\n([\\s\\S]*?)\`\`\``).exec(contracts)?.[1];
  if (!block) throw new Error(`docs/contracts.md has no ${marker} block`);
  expect((await request(w, cluster, 'PUT', `sys/policies/acl/${marker}`, { policy: block })).status).toBe(204);
  const created = await request(w, cluster, 'POST', 'auth/token/create', { policies: [marker], no_default_policy: true, ttl: '15m' });
  return created.body.auth.client_token as string;
}
