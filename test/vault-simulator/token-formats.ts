/**
 * The secrets the simulator hands out, in the byte formats Vault 1.10+ really uses, so that a test
 * searching logs for them proves the code never logged them (a look-alike would only prove that a
 * redaction pattern matched the look-alike). Sources, all in hashicorp/vault (and unchanged in the
 * openbao/openbao fork unless noted):
 *
 * - Service tokens: `hvs.` + base64url (no padding) of the protobuf `SignedToken{token_version=1,
 *   hmac=HMAC-SHA256(key, token), token=Token{random="hvs."+24 base62}}`: 95 characters
 *   (vault/token_store.go `GenerateSSCTokenID`, vault/tokens/token.proto).
 * - Root tokens (from init, generate-root, and DR operation tokens, which use the same strategy):
 *   never server-side consistent, so `hvs.` + 24 base62 characters, 28 in all; the fixed size is
 *   what lets the one-time password have the token's length (vault/token_store.go: "root tokens are
 *   always fixed size"; vault/generate_root.go `GenerateDROperationTokenStrategy`).
 * - Batch tokens: `hvb.` + base64url (no padding) of the barrier's AES-GCM output over the
 *   protobuf `pb.TokenEntry`: key term (4 bytes, big endian), version byte 2, 12-byte nonce,
 *   ciphertext, 16-byte tag (vault/token_store.go `create`, vault/barrier_aes_gcm.go `encrypt`,
 *   sdk/plugin/pb/backend.proto `TokenEntry`).
 * - Accessors and wrapping-token ids: 24 base62 characters (vault/token_store.go `createAccessor`).
 * - Response-wrapping tokens in JWT format (what replication's secondary-token answers): an ES512
 *   JWT `{"alg":"ES512","typ":"JWT"}` whose claims are `accessor`, `addr` (the issuer's API
 *   address), `exp`, `iat`, `jti` (the wrapping token's id, `hvs.` + 24 base62), `nbf` (five
 *   seconds before issue) and `type: "wrapping"` (vault/wrapping.go `wrapInCubbyhole`).
 * - Generate-root and generate-operation-token: a 28-character base62 one-time password, and the
 *   encoded token = base64 (standard alphabet, so `+` and `/`, no `=` padding) of the token's
 *   bytes XOR the OTP's bytes (sdk/helper/roottoken/encode.go, decode.go; vault/generate_root.go).
 * - Recovery tokens (`hvr.` + 24 base62) exist only in Vault's recovery mode, which the simulator
 *   does not model, so it never issues one.
 */
import { createCipheriv, createDecipheriv, createHmac, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, randomInt, sign } from 'node:crypto';

export const SERVICE_TOKEN_PREFIX = 'hvs.';
export const BATCH_TOKEN_PREFIX = 'hvb.';
/** Vault's TokenLength: the random part of a token, accessor or lease id. */
export const TOKEN_LENGTH = 24;
/** Vault's TokenLength + TokenPrefixLength: a root token's length, and so the OTP's. */
export const OTP_LENGTH = TOKEN_LENGTH + SERVICE_TOKEN_PREFIX.length;

/** Shapes of every format above, for the simulator's own tests. */
export const FORMATS = {
  serviceToken: /^hvs\.CAES[A-Za-z0-9_-]{87}$/,
  rootToken: /^hvs\.[A-Za-z0-9]{24}$/,
  batchToken: /^hvb\.AAAAAQ[A-Za-z0-9_-]{100,}$/,
  accessor: /^[A-Za-z0-9]{24}$/,
  wrappingJwt: /^eyJhbGciOiJFUzUxMiIsInR5cCI6IkpXVCJ9\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{176}$/,
  otp: /^[A-Za-z0-9]{28}$/,
  encodedToken: /^[A-Za-z0-9+/]{38}$/,
} as const;

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** `length` characters of base62 from a CSPRNG (go-secure-stdlib/base62 Random). */
export function base62(length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) out += BASE62[randomInt(BASE62.length)];
  return out;
}

export const newAccessor = (): string => base62(TOKEN_LENGTH);
export const newRootToken = (): string => `${SERVICE_TOKEN_PREFIX}${base62(TOKEN_LENGTH)}`;

/** Minimal protobuf writer: varints and length-delimited fields, all this module needs. */
class ProtoWriter {
  private readonly parts: Buffer[] = [];

  private varint(value: number | bigint): void {
    let v = BigInt(value);
    if (v < 0n) v += 1n << 64n; // two's complement, as protobuf encodes negative int64
    const bytes: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      bytes.push(byte);
    } while (v > 0n);
    this.parts.push(Buffer.from(bytes));
  }

  private key(field: number, wireType: 0 | 2): void {
    this.varint((field << 3) | wireType);
  }

  /** proto3 leaves zero values out. */
  uint(field: number, value: number | bigint): this {
    if (BigInt(value) === 0n) return this;
    this.key(field, 0);
    this.varint(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    return value ? this.uint(field, 1) : this;
  }

  bytes(field: number, value: Buffer | string): this {
    const buffer = typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
    if (buffer.length === 0) return this;
    this.key(field, 2);
    this.varint(buffer.length);
    this.parts.push(buffer);
    return this;
  }

  /** A `map<string, string>` field: one entry message per key. */
  map(field: number, value: Readonly<Record<string, string>>): this {
    for (const [k, v] of Object.entries(value)) {
      this.bytes(field, new ProtoWriter().bytes(1, k).bytes(2, v).finish());
    }
    return this;
  }

  finish(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** What a batch token carries (the fields of pb.TokenEntry Vault fills for one). */
export interface BatchTokenContent {
  readonly policies: readonly string[];
  readonly path: string;
  readonly meta: Readonly<Record<string, string>>;
  readonly displayName: string;
  /** Unix seconds. */
  readonly creationTime: number;
  readonly ttlSeconds: number;
  readonly role: string;
}

/** The per-simulator keys: the barrier key batch tokens are sealed with, the SSC-token HMAC key and the wrapping JWT key. */
export class TokenFormats {
  private readonly barrierKey = randomBytes(32);
  private readonly hmacKey = randomBytes(32);
  private readonly wrappingKey: KeyObject = generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey;

  /** A new service token's external id (what the client sees): 95 characters. */
  serviceToken(): string {
    const inner = new ProtoWriter().bytes(1, `${SERVICE_TOKEN_PREFIX}${base62(TOKEN_LENGTH)}`).finish();
    const hmac = createHmac('sha256', this.hmacKey).update(inner).digest();
    const signed = new ProtoWriter().uint(1, 1).bytes(2, hmac).bytes(3, inner).finish();
    return `${SERVICE_TOKEN_PREFIX}${signed.toString('base64url')}`;
  }

  /**
   * A batch token: the sealed entry, so its length grows with its policies and metadata. `key` is
   * the barrier key of the cluster that issues it (its keyring, which DR replication copies);
   * without one, this object's own.
   */
  batchToken(content: BatchTokenContent, key: Buffer = this.barrierKey): string {
    const writer = new ProtoWriter();
    for (const policy of content.policies) writer.bytes(4, policy);
    const plain = writer
      .bytes(5, content.path)
      .map(6, content.meta)
      .bytes(7, content.displayName)
      .uint(9, content.creationTime)
      .uint(10, BigInt(content.ttlSeconds) * 1_000_000_000n) // time.Duration: nanoseconds
      .bytes(12, content.role)
      .bytes(16, 'root')
      .uint(18, 1) // logical.TokenTypeBatch
      .finish();
    const nonce = randomBytes(12);
    const header = Buffer.from([0, 0, 0, 1, 2]); // key term 1, AESGCMVersion2
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const sealed = Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return `${BATCH_TOKEN_PREFIX}${Buffer.concat([header, nonce, sealed]).toString('base64url')}`;
  }

  /** The public half of the wrapping key, which a secondary (or a test) verifies a JWT with. */
  wrappingPublicKeyPem(): string {
    return createPublicKey(this.wrappingKey).export({ type: 'spki', format: 'pem' }).toString();
  }

  /**
   * A response-wrapping token in JWT format, signed ES512 with this simulator's wrapping key. Its
   * `jti`, the wrapping token's own id, is a secret too: it goes to `secrets` before the JWT does.
   */
  wrappingJwt(
    claims: { readonly addr: string; readonly nowMs: number; readonly ttlSeconds: number },
    secrets: { add(secret: string): string },
  ): string {
    const id = secrets.add(newRootToken());
    const iat = Math.floor(claims.nowMs / 1000);
    // go-jose marshals the merged claims as a Go map: keys in sorted order.
    const payload = { accessor: '', addr: claims.addr, exp: iat + claims.ttlSeconds, iat, jti: id, nbf: iat - 5, type: 'wrapping' };
    const signingInput = `${b64url({ alg: 'ES512', typ: 'JWT' })}.${b64url(payload)}`;
    const signature = sign('sha512', Buffer.from(signingInput), { key: this.wrappingKey, dsaEncoding: 'ieee-p1363' });
    return `${signingInput}.${signature.toString('base64url')}`;
  }
}

/**
 * Whether `key` opens a batch token: the barrier's AES-GCM decryption of it succeeds (the tag
 * authenticates it). A cluster whose keyring is not the one the token was sealed with cannot.
 */
export function opensBatchToken(token: string, key: Buffer): boolean {
  if (!token.startsWith(BATCH_TOKEN_PREFIX)) return false;
  const bytes = Buffer.from(token.slice(BATCH_TOKEN_PREFIX.length), 'base64url');
  const HEADER = 5;
  const NONCE = 12;
  const TAG = 16;
  if (bytes.length < HEADER + NONCE + TAG) return false;
  const nonce = bytes.subarray(HEADER, HEADER + NONCE);
  const decipher = createDecipheriv('aes-256-gcm', key, nonce);
  decipher.setAuthTag(bytes.subarray(bytes.length - TAG));
  try {
    decipher.update(bytes.subarray(HEADER + NONCE, bytes.length - TAG));
    decipher.final();
    return true;
  } catch {
    return false;
  }
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

let shared: TokenFormats | undefined;
/** One set of keys per process: generating a P-521 key for every pair would only cost time. */
export function tokenFormats(): TokenFormats {
  shared ??= new TokenFormats();
  return shared;
}

/** generate-root / generate-operation-token: the OTP a new attempt answers with. */
export const newOtp = (): string => base62(OTP_LENGTH);

function xor(a: Buffer, b: Buffer): Buffer {
  if (a.length !== b.length) throw new Error(`length of byte slices is not equivalent: ${a.length} != ${b.length}`);
  return Buffer.from(a.map((byte, i) => byte ^ (b[i] as number)));
}

/** sdk/helper/roottoken EncodeToken: base64 (standard, unpadded) of token XOR otp. */
export function encodeToken(token: string, otp: string): string {
  return xor(Buffer.from(otp, 'utf8'), Buffer.from(token, 'utf8')).toString('base64').replace(/=+$/, '');
}

/** sdk/helper/roottoken DecodeToken with an OTP length > 0 (what `vault operator generate-root -decode` does). */
export function decodeToken(encoded: string, otp: string): string {
  return xor(Buffer.from(encoded, 'base64'), Buffer.from(otp, 'utf8')).toString('utf8');
}
