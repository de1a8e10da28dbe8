import { type MotoServer, startMoto } from '../support/moto';
import { freePort } from '../support/ports';
import { call } from './testing/call';
import { type AwsCredentials, assumeRoleOnMoto, iamLoginBody } from './testing/iam-login';
import { startVaultPair } from './index';
import type { ConfiguredDrNames, SimulatedCluster, VaultPair } from './index';

const ACCOUNT = '123456789012';
const LOGIN_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/vault-dr-login`;
const SERVER_ID = 'vault.dev.example.com';

describe('auth/aws/login (IAM) against moto', () => {
  let moto: MotoServer;
  let pair: VaultPair;
  let primary: SimulatedCluster;
  let names: ConfiguredDrNames;
  let loginCredentials: AwsCredentials;

  beforeAll(async () => {
    moto = await startMoto();
    pair = await startVaultPair({ stsEndpoint: moto.endpoint, iamServerIdHeaderValue: SERVER_ID });
    primary = pair.clusters[0];
    names = await pair.configureDr({ generatorRoleArn: LOGIN_ROLE_ARN, operationsRoleArn: `arn:aws:iam::${ACCOUNT}:role/dr-operations` });
    loginCredentials = await assumeRoleOnMoto(moto.endpoint, LOGIN_ROLE_ARN);
  }, 30_000);
  afterAll(async () => {
    await pair?.stop();
    await moto?.stop();
  });

  const login = (body: object, cluster: SimulatedCluster = primary) =>
    call(pair, cluster, { method: 'POST', path: `auth/${names.awsAuthMount}/login`, body });

  it('logs the bound role in and returns a token that can create the batch DR token', async () => {
    const res = await login(await iamLoginBody({ role: names.generatorAuthRole, credentials: loginCredentials, serverId: SERVER_ID }));
    expect(res.status).toBe(200);
    expect(res.body.auth).toMatchObject({
      client_token: expect.stringMatching(/^hvs\./),
      lease_duration: 300,
      renewable: true,
      token_type: 'service',
      policies: ['default', names.tokenCreatorPolicy],
      token_policies: ['default', names.tokenCreatorPolicy],
      metadata: { account_id: ACCOUNT, auth_type: 'iam', canonical_arn: LOGIN_ROLE_ARN },
    });
    expect(pair.issuedSecrets()).toContain(res.body.auth.client_token);
    const batch = await call(pair, primary, {
      method: 'POST',
      path: `auth/token/create/${names.tokenRole}`,
      token: res.body.auth.client_token,
      body: { ttl: '8h' },
    });
    expect(batch.status).toBe(200);
    expect(batch.body.auth.token_type).toBe('batch');
  });

  it('refuses a principal the role is not bound to', async () => {
    const other = await assumeRoleOnMoto(moto.endpoint, `arn:aws:iam::${ACCOUNT}:role/someone-else`);
    const res = await login(await iamLoginBody({ role: names.generatorAuthRole, credentials: other, serverId: SERVER_ID }));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      errors: [`IAM Principal "arn:aws:iam::${ACCOUNT}:role/someone-else" does not belong to the role "${names.generatorAuthRole}"`],
    });
  });

  it('requires the server-id header, with the configured value, and signed', async () => {
    const missing = await login(await iamLoginBody({ role: names.generatorAuthRole, credentials: loginCredentials }));
    expect(missing.status).toBe(400);
    expect(missing.body.errors[0]).toMatch(/^error validating X-Vault-AWS-IAM-Server-ID header: missing header/);
    const wrong = await login(await iamLoginBody({ role: names.generatorAuthRole, credentials: loginCredentials, serverId: 'other' }));
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0]).toMatch(/^error validating X-Vault-AWS-IAM-Server-ID header: expected/);
    const unsigned = await login(
      await iamLoginBody({ role: names.generatorAuthRole, credentials: loginCredentials, serverId: SERVER_ID, serverIdUnsigned: true }),
    );
    expect(unsigned.status).toBe(400);
    expect(unsigned.body.errors[0]).toMatch(/^error validating X-Vault-AWS-IAM-Server-ID header: .*signed/);
  });

  it('refuses an unknown role and a request that is not GetCallerIdentity', async () => {
    const unknown = await login(await iamLoginBody({ role: 'nope', credentials: loginCredentials, serverId: SERVER_ID }));
    expect(unknown.status).toBe(400);
    expect(unknown.body).toEqual({ errors: ['entry for role "nope" not found'] });
    const otherAction = await login(
      await iamLoginBody({
        role: names.generatorAuthRole,
        credentials: loginCredentials,
        serverId: SERVER_ID,
        requestBody: 'Action=GetSessionToken&Version=2011-06-15',
      }),
    );
    expect(otherAction.status).toBe(400);
  });

  it('is refused on the DR secondary', async () => {
    const res = await login(
      await iamLoginBody({ role: names.generatorAuthRole, credentials: loginCredentials, serverId: SERVER_ID }),
      pair.clusters[1],
    );
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['path disabled in replication DR secondary mode'] });
  });
});

describe('auth/aws/login when STS cannot answer', () => {
  it.each([
    ['no STS endpoint is configured', async () => undefined],
    ['the STS endpoint refuses connections', async () => `http://127.0.0.1:${await freePort()}`],
  ])('answers 400 "error making upstream request" when %s', async (_case, endpoint) => {
    const stsEndpoint = await endpoint();
    const pair = await startVaultPair(stsEndpoint === undefined ? {} : { stsEndpoint });
    try {
      const names = await pair.configureDr({ generatorRoleArn: LOGIN_ROLE_ARN, operationsRoleArn: `arn:aws:iam::${ACCOUNT}:role/dr-operations` });
      const credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' };
      const res = await call(pair, pair.clusters[0], {
        method: 'POST',
        path: `auth/${names.awsAuthMount}/login`,
        body: await iamLoginBody({ role: names.generatorAuthRole, credentials }),
      });
      expect(res.status).toBe(400);
      expect(res.body.errors[0]).toMatch(/^error making upstream request: /);
    } finally {
      await pair.stop();
    }
  });
});
