/**
 * The batch DR operation token in Secrets Manager: written by dr-token-generator, read by
 * dr-operations. The payload shape is fixed in docs/contracts.md. The token is a Secret from the
 * moment it is read until it is put in a request body.
 */
import {
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { untilDeadline } from './aws-client-options';
import type { Deadline } from './deadline';
import { Secret } from './secret';

export interface DrTokenRecord {
  readonly token: Secret;
  /** ISO-8601. */
  readonly expiresAt: string;
  /** ISO-8601. */
  readonly createdAt: string;
  /** The primary the token was created on. */
  readonly vaultAddress: string;
}

export type DrTokenLookup =
  | { readonly kind: 'present'; readonly record: DrTokenRecord }
  | { readonly kind: 'missing'; readonly reason: string };

function parseRecord(secretString: string): DrTokenRecord | undefined {
  let value: unknown;
  try {
    value = JSON.parse(secretString);
  } catch {
    return undefined;
  }
  const r = value as Partial<Record<keyof DrTokenRecord, unknown>> | null;
  if (
    typeof r?.token !== 'string' || !r.token ||
    typeof r.expiresAt !== 'string' || Number.isNaN(Date.parse(r.expiresAt)) ||
    typeof r.createdAt !== 'string' ||
    typeof r.vaultAddress !== 'string'
  ) {
    return undefined;
  }
  return { token: new Secret(r.token), expiresAt: r.expiresAt, createdAt: r.createdAt, vaultAddress: r.vaultAddress };
}

export async function readDrToken(client: SecretsManagerClient, secretId: string, deadline: Deadline): Promise<DrTokenLookup> {
  try {
    const out = await client.send(new GetSecretValueCommand({ SecretId: secretId }), untilDeadline(deadline));
    if (!out.SecretString) return { kind: 'missing', reason: `secret ${secretId} has no value yet (has dr-token-generator run?)` };
    const record = parseRecord(out.SecretString);
    if (!record) return { kind: 'missing', reason: `secret ${secretId} does not hold a DR token record (token, expiresAt, createdAt, vaultAddress)` };
    return { kind: 'present', record };
  } catch (err) {
    if (err instanceof ResourceNotFoundException) {
      return { kind: 'missing', reason: `secret ${secretId} not found or has no value yet (has dr-token-generator run?)` };
    }
    throw err;
  }
}

export async function writeDrToken(client: SecretsManagerClient, secretId: string, record: DrTokenRecord, deadline: Deadline): Promise<void> {
  const payload = JSON.stringify({ token: record.token.reveal(), expiresAt: record.expiresAt, createdAt: record.createdAt, vaultAddress: record.vaultAddress });
  await client.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: payload }), untilDeadline(deadline));
}

/** Seconds until the token expires (negative when it has). */
export function secondsToExpiry(record: Pick<DrTokenRecord, 'expiresAt'>, now: Date): number {
  return Math.floor((Date.parse(record.expiresAt) - now.getTime()) / 1000);
}

/**
 * Why the token cannot be used for an operation that must finish within `minRemainingSeconds`, or
 * undefined when it can.
 */
export function unusableReason(lookup: DrTokenLookup, minRemainingSeconds: number, now: Date): string | undefined {
  if (lookup.kind === 'missing') return `the DR operation token is missing: ${lookup.reason}`;
  const left = secondsToExpiry(lookup.record, now);
  if (left <= 0) return `the DR operation token expired at ${lookup.record.expiresAt}; run dr-token-generator (it needs a reachable primary) or use a break-glass DR operation token`;
  if (left < minRemainingSeconds) {
    return `the DR operation token expires in ${left} s (at ${lookup.record.expiresAt}), under the ${minRemainingSeconds} s minimum (DR_TOKEN_MIN_REMAINING_SECONDS); run dr-token-generator first`;
  }
  return undefined;
}
