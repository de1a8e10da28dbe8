/**
 * The byte formats of the secrets the simulator issues, checked by decoding them as a reader of
 * Vault's source would (vault/token_store.go, vault/tokens/token.proto, vault/wrapping.go,
 * sdk/helper/roottoken), not by calling back into the code that made them.
 */
import { createPublicKey } from 'node:crypto';
import { SecretLog } from './secrets';
import { FORMATS, TokenFormats, decodeToken, encodeToken, newOtp, newRootToken } from './token-formats';

const formats = new TokenFormats();

describe('service tokens (server-side consistent, Vault 1.10+)', () => {
  it('are hvs. + base64url of a SignedToken protobuf: version 1, a 32-byte HMAC, and the inner hvs. token', () => {
    const token = formats.serviceToken();
    expect(token).toHaveLength(95);
    expect(token).toMatch(FORMATS.serviceToken);
    const bytes = Buffer.from(token.slice(4), 'base64url');
    // field 1 (varint) = 1; field 2 (bytes, 32); field 3 (bytes) holding Token{field 1 (string, 28)}
    expect([...bytes.subarray(0, 4)]).toEqual([0x08, 0x01, 0x12, 0x20]);
    expect([...bytes.subarray(36, 40)]).toEqual([0x1a, 0x1e, 0x0a, 0x1c]);
    expect(bytes.subarray(40).toString('utf8')).toMatch(FORMATS.rootToken);
  });

  it('are all different', () => {
    expect(new Set(Array.from({ length: 50 }, () => formats.serviceToken())).size).toBe(50);
  });
});

describe('batch tokens', () => {
  const content = { policies: ['default', 'dr-operation'], path: 'auth/token/create/dr', meta: {}, displayName: 'token', creationTime: 1_700_000_000, ttlSeconds: 28800, role: 'dr' };

  it('are hvb. + base64url of the barrier output: key term 1, version byte 2, a 12-byte nonce, sealed entry and tag', () => {
    const token = formats.batchToken(content);
    expect(token).toMatch(FORMATS.batchToken);
    const bytes = Buffer.from(token.slice(4), 'base64url');
    expect([...bytes.subarray(0, 5)]).toEqual([0, 0, 0, 1, 2]);
    // The plaintext is not readable in the token.
    expect(bytes.toString('latin1')).not.toContain('dr-operation');
  });

  it('grow with what they carry, as an encrypted entry does', () => {
    const small = formats.batchToken(content);
    const large = formats.batchToken({ ...content, policies: [...content.policies, 'a-much-longer-policy-name-than-before'] });
    expect(large.length).toBeGreaterThan(small.length + 40);
  });
});

describe('root-form tokens and OTP encoding (generate-root, generate-operation-token)', () => {
  it('root tokens are hvs. + 24 base62 characters, the length of the OTP', () => {
    const token = newRootToken();
    expect(token).toMatch(FORMATS.rootToken);
    expect(newOtp()).toMatch(FORMATS.otp);
    expect(newOtp()).toHaveLength(token.length);
  });

  it('encodes as standard unpadded base64 of token XOR otp', () => {
    // 'a' ^ 'A' = 'b' ^ 'B' = 0x20; base64 of 0x20 0x20 is "ICA=", unpadded "ICA".
    expect(encodeToken('ab', 'AB')).toBe('ICA');
    expect(decodeToken('ICA', 'AB')).toBe('ab');
    expect(() => encodeToken('abc', 'AB')).toThrow('length of byte slices is not equivalent: 2 != 3');
  });

  it('gives a 38-character encoded token over the base64 alphabet, + and / included over many draws', () => {
    const encoded = Array.from({ length: 200 }, () => encodeToken(newRootToken(), newOtp()));
    for (const e of encoded) expect(e).toMatch(FORMATS.encodedToken);
    expect(encoded.some((e) => e.includes('+'))).toBe(true);
    expect(encoded.some((e) => e.includes('/'))).toBe(true);
  });
});

describe('response-wrapping tokens in JWT format (replication activation tokens)', () => {
  it('are ES512 JWTs with the claims vault/wrapping.go sets, and log their wrapping token id as a secret', () => {
    const secrets = new SecretLog();
    const jwt = formats.wrappingJwt({ addr: 'https://10.0.0.1:8200', nowMs: 1_700_000_000_500, ttlSeconds: 1800 }, secrets);
    expect(jwt).toMatch(FORMATS.wrappingJwt);
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'ES512', typ: 'JWT' });
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString());
    expect(Object.keys(claims)).toEqual(['accessor', 'addr', 'exp', 'iat', 'jti', 'nbf', 'type']);
    expect(claims).toEqual({ accessor: '', addr: 'https://10.0.0.1:8200', exp: 1_700_001_800, iat: 1_700_000_000, jti: expect.stringMatching(FORMATS.rootToken), nbf: 1_699_999_995, type: 'wrapping' });
    expect(Buffer.from(signature, 'base64url')).toHaveLength(132);
    expect(secrets.all()).toEqual([claims.jti]);
  });

  it('carry a signature a P-521 public key verifies', async () => {
    const { verify } = await import('node:crypto');
    const local = new TokenFormats();
    const jwt = local.wrappingJwt({ addr: 'https://x', nowMs: Date.now(), ttlSeconds: 60 }, new SecretLog());
    const [header, payload, signature] = jwt.split('.') as [string, string, string];
    const publicKey = createPublicKey(local.wrappingPublicKeyPem());
    expect(verify('sha512', Buffer.from(`${header}.${payload}`), { key: publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(signature, 'base64url'))).toBe(true);
  });
});
