import { drOperationPolicyText, primaryOperationsPolicyText, tokenCreatorPolicyText } from '../../modules/dr-automation/private/vault-dr-access';
import { call } from './testing/call';
import { startVaultPair } from './index';
import { FORMATS } from './token-formats';
import type { ConfiguredDrNames, SimulatedCluster, VaultPair } from './index';

const LOGIN_ROLE_ARN = 'arn:aws:iam::123456789012:role/dr-token-generator';
const OPERATIONS_ROLE_ARN = 'arn:aws:iam::123456789012:role/dr-operations';
const ROLES = { generatorRoleArn: LOGIN_ROLE_ARN, operationsRoleArn: OPERATIONS_ROLE_ARN };
const PERMISSION_DENIED = '1 error occurred:\n\t* permission denied\n\n';
const INVALID_TOKEN = '2 errors occurred:\n\t* permission denied\n\t* invalid token\n\n';

describe('configureDr', () => {
  let pair: VaultPair;
  let primary: SimulatedCluster;
  let names: ConfiguredDrNames;
  beforeAll(async () => {
    pair = await startVaultPair({ stsEndpoint: 'http://127.0.0.1:9', iamServerIdHeaderValue: 'vault.example.com' });
    primary = pair.clusters[0];
    names = await pair.configureDr({ environment: 'prod', identifier: 'blue', ...ROLES });
  });
  afterAll(() => pair.stop());

  it('returns the names of docs/contracts.md', () => {
    expect(names).toEqual({
      drPolicy: 'dr-operation-prod-blue',
      awsAuthMount: 'dr-aws-prod-blue',
      tokenCreatorPolicy: 'dr-token-creator-prod-blue',
      primaryOpsPolicy: 'dr-primary-ops-prod-blue',
      bootstrapPolicy: 'dr-bootstrap-prod-blue',
      tokenRole: 'dr-batch-prod-blue',
      generatorAuthRole: 'dr-token-generator-prod-blue',
      operationsAuthRole: 'dr-operations-prod-blue',
    });
  });

  it('creates the objects through the API, readable back with the root token', async () => {
    const read = (path: string) => call(pair, primary, { path, token: pair.rootToken });
    expect((await read('sys/policies/acl/dr-operation-prod-blue')).body.data.policy).toContain('path "sys/replication/dr/secondary/promote"');
    expect((await read('sys/policies/acl/dr-token-creator-prod-blue')).body.data.policy).toContain(
      'path "auth/token/create/dr-batch-prod-blue"',
    );
    expect((await read('auth/token/roles/dr-batch-prod-blue')).body.data).toMatchObject({
      allowed_policies: ['dr-operation-prod-blue'],
      orphan: true,
      renewable: false,
      token_type: 'batch',
    });
    expect((await read('auth/dr-aws-prod-blue/config/client')).body.data).toEqual({
      sts_endpoint: 'http://127.0.0.1:9',
      sts_region: 'us-east-1',
      iam_server_id_header_value: 'vault.example.com',
    });
    expect((await read('auth/dr-aws-prod-blue/role/dr-token-generator-prod-blue')).body.data).toMatchObject({
      auth_type: 'iam',
      bound_iam_principal_arns: [LOGIN_ROLE_ARN],
      token_ttl: 300,
      token_max_ttl: 600,
      token_policies: ['dr-token-creator-prod-blue'],
    });
  });

  it("grants exactly what the construct's policies grant (modules/dr-automation/private/vault-dr-access.ts)", async () => {
    const root = pair.rootToken;
    const tokenOf = async (policy: string): Promise<string> =>
      (await call(pair, primary, { method: 'POST', path: 'auth/token/create', token: root, body: { policies: [policy], no_default_policy: true } })).body.auth
        .client_token;
    const capabilities = async (token: string, paths: string[]) =>
      (await call(pair, primary, { method: 'POST', path: 'sys/capabilities', token: root, body: { token, paths } })).body.data;
    const paths = [
      'sys/replication/dr/secondary/promote',
      'sys/replication/dr/secondary/update-primary',
      'sys/replication/dr/primary/demote',
      'sys/replication/dr/primary/secondary-token',
      'auth/token/create/dr-batch-prod-blue',
      'sys/replication/dr/primary/enable',
    ];
    const construct = {
      [names.drPolicy]: drOperationPolicyText(),
      [names.tokenCreatorPolicy]: tokenCreatorPolicyText(names.tokenRole),
      [names.primaryOpsPolicy]: primaryOperationsPolicyText(),
    };
    for (const [name, text] of Object.entries(construct)) {
      const written = await call(pair, primary, { method: 'PUT', path: `sys/policies/acl/construct-${name}`, token: root, body: { policy: text } });
      expect(written.status).toBe(204);
      expect(await capabilities(await tokenOf(name), paths)).toEqual(await capabilities(await tokenOf(`construct-${name}`), paths));
    }
  });

  it('can run twice (the aws mount already exists the second time)', async () => {
    await expect(pair.configureDr({ environment: 'prod', identifier: 'blue', ...ROLES })).resolves.toEqual(names);
  });
});

describe('batch DR operation tokens and ACLs', () => {
  let pair: VaultPair;
  let primary: SimulatedCluster;
  let secondary: SimulatedCluster;
  let names: ConfiguredDrNames;
  beforeAll(async () => {
    pair = await startVaultPair();
    [primary, secondary] = pair.clusters;
    names = await pair.configureDr(ROLES);
  });
  afterAll(() => pair.stop());

  it('issues a batch token through the role, with the auth block the generator checks', async () => {
    const res = await call(pair, primary, {
      method: 'POST',
      path: `auth/token/create/${names.tokenRole}`,
      token: pair.rootToken,
      body: { ttl: '8h' },
    });
    expect(res.status).toBe(200);
    expect(res.body.auth).toMatchObject({
      client_token: expect.stringMatching(FORMATS.batchToken),
      accessor: '',
      token_type: 'batch',
      orphan: true,
      renewable: false,
      lease_duration: 8 * 3600,
      // Without "default": the role sets token_no_default_policy, as the construct's does (vault/token_store.go).
      policies: ['dr-operation-dev-test'],
      token_policies: ['dr-operation-dev-test'],
    });
    expect(pair.issuedSecrets()).toContain(res.body.auth.client_token);
    expect(pair.issuedSecrets()).toContain(pair.rootToken);
  });

  it('createDrBatchToken returns the token and its expiry on the simulated clock', async () => {
    const before = Date.now();
    const { token, expiresAt } = await pair.createDrBatchToken({ ttl: '30m' });
    expect(token).toMatch(FORMATS.batchToken);
    expect(expiresAt.getTime()).toBeGreaterThanOrEqual(before + 30 * 60 * 1000 - 5);
    expect(expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 30 * 60 * 1000 + 5);
  });

  it('is valid on both clusters (the token store is replicated) and is limited by its policy', async () => {
    const { token } = await pair.createDrBatchToken();
    const lookup = await call(pair, primary, { path: 'auth/token/lookup-self', token });
    expect(lookup.status).toBe(200);
    expect(lookup.body.data).toMatchObject({ type: 'batch', policies: ['dr-operation-dev-test'], orphan: true, role: names.tokenRole });
    // Its policy covers promote and update-primary, nothing else (dr/status needs no token).
    const status = await call(pair, primary, { path: 'sys/replication/dr/status', token });
    expect(status.status).toBe(200);
    const policyWrite = await call(pair, primary, {
      method: 'PUT',
      path: 'sys/policies/acl/mine',
      token,
      body: { policy: 'path "x" { capabilities = ["read"] }' },
    });
    expect(policyWrite.status).toBe(403);
    expect(policyWrite.body).toEqual({ errors: [PERMISSION_DENIED] });
    const createAnother = await call(pair, primary, {
      method: 'POST',
      path: `auth/token/create/${names.tokenRole}`,
      token,
      body: {},
    });
    expect(createAnother.status).toBe(403);
    // On the secondary it is accepted as dr_operation_token (here: a refused force-less merkle promote).
    secondary.setReplicationState('merkle-diff');
    const promote = await call(pair, secondary, {
      method: 'POST',
      path: 'sys/replication/dr/secondary/promote',
      body: { dr_operation_token: token },
    });
    expect(promote.status).toBe(400);
    expect(promote.body.errors[0]).toMatch(/merkle-diff/);
    secondary.setReplicationState('stream-wals');
  });

  it('a token from the creator policy can create the batch token and nothing else', async () => {
    const creator = await call(pair, primary, {
      method: 'POST',
      path: 'auth/token/create',
      token: pair.rootToken,
      body: { policies: [names.tokenCreatorPolicy], ttl: '5m' },
    });
    expect(creator.body.auth).toMatchObject({
      client_token: expect.stringMatching(FORMATS.serviceToken),
      token_type: 'service',
      policies: ['default', names.tokenCreatorPolicy],
      lease_duration: 300,
    });
    const creatorToken: string = creator.body.auth.client_token;
    const ok = await call(pair, primary, { method: 'POST', path: `auth/token/create/${names.tokenRole}`, token: creatorToken, body: { ttl: '1h' } });
    expect(ok.status).toBe(200);
    const denied = await call(pair, primary, { method: 'POST', path: 'auth/token/create', token: creatorToken, body: {} });
    expect(denied.status).toBe(403);
    const demote = await call(pair, primary, { method: 'POST', path: 'sys/replication/dr/primary/demote', token: creatorToken });
    expect(demote.status).toBe(403);
    expect(primary.drMode()).toBe('primary');
  });

  it('answers 403 without a token and for an unknown token', async () => {
    const none = await call(pair, primary, { method: 'POST', path: `auth/token/create/${names.tokenRole}`, body: {} });
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ errors: ['permission denied'] });
    const unknown = await call(pair, primary, { path: 'auth/token/lookup-self', token: 'hvs.not-a-token' });
    expect(unknown.status).toBe(403);
    expect(unknown.body).toEqual({ errors: [INVALID_TOKEN] });
  });

  it('answers 403 for a batch token past its TTL on the simulated clock', async () => {
    const { token } = await pair.createDrBatchToken({ ttl: '2s' });
    expect((await call(pair, primary, { path: 'auth/token/lookup-self', token })).status).toBe(200);
    pair.advanceClock(2500);
    const expired = await call(pair, primary, { path: 'auth/token/lookup-self', token });
    expect(expired.status).toBe(403);
    expect(expired.body.errors[0]).toContain('permission denied');
    const promote = await call(pair, secondary, {
      method: 'POST',
      path: 'sys/replication/dr/secondary/promote',
      body: { dr_operation_token: token },
    });
    expect(promote.status).toBe(403);
    expect(secondary.drMode()).toBe('secondary');
  });

  it('refuses to renew or revoke a batch token', async () => {
    const { token } = await pair.createDrBatchToken();
    const renew = await call(pair, primary, { method: 'POST', path: 'auth/token/renew-self', token, body: {} });
    expect(renew.status).toBe(400);
    expect(renew.body.errors).toEqual(['batch tokens cannot be renewed']);
    const revoke = await call(pair, primary, { method: 'POST', path: 'auth/token/revoke-self', token, body: {} });
    expect(revoke.status).toBe(400);
    expect(revoke.body.errors).toEqual(['batch tokens cannot be revoked']);
  });

  it('refuses a batch token role that is renewable or not orphan, as Vault does', async () => {
    const write = (body: object) =>
      call(pair, primary, { method: 'POST', path: 'auth/token/roles/bad', token: pair.rootToken, body: { token_type: 'batch', ...body } });
    expect((await write({ orphan: true })).status).toBe(400);
    expect((await write({ renewable: false })).status).toBe(400);
    expect((await write({ orphan: true, renewable: false })).status).toBe(204);
  });

  it('answers 404 for an unknown path, 405 for a wrong method, 400 for a policy it cannot parse', async () => {
    const unknown = await call(pair, primary, { path: 'nothing/mounted/here', token: pair.rootToken });
    expect(unknown.status).toBe(404);
    expect(unknown.body.errors).toEqual([expect.stringContaining('no handler for route')]);
    const wrongMethod = await call(pair, primary, { method: 'GET', path: 'sys/replication/dr/primary/demote', token: pair.rootToken });
    expect(wrongMethod.status).toBe(405);
    const badPolicy = await call(pair, primary, {
      method: 'PUT',
      path: 'sys/policies/acl/bad',
      token: pair.rootToken,
      body: { policy: 'path "x" { capabilities = ["fly"] }' },
    });
    expect(badPolicy.status).toBe(400);
    expect(badPolicy.body.errors[0]).toMatch(/^failed to parse policy/);
  });
});
