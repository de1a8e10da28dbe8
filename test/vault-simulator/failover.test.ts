import { call, waitFor } from './testing/call';
import { startVaultPair } from './index';
import { FORMATS } from './token-formats';
import type { SimulatedCluster, VaultPair } from './index';

const LOGIN_ROLE_ARN = 'arn:aws:iam::123456789012:role/vault-dr-login';
const PROMOTE = 'sys/replication/dr/secondary/promote';
const DEMOTE = 'sys/replication/dr/primary/demote';
const SECONDARY_TOKEN = 'sys/replication/dr/primary/secondary-token';
const UPDATE_PRIMARY = 'sys/replication/dr/secondary/update-primary';
const PUBLIC_KEY = 'sys/replication/dr/secondary/generate-public-key';

interface Setup {
  pair: VaultPair;
  a: SimulatedCluster;
  b: SimulatedCluster;
  drToken: string;
}

async function setup(transitionMs = 50): Promise<Setup> {
  const pair = await startVaultPair({ transitionMs });
  await pair.configureDr({ generatorRoleArn: LOGIN_ROLE_ARN, operationsRoleArn: 'arn:aws:iam::123456789012:role/dr-operations' });
  const { token } = await pair.createDrBatchToken();
  return { pair, a: pair.clusters[0], b: pair.clusters[1], drToken: token };
}

const post = (s: Setup, cluster: SimulatedCluster, path: string, body: object = {}, token?: string) =>
  call(s.pair, cluster, { method: 'POST', path, body, ...(token === undefined ? {} : { token }) });

describe('promote', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
  });
  afterEach(() => s.pair.stop());

  it('needs dr_operation_token in the body', async () => {
    const missing = await post(s, s.b, PROMOTE, {}, s.pair.rootToken);
    expect(missing.status).toBe(400);
    expect(missing.body).toEqual({ errors: ['DR operation token was not provided'] });
    const invalid = await post(s, s.b, PROMOTE, { dr_operation_token: 'hvb.forged' });
    expect(invalid.status).toBe(403);
    expect(invalid.body.errors[0]).toContain('permission denied');
    expect(s.b.drMode()).toBe('secondary');
  });

  it('refuses a token whose policies do not grant update on the promote path', async () => {
    const other = await call(s.pair, s.a, {
      method: 'POST',
      path: 'auth/token/create',
      token: s.pair.rootToken,
      body: { policies: ['default'], type: 'batch' },
    });
    const res = await post(s, s.b, PROMOTE, { dr_operation_token: other.body.auth.client_token });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: ['1 error occurred:\n\t* permission denied\n\n'] });
  });

  it('answers 400 on a cluster that is not a DR secondary', async () => {
    const res = await post(s, s.a, PROMOTE, { dr_operation_token: s.drToken });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['this cluster is not a DR secondary'] });
  });

  it('refuses a secondary in merkle-sync unless force is set', async () => {
    await s.a.setFault('down');
    s.b.setReplicationState('merkle-sync');
    const refused = await post(s, s.b, PROMOTE, { dr_operation_token: s.drToken });
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0]).toMatch(/merkle-sync/);
    const forced = await post(s, s.b, PROMOTE, { dr_operation_token: s.drToken, force: true });
    expect(forced.status).toBe(200);
  });

  it('does not check the old primary: promoting while it answers makes two answering primaries, and it shows', async () => {
    const res = await post(s, s.b, PROMOTE, { dr_operation_token: s.drToken });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ data: null, warnings: [expect.stringContaining('being promoted')] });
    await waitFor(() => s.b.drMode() === 'primary');
    expect(s.pair.answeringPrimaryNames().sort()).toEqual(['east', 'west']);
    expect(s.pair.maxAnsweringPrimaries()).toBe(2);
    expect(s.pair.transitions()).toEqual([
      expect.objectContaining({ cluster: 'west', from: 'secondary', to: 'primary', cause: PROMOTE }),
    ]);
  });

  it('after the primary is lost, the promoted cluster becomes the only answering primary, until the old one returns', async () => {
    await s.a.setFault('down');
    expect((await post(s, s.b, PROMOTE, { dr_operation_token: s.drToken })).status).toBe(200);
    await waitFor(() => s.b.isAnsweringPrimary());
    expect(s.pair.maxAnsweringPrimaries()).toBe(1);
    expect(s.pair.primaryNames().sort()).toEqual(['east', 'west']);
    expect(s.b.drStatus()).toMatchObject({ mode: 'primary', state: 'running', known_secondaries: [] });
    // A comes back still a primary: two clusters accept writes, and the observer says so.
    await s.a.setFault('none');
    expect(s.pair.answeringPrimaryNames().sort()).toEqual(['east', 'west']);
    expect(s.pair.maxAnsweringPrimaries()).toBe(2);
    expect((await post(s, s.a, DEMOTE, {}, s.pair.rootToken)).status).toBe(200);
    expect(s.pair.answeringPrimaryNames()).toEqual(['west']);
    expect(s.pair.observer.overlaps()).toEqual([{ from: expect.any(Number), to: expect.any(Number), clusters: ['east', 'west'] }]);
  });

  it('a second promote during the transition fails with 400; other paths answer 503', async () => {
    const first = post(s, s.b, PROMOTE, { dr_operation_token: s.drToken });
    const second = post(s, s.b, PROMOTE, { dr_operation_token: s.drToken });
    const statuses = [(await first).status, (await second).status].sort();
    expect(statuses).toEqual([200, 400]);
    const again = await post(s, s.b, PROMOTE, { dr_operation_token: s.drToken });
    expect(again.body).toEqual({ errors: ['replication promotion already in progress'] });
    const status = await call(s.pair, s.b, { path: 'sys/replication/dr/status' });
    expect(status.status).toBe(503);
    expect(status.body).toEqual({ errors: ['local node not active but active cluster node not found'] });
  });
});

describe('graceful switchover in HashiCorp order', () => {
  let s: Setup;
  beforeAll(async () => {
    s = await setup(80);
  });
  afterAll(() => s.pair.stop());

  it('demote A, promote B, re-link A with a public-key activation token: never two answering primaries', async () => {
    const demote = await post(s, s.a, DEMOTE, {}, s.pair.rootToken);
    expect(demote.status).toBe(200);
    expect(s.a.isAnsweringPrimary()).toBe(false);
    expect(s.a.drMode()).toBe('primary');
    await waitFor(() => s.a.drMode() === 'secondary');
    expect(s.a.drStatus()).toMatchObject({ mode: 'secondary', state: 'idle', connection_state: 'idle', primaries: [] });

    expect((await post(s, s.b, PROMOTE, { dr_operation_token: s.drToken })).status).toBe(200);
    await waitFor(() => s.b.isAnsweringPrimary());

    const key = await post(s, s.a, PUBLIC_KEY);
    const publicKey: string = key.body.data.secondary_public_key;
    const activation = await post(s, s.b, SECONDARY_TOKEN, { id: 'east', secondary_public_key: publicKey }, s.pair.rootToken);
    expect(activation.status).toBe(200);
    expect(activation.body.wrap_info).toBeNull();
    const activationToken: string = activation.body.data.token;
    expect(s.pair.issuedSecrets()).toContain(activationToken);

    const addrs = await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, update_primary_addrs: ['x:8201'] });
    expect(addrs.status).toBe(400);

    const update = await post(s, s.a, UPDATE_PRIMARY, {
      dr_operation_token: s.drToken,
      token: activationToken,
      primary_api_addr: s.b.address,
      ca_file: '/etc/vault/ca.pem',
    });
    expect(update.status).toBe(200);
    expect(s.a.drStatus()).toMatchObject({
      mode: 'secondary',
      state: 'stream-wals',
      connection_state: 'ready',
      secondary_id: 'east',
      cluster_id: s.b.drStatus().cluster_id,
      primaries: [{ api_address: s.b.address, connection_status: 'connected' }],
    });
    expect(s.b.drStatus()).toMatchObject({ known_secondaries: ['east'], secondaries: [{ node_id: 'east', connection_status: 'connected' }] });

    expect(s.pair.maxAnsweringPrimaries()).toBe(1);
    expect(s.pair.transitions().map((t) => [t.cluster, t.from, t.to, t.cause])).toEqual([
      ['east', 'primary', 'secondary', DEMOTE],
      ['west', 'secondary', 'primary', PROMOTE],
      ['east', 'secondary', 'secondary', UPDATE_PRIMARY],
    ]);
  });
});

describe('secondary-token and update-primary', () => {
  let s: Setup;
  beforeEach(async () => {
    s = await setup();
    // A graceful switchover leaves east demoted and west the primary.
    await post(s, s.a, DEMOTE, {}, s.pair.rootToken);
    await waitFor(() => s.a.drMode() === 'secondary');
    await post(s, s.b, PROMOTE, { dr_operation_token: s.drToken });
    await waitFor(() => s.b.isAnsweringPrimary());
  });
  afterEach(() => s.pair.stop());

  const secondaryToken = (body: object, token?: string) => post(s, s.b, SECONDARY_TOKEN, body, token ?? s.pair.rootToken);

  it('is response-wrapped without a public key', async () => {
    const res = await secondaryToken({ id: 'east', ttl: '10m' });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeNull();
    expect(res.body.wrap_info).toMatchObject({
      // A response-wrapping token in JWT format, as replication's activation tokens are (vault/wrapping.go).
      token: expect.stringMatching(FORMATS.wrappingJwt),
      accessor: expect.any(String),
      ttl: 600,
      creation_time: expect.any(String),
      creation_path: SECONDARY_TOKEN,
    });
  });

  it('needs an id, sudo on the path, and refuses an id that is already a known secondary', async () => {
    expect((await secondaryToken({})).status).toBe(400);
    const primaryOps = await call(s.pair, s.b, {
      method: 'POST',
      path: 'auth/token/create',
      token: s.pair.rootToken,
      body: { policies: ['dr-primary-ops-dev-test'] },
    });
    expect((await secondaryToken({ id: 'x' }, primaryOps.body.auth.client_token)).status).toBe(200);
    expect((await secondaryToken({ id: 'x2' }, s.drToken)).status).toBe(403);
    const creator = await call(s.pair, s.b, {
      method: 'POST',
      path: 'auth/token/create',
      token: s.pair.rootToken,
      body: { policies: ['dr-token-creator-dev-test'] },
    });
    expect((await secondaryToken({ id: 'y' }, creator.body.auth.client_token)).status).toBe(403);
    const token = (await secondaryToken({ id: 'east' })).body.wrap_info.token;
    expect((await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, token })).status).toBe(200);
    const duplicate = await secondaryToken({ id: 'east' });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors[0]).toContain('east');
  });

  it('accepts a fresh activation token once, and refuses it reused or expired', async () => {
    const fresh = (await secondaryToken({ id: 'east' })).body.wrap_info.token;
    expect((await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, token: fresh })).status).toBe(200);
    expect(s.a.drStatus()).toMatchObject({ state: 'stream-wals', connection_state: 'ready' });

    const reused = await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, token: fresh });
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0]).toMatch(/already been used/);

    const expiring = (await secondaryToken({ id: 'another', ttl: '1m' })).body.wrap_info.token;
    s.pair.advanceClock(61_000);
    const expired = await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, token: expiring });
    expect(expired.status).toBe(400);
    expect(expired.body.errors[0]).toMatch(/expired/);

    const unknown = await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, token: 'hvs.unknown' });
    expect(unknown.status).toBe(400);
    const missing = await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken });
    expect(missing.status).toBe(400);
  });

  it('refuses an activation token made for another public key', async () => {
    await post(s, s.a, PUBLIC_KEY);
    const token = (await secondaryToken({ id: 'east', secondary_public_key: 'c29tZW9uZSBlbHNl' })).body.data.token;
    const res = await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, token });
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toMatch(/public key/);
  });

  it('forgets the primary with token ""', async () => {
    const token = (await secondaryToken({ id: 'east' })).body.wrap_info.token;
    await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, token });
    const forget = await post(s, s.a, UPDATE_PRIMARY, { dr_operation_token: s.drToken, token: '' });
    expect(forget.status).toBe(200);
    expect(s.a.drStatus()).toMatchObject({ mode: 'secondary', state: 'idle', connection_state: 'idle', primaries: [] });
  });
});

describe('enable and disable', () => {
  let pair: VaultPair;
  beforeAll(async () => {
    pair = await startVaultPair({ initialState: 'primary-only' });
  });
  afterAll(() => pair.stop());

  it('turns a disabled cluster into a secondary with an activation token, and back', async () => {
    const [east, west] = pair.clusters;
    const root = pair.rootToken;
    const token = (await call(pair, east, { method: 'POST', path: SECONDARY_TOKEN, token: root, body: { id: 'west' } })).body.wrap_info.token;
    const enable = await call(pair, west, { method: 'POST', path: 'sys/replication/dr/secondary/enable', token: root, body: { token } });
    expect(enable.status).toBe(200);
    expect(west.drStatus()).toMatchObject({ mode: 'secondary', state: 'stream-wals', connection_state: 'ready' });
    expect(east.drStatus().known_secondaries).toEqual(['west']);

    const disable = await call(pair, west, { method: 'POST', path: 'sys/replication/dr/secondary/disable', body: { dr_operation_token: root } });
    expect(disable.status).toBe(200);
    expect(west.drMode()).toBe('disabled');
    const enablePrimary = await call(pair, west, { method: 'POST', path: 'sys/replication/dr/primary/enable', token: root, body: {} });
    expect(enablePrimary.status).toBe(200);
    expect(pair.answeringPrimaryNames()).toEqual(['east', 'west']);
    expect(pair.maxAnsweringPrimaries()).toBe(2);
    const disablePrimary = await call(pair, west, { method: 'POST', path: 'sys/replication/dr/primary/disable', token: root, body: {} });
    expect(disablePrimary.status).toBe(200);
    expect(pair.transitions().map((t) => `${t.cluster}:${t.from}->${t.to}`)).toEqual([
      'west:disabled->secondary',
      'west:secondary->disabled',
      'west:disabled->primary',
      'west:primary->disabled',
    ]);
  });
});

describe('sudo where Vault requires it: secondary-token only among the DR endpoints (api/sudo_paths.go)', () => {
  let pair: VaultPair;
  beforeEach(async () => {
    pair = await startVaultPair({ initialState: 'primary-only' });
  });
  afterEach(() => pair.stop());

  /** A token on `cluster` (each has its own storage) whose one policy grants `capabilities` on the DR paths. */
  async function tokenWith(cluster: SimulatedCluster, capabilities: readonly string[]): Promise<string> {
    const caps = capabilities.map((c) => `"${c}"`).join(', ');
    const policy = ['sys/replication/dr/primary/*', 'sys/replication/dr/secondary/enable']
      .map((path) => `path "${path}" {\n  capabilities = [${caps}]\n}`)
      .join('\n');
    const name = `dr-${capabilities.join('-')}`;
    const written = await call(pair, cluster, { method: 'PUT', path: `sys/policies/acl/${name}`, token: pair.rootToken, body: { policy } });
    expect(written.status).toBe(204);
    const created = await call(pair, cluster, {
      method: 'POST',
      path: 'auth/token/create',
      token: pair.rootToken,
      body: { policies: [name], no_default_policy: true, ttl: '10m' },
    });
    return created.body.auth.client_token as string;
  }

  it('refuses secondary-token with update alone, and issues it with update and sudo', async () => {
    const [east] = pair.clusters;
    const updateOnly = await call(pair, east, { method: 'POST', path: SECONDARY_TOKEN, token: await tokenWith(east, ['update']), body: { id: 'west' } });
    expect(updateOnly.status).toBe(403);
    expect(updateOnly.body).toEqual({ errors: ['1 error occurred:\n\t* permission denied\n\n'] });
    const withSudo = await call(pair, east, { method: 'POST', path: SECONDARY_TOKEN, token: await tokenWith(east, ['update', 'sudo']), body: { id: 'west' } });
    expect(withSudo.status).toBe(200);
    expect(withSudo.body.wrap_info.token).toMatch(FORMATS.wrappingJwt);
  });

  it('demotes with update alone, and lets enable, disable, revoke-secondary and secondary/enable past the ACL with it', async () => {
    const [east, west] = pair.clusters;
    const eastToken = await tokenWith(east, ['update']);
    const westToken = await tokenWith(west, ['update']);
    // Past the ACL: each answers as the endpoint does, not 403.
    const revoke = await call(pair, east, { method: 'POST', path: 'sys/replication/dr/primary/revoke-secondary', token: eastToken, body: { id: 'nobody' } });
    expect(revoke.status).toBe(400);
    expect(revoke.body.errors[0]).toContain('no known secondary');
    const enableSecondary = await call(pair, west, { method: 'POST', path: 'sys/replication/dr/secondary/enable', token: westToken, body: { token: 'not-an-activation-token' } });
    expect(enableSecondary.status).toBe(400);
    expect(enableSecondary.body.errors[0]).toMatch(/^invalid activation token/);
    expect((await call(pair, west, { method: 'POST', path: 'sys/replication/dr/primary/enable', token: westToken, body: {} })).status).toBe(200);
    expect((await call(pair, west, { method: 'POST', path: 'sys/replication/dr/primary/disable', token: westToken, body: {} })).status).toBe(200);
    const demote = await call(pair, east, { method: 'POST', path: DEMOTE, token: eastToken, body: {} });
    expect(demote.status).toBe(200);
    await waitFor(() => east.drMode() === 'secondary');
  });
});
