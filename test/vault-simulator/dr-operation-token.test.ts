/**
 * Generating a DR operation token from recovery key shares on a DR secondary, the break-glass path
 * when no batch DR operation token is at hand (docs: api-docs/system/replication/replication-dr
 * "Generate disaster recovery operation token"; https://developer.hashicorp.com/vault/docs/enterprise/replication/disaster-recovery/operation-token).
 * Decoding uses the same rule `vault operator generate-root -decode` does, written out here.
 */
import { call, waitFor } from './testing/call';
import { startVaultPair } from './index';
import type { SimulatedCluster, VaultPair } from './index';
import { FORMATS } from './token-formats';

const ATTEMPT = 'sys/replication/dr/secondary/generate-operation-token/attempt';
const UPDATE = 'sys/replication/dr/secondary/generate-operation-token/update';
const PROMOTE = 'sys/replication/dr/secondary/promote';
const DELETE = 'sys/replication/dr/secondary/operation-token/delete';
const ROLES = { generatorRoleArn: 'arn:aws:iam::123456789012:role/dr-token-generator', operationsRoleArn: 'arn:aws:iam::123456789012:role/dr-operations' };

/** base64 of (encoded XOR otp), written independently of the simulator's helper. */
function decode(encoded: string, otp: string): string {
  const bytes = Buffer.from(encoded, 'base64');
  return Buffer.from(bytes.map((b, i) => b ^ otp.charCodeAt(i))).toString('utf8');
}

interface Generated {
  readonly otp: string;
  readonly encoded: string;
  readonly token: string;
}

async function generate(pair: VaultPair, cluster: SimulatedCluster, shares: readonly string[], token?: string): Promise<Generated> {
  const auth = token === undefined ? {} : { token };
  const started = await call(pair, cluster, { method: 'POST', path: ATTEMPT, body: {}, ...auth });
  expect(started.status).toBe(200);
  const { otp, nonce } = started.body as { otp: string; nonce: string };
  let last: { complete: boolean; encoded_token: string } | undefined;
  for (const key of shares) {
    const res = await call(pair, cluster, { method: 'POST', path: UPDATE, body: { key, nonce }, ...auth });
    expect(res.status).toBe(200);
    last = res.body;
  }
  expect(last?.complete).toBe(true);
  const encoded = last?.encoded_token as string;
  return { otp, encoded, token: decode(encoded, otp) };
}

describe('generate-operation-token on a DR secondary (Vault 1.x: unauthenticated)', () => {
  let pair: VaultPair;
  let primary: SimulatedCluster;
  let secondary: SimulatedCluster;
  let keys: string[];
  beforeEach(async () => {
    pair = await startVaultPair({ transitionMs: 30 });
    [primary, secondary] = pair.clusters;
    keys = await pair.recoveryKeys();
  });
  afterEach(() => pair.stop());

  it('hands out five base64 recovery key shares (33 bytes: a 32-byte key plus the x coordinate)', () => {
    expect(keys).toHaveLength(5);
    for (const key of keys) expect(Buffer.from(key, 'base64')).toHaveLength(33);
    expect(new Set(keys).size).toBe(5);
  });

  it('reads progress, starts with a 28-character OTP, and refuses a second attempt', async () => {
    const idle = await call(pair, secondary, { path: ATTEMPT });
    expect(idle.status).toBe(200);
    expect(idle.body).toEqual({
      nonce: '',
      started: false,
      progress: 0,
      required: 3,
      complete: false,
      encoded_token: '',
      encoded_root_token: '',
      pgp_fingerprint: '',
      otp: '',
      otp_length: 28,
    });
    const started = await call(pair, secondary, { method: 'POST', path: ATTEMPT, body: {} });
    expect(started.body).toMatchObject({ started: true, progress: 0, required: 3, otp: expect.stringMatching(FORMATS.otp), nonce: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    // The OTP is answered once, on the start only.
    expect((await call(pair, secondary, { path: ATTEMPT })).body).toMatchObject({ started: true, otp: '', nonce: started.body.nonce });
    const again = await call(pair, secondary, { method: 'POST', path: ATTEMPT, body: {} });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({ errors: ['root generation already in progress'] });
    expect((await call(pair, secondary, { method: 'DELETE', path: ATTEMPT })).status).toBe(204);
    expect((await call(pair, secondary, { path: ATTEMPT })).body).toMatchObject({ started: false, nonce: '' });
  });

  it('takes one share per update until the threshold, then answers the encoded token, which decodes to a root-form token', async () => {
    const started = await call(pair, secondary, { method: 'POST', path: ATTEMPT, body: {} });
    const { nonce, otp } = started.body;
    const first = await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key: keys[0], nonce } });
    expect(first.body).toMatchObject({ started: true, progress: 1, required: 3, complete: false, encoded_token: '' });
    const duplicate = await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key: keys[0], nonce } });
    expect(duplicate.status).toBe(400);
    expect(duplicate.body.errors).toEqual(['given key has already been provided during this generation operation']);
    await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key: keys[2], nonce } });
    const done = await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key: keys[4], nonce } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ complete: true, progress: 3, required: 3, nonce, encoded_root_token: '', otp: '' });
    expect(done.body.encoded_token).toMatch(FORMATS.encodedToken);
    expect(decode(done.body.encoded_token, otp)).toMatch(FORMATS.rootToken);
    // The attempt is over.
    expect((await call(pair, secondary, { path: ATTEMPT })).body).toMatchObject({ started: false });
  });

  it('answers the documented errors for a missing key, a wrong nonce, no attempt and a key that is not hex or base64', async () => {
    const noAttempt = await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key: keys[0], nonce: 'x' } });
    expect(noAttempt.body).toEqual({ errors: ['no root generation in progress'] });
    const { nonce } = (await call(pair, secondary, { method: 'POST', path: ATTEMPT, body: {} })).body;
    expect((await call(pair, secondary, { method: 'POST', path: UPDATE, body: { nonce } })).body).toEqual({ errors: ["'key' must be specified in request body as JSON"] });
    expect((await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key: 'not base64!', nonce } })).body).toEqual({
      errors: ["'key' must be a valid hex or base64 string"],
    });
    const wrongNonce = await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key: keys[0], nonce: 'other' } });
    expect(wrongNonce.status).toBe(400);
    expect(wrongNonce.body.errors[0]).toBe(`incorrect nonce supplied; nonce for this root generation operation is "${nonce}"`);
  });

  it('aborts when the shares do not combine to the recovery key, and the progress starts again', async () => {
    const other = await startVaultPair();
    try {
      const foreign = await other.recoveryKeys();
      const { nonce } = (await call(pair, secondary, { method: 'POST', path: ATTEMPT, body: {} })).body;
      for (const key of foreign.slice(0, 2)) await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key, nonce } });
      const aborted = await call(pair, secondary, { method: 'POST', path: UPDATE, body: { key: foreign[2], nonce } });
      expect(aborted.status).toBe(400);
      expect(aborted.body.errors[0]).toMatch(/^root generation aborted: /);
      expect((await call(pair, secondary, { path: ATTEMPT })).body).toMatchObject({ started: true, progress: 0 });
    } finally {
      await other.stop();
    }
  });

  it('is refused on a cluster that is not a DR secondary', async () => {
    const res = await call(pair, primary, { method: 'POST', path: ATTEMPT, body: {} });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ errors: ['this cluster is not a DR secondary'] });
  });

  it('gives a token that promotes the secondary as dr_operation_token, and that is no Vault token anywhere', async () => {
    const { token } = await generate(pair, secondary, keys.slice(1, 4));
    // Not in the token store: not a Vault token on the primary (nor, by the DR filter, on the secondary).
    const lookup = await call(pair, primary, { path: 'auth/token/lookup-self', token });
    expect(lookup.status).toBe(403);
    const demote = await call(pair, primary, { method: 'POST', path: 'sys/replication/dr/primary/demote', token });
    expect(demote.status).toBe(403);
    expect(primary.drMode()).toBe('primary');
    // Only the secondary that generated it knows it.
    const promote = await call(pair, secondary, { method: 'POST', path: PROMOTE, body: { dr_operation_token: token } });
    expect(promote.status).toBe(200);
    await waitFor(() => secondary.drMode() === 'primary');
  });

  it('is revoked by operation-token/delete', async () => {
    const { token } = await generate(pair, secondary, keys.slice(0, 3));
    expect((await call(pair, secondary, { method: 'POST', path: DELETE, body: { dr_operation_token: token } })).status).toBe(204);
    const promote = await call(pair, secondary, { method: 'POST', path: PROMOTE, body: { dr_operation_token: token } });
    expect(promote.status).toBe(403);
    expect(secondary.drMode()).toBe('secondary');
  });

  it('records the OTP, the encoded token, the decoded token and the recovery keys as issued secrets', async () => {
    const generated = await generate(pair, secondary, keys.slice(0, 3));
    const secrets = pair.issuedSecrets();
    for (const secret of [generated.otp, generated.encoded, generated.token, ...keys]) expect(secrets).toContain(secret);
  });

  it('is the way out when the batch DR token has expired', async () => {
    await pair.configureDr(ROLES);
    const { token: batch } = await pair.createDrBatchToken({ ttl: '1h' });
    pair.advanceClock(2 * 3600 * 1000);
    const refused = await call(pair, secondary, { method: 'POST', path: PROMOTE, body: { dr_operation_token: batch } });
    expect(refused.status).toBe(403);
    const { token } = await generate(pair, secondary, keys.slice(2, 5));
    expect((await call(pair, secondary, { method: 'POST', path: PROMOTE, body: { dr_operation_token: token } })).status).toBe(200);
  });
});

describe('generate-operation-token when it needs a Vault token (Vault 2.x)', () => {
  let pair: VaultPair;
  let secondary: SimulatedCluster;
  beforeAll(async () => {
    pair = await startVaultPair({ drOperationTokenGeneration: 'token' });
    secondary = pair.clusters[1];
    await pair.configureDr(ROLES);
  });
  afterAll(() => pair.stop());

  it('refuses without a token, and with an expired batch token', async () => {
    const none = await call(pair, secondary, { method: 'POST', path: ATTEMPT, body: {} });
    expect(none.status).toBe(403);
    expect(none.body).toEqual({ errors: ['permission denied'] });
    const { token } = await pair.createDrBatchToken({ ttl: '1m' });
    pair.advanceClock(61_000);
    expect((await call(pair, secondary, { method: 'POST', path: ATTEMPT, body: {}, token })).status).toBe(403);
  });

  it("refuses the project's batch DR token, whose policy is promote and update-primary only", async () => {
    const { token } = await pair.createDrBatchToken({ ttl: '1h' });
    expect((await call(pair, secondary, { method: 'POST', path: ATTEMPT, body: {}, token })).status).toBe(403);
  });

  it('accepts a token whose policy grants the attempt and update paths (a break-glass policy), which cannot cancel without delete', async () => {
    const policy = [
      `path "${ATTEMPT}" {\n  capabilities = ["create", "read", "update"]\n}`,
      'path "sys/replication/dr/secondary/generate-operation-token/update" {\n  capabilities = ["create", "update"]\n}',
    ].join('\n');
    expect((await call(pair, pair.clusters[0], { method: 'PUT', path: 'sys/policies/acl/break-glass', token: pair.rootToken, body: { policy } })).status).toBe(204);
    // The policy reaches the DR secondary through the WAL stream, walLagMs after it was written.
    await pair.waitForReplication({ advanceClock: true });
    const created = await call(pair, pair.clusters[0], {
      method: 'POST',
      path: 'auth/token/create',
      token: pair.rootToken,
      body: { policies: ['break-glass'], type: 'batch', no_default_policy: true, ttl: '1h' },
    });
    const token = (created.body as { auth: { client_token: string } }).auth.client_token;
    const generated = await generate(pair, secondary, (await pair.recoveryKeys()).slice(0, 3), token);
    expect(generated.token).toMatch(FORMATS.rootToken);
    expect((await call(pair, secondary, { method: 'DELETE', path: ATTEMPT, token })).status).toBe(403);
  });
});
