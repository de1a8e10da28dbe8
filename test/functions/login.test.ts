/**
 * Each function logs in to Vault itself, with its own execution role, for its own Vault AWS auth
 * role, and is refused with another's. The simulator's AWS auth login replays the signed request
 * to moto's STS, as Vault replays it to AWS.
 */
import { refreshDrToken } from '../../functions/dr-token-generator/handler';
import { runOperation } from '../../functions/dr-operations/handler';
import { InputError, StepFailedError } from '../../functions/shared/errors';
import { signedIamLoginBody } from '../../functions/shared/sign-caller-identity';
import { vaultRequest } from '../vault-simulator';
import type { DrWorld } from '../support/dr-harness';
import { captureStdout } from '../support/log-capture';
import { freshWorlds } from '../support/testbed';

jest.setTimeout(20_000);
const testbed = freshWorlds();

const loginRequests = (w: DrWorld) => w.vault.clusters.flatMap((c) => c.requests().filter((r) => r.path === `auth/${w.vaultNames.awsAuthMount}/login`).map((r) => `${c.name} ${r.status}`));

it('dr-token-generator logs in to the primary with its own role, and only when it creates a token', async () => {
  const w = await testbed.create();
  const { error } = await captureStdout(() => refreshDrToken(w.env.generator));
  expect(error).toBeUndefined();
  expect(loginRequests(w)).toEqual(['east 200']);
});

it("dr-token-generator is refused with dr-operations' Vault role: that role is bound to another IAM role", async () => {
  const w = await testbed.create();
  const { error } = await captureStdout(() => refreshDrToken({ ...w.env.generator, VAULT_AWS_AUTH_ROLE: w.vaultNames.operationsAuthRole }));
  expect(error).toBeInstanceOf(StepFailedError);
  expect((error as Error).message).toMatch(/IAM Principal "arn:aws:iam::123456789012:role\/dr-token-generator-dev-test" does not belong to the role "dr-operations-dev-test"/);
  expect(loginRequests(w)).toEqual(['east 400']);
});

it('dr-operations logs in to each primary it acts on, at the moment of need, and not for a status or a disaster promote', async () => {
  const w = await testbed.create();
  await w.storeDrToken();
  await captureStdout(() => runOperation({ operation: 'status' }, w.env.operations));
  expect(loginRequests(w)).toEqual([]);
  const { error } = await captureStdout(() => runOperation({ operation: 'switchover' }, w.env.operations));
  expect(error).toBeUndefined();
  // east for its demote, west (the new primary) for the re-link's secondary-token.
  expect(loginRequests(w)).toEqual(['east 200', 'west 200']);
  w.vault.clusters.forEach((c) => c.clearRequests());
  await w.vault.cluster('west').setFault('down');
  await captureStdout(() => runOperation({ operation: 'failover' }, w.env.operations));
  expect(w.vault.cluster('east').isAnsweringPrimary()).toBe(true);
  // A promote on a DR secondary takes the batch DR token only: no login.
  expect(loginRequests(w)).toEqual([]);
});

it("dr-operations is refused with the generator's Vault role, before changing anything", async () => {
  const w = await testbed.create();
  await w.storeDrToken();
  const { error } = await captureStdout(() => runOperation({ operation: 'switchover' }, { ...w.env.operations, VAULT_AWS_AUTH_ROLE: w.vaultNames.generatorAuthRole }));
  expect(error).toBeInstanceOf(StepFailedError);
  expect((error as Error).message).toMatch(/does not belong to the role "dr-token-generator-dev-test".*Changed: nothing\./);
  expect(w.vault.transitions()).toEqual([]);
});

it("each role's token can do only its own function's work", async () => {
  const w = await testbed.create();
  const east = w.vault.cluster('east');
  const login = async (role: string, env: Record<string, string | undefined>) => {
    const body = await signedIamLoginBody(
      role,
      { stsUrl: 'https://sts.amazonaws.com/', stsRegion: 'us-east-1', iamServerId: env.VAULT_IAM_SERVER_ID },
      { accessKeyId: env.AWS_ACCESS_KEY_ID as string, secretAccessKey: env.AWS_SECRET_ACCESS_KEY as string, sessionToken: env.AWS_SESSION_TOKEN as string },
    );
    const res = await vaultRequest(east.address, w.vault.caPem, { method: 'POST', path: `auth/${w.vaultNames.awsAuthMount}/login`, body });
    return res.body.auth as { client_token: string; policies: string[]; lease_duration: number };
  };
  const generator = await login(w.vaultNames.generatorAuthRole, w.env.generator);
  const operations = await login(w.vaultNames.operationsAuthRole, w.env.operations);
  expect(generator).toEqual(expect.objectContaining({ policies: ['default', 'dr-token-creator-dev-test'], lease_duration: 300 }));
  expect(operations).toEqual(expect.objectContaining({ policies: ['default', 'dr-primary-ops-dev-test', 'dr-bootstrap-dev-test'], lease_duration: 300 }));
  const call = (token: string, path: string, body: object = {}) => vaultRequest(east.address, w.vault.caPem, { method: 'POST', path, token, body });
  // The operations login cannot mint DR tokens; the generator's cannot demote.
  expect((await call(operations.client_token, `auth/token/create/${w.vaultNames.tokenRole}`, { ttl: '1h' })).status).toBe(403);
  expect((await call(generator.client_token, 'sys/replication/dr/primary/demote')).status).toBe(403);
  expect((await call(generator.client_token, 'sys/replication/dr/primary/secondary-token', { id: 'x' })).status).toBe(403);
  expect(east.drMode()).toBe('primary');
});

it('signs the X-Vault-AWS-IAM-Server-ID header: without it Vault refuses the login', async () => {
  const w = await testbed.create();
  const { VAULT_IAM_SERVER_ID: _dropped, ...withoutServerId } = w.env.generator;
  const { error } = await captureStdout(() => refreshDrToken(withoutServerId));
  expect((error as Error).message).toMatch(/X-Vault-AWS-IAM-Server-ID/);
});

it('names the missing execution-role credentials', async () => {
  const w = await testbed.create();
  const { error } = await captureStdout(() => refreshDrToken({ ...w.env.generator, AWS_ACCESS_KEY_ID: '' }));
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).field).toBe('AWS_ACCESS_KEY_ID');
});
