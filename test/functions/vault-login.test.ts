/** vault-login against the simulator, whose auth/aws/login replays the signed request to moto's STS. */
import { login } from '../../functions/vault-login/handler';
import { InputError } from '../../functions/shared/errors';
import { VaultApiError } from '../../functions/shared/vault-api';
import { sharedWorld } from '../support/testbed';
import { captureStdout } from '../support/log-capture';

const testbed = sharedWorld();

const ROLE = 'dr-login-dev-test';

async function attempt(event: unknown, env = testbed.world.env.login) {
  return captureStdout(() => login(event, env));
}

it('logs in with the signed GetCallerIdentity and returns the token, its lease and its policies', async () => {
  const { result, lines } = await attempt({ role: ROLE });
  expect(result).toEqual({ token: expect.stringMatching(/^hvs\./), leaseDurationSeconds: 300, policies: ['default', 'dr-token-creator-dev-test'] });
  expect(lines.join('\n')).not.toContain(result?.token);
  const request = testbed.world.vault.cluster('east').requests().find((r) => r.path === 'auth/aws/login');
  expect(request?.status).toBe(200);
});

it('signs the X-Vault-AWS-IAM-Server-ID header: without it Vault refuses the login', async () => {
  const { VAULT_IAM_SERVER_ID: _dropped, ...withoutServerId } = testbed.world.env.login;
  const { error } = await attempt({ role: ROLE }, withoutServerId);
  expect(error).toBeInstanceOf(VaultApiError);
  expect((error as Error).message).toMatch(/X-Vault-AWS-IAM-Server-ID/);
});

it("is refused for a role not bound to the function's IAM role", async () => {
  const other = { ...testbed.world.env.login, AWS_ACCESS_KEY_ID: 'AKIAOTHERPRINCIPAL00', AWS_SECRET_ACCESS_KEY: 'x', AWS_SESSION_TOKEN: undefined };
  const { error } = await attempt({ role: ROLE }, other);
  expect((error as VaultApiError).status).toBe(400);
  expect((error as Error).message).toMatch(/does not belong to the role/);
});

it('logs in to a named cluster, but only one the configuration names', async () => {
  const { error } = await attempt({ role: ROLE, vaultAddress: 'https://attacker.example.com:8200' });
  expect(error).toBeInstanceOf(InputError);
  expect((error as InputError).field).toBe('vaultAddress');
  // The DR secondary answers "path disabled": the error is Vault's own.
  const { error: onSecondary } = await attempt({ role: ROLE, vaultAddress: testbed.world.vault.cluster('west').address });
  expect((onSecondary as Error).message).toMatch(/path disabled in replication DR secondary mode/);
});

it.each([
  [{}, 'role'],
  [{ role: 7 }, 'role'],
  [{ role: ROLE, extra: true }, 'extra'],
])('names the bad field of %j', async (event, field) => {
  const { error } = await attempt(event);
  expect((error as InputError).field).toBe(field);
});
