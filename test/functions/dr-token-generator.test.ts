/** dr-token-generator: its own IAM login, a batch token on the real primary, Secrets Manager on moto. */
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { refreshDrToken } from '../../functions/dr-token-generator/handler';
import { checkBatchToken } from '../../functions/dr-token-generator/generate-dr-token';
import { InputError, StepFailedError } from '../../functions/shared/errors';
import type { DrWorld } from '../support/dr-harness';
import { freshWorlds } from '../support/testbed';
import { runOperation } from '../../functions/dr-operations/handler';
import { captureStdout } from '../support/log-capture';

const testbed = freshWorlds();

async function storedValue(w: DrWorld): Promise<string | undefined> {
  try {
    return (await w.secrets.send(new GetSecretValueCommand({ SecretId: w.secretId }))).SecretString;
  } catch {
    return undefined;
  }
}

it('stores a batch, orphan DR token created on the real primary, with its expiry, and reports success as a metric', async () => {
  const w = await testbed.create();
  // The primary is found from the clusters' answers: after a switchover it is west.
  await w.storeDrToken();
  await captureStdout(() => runOperation({ operation: 'switchover' }, w.env.operations));

  const { result, lines, error } = await captureStdout(() => refreshDrToken({ ...w.env.generator, DR_TOKEN_TTL: '8h' }));
  expect(error).toBeUndefined();
  expect(result).toEqual({ expiresAt: expect.any(String), createdAt: expect.any(String), vaultAddress: w.vault.cluster('west').address });
  const record = JSON.parse((await storedValue(w)) as string);
  expect(record.token).toMatch(/^hvb\./);
  expect(Date.parse(record.expiresAt) - Date.parse(record.createdAt)).toBe(8 * 3600 * 1000);
  expect(JSON.stringify(result)).not.toContain(record.token);
  expect(lines.join('\n')).not.toContain(record.token);

  const metric = lines.map((l) => JSON.parse(l)).find((l) => l._aws);
  expect(metric).toEqual(expect.objectContaining({ Environment: 'dev', DrTokenRefreshSucceeded: 1, DrTokenSecondsToExpiry: expect.any(Number) }));
  expect(metric._aws.CloudWatchMetrics[0]).toEqual(expect.objectContaining({ Namespace: 'VaultDR', Dimensions: [['Environment']] }));

  // The stored token really works for DR operations: a status probe is not enough, so fail over with it.
  await w.vault.cluster('west').setFault('down');
  const { result: failover } = await captureStdout(() => runOperation({ operation: 'failover' }, w.env.operations));
  expect(failover).toEqual(expect.objectContaining({ outcome: 'succeeded' }));
});

it('keeps the last good token and fails when login fails, saying what to run', async () => {
  const w = await testbed.create();
  await w.storeDrToken();
  const before = await storedValue(w);
  const { error, lines } = await captureStdout(() => refreshDrToken({ ...w.env.generator, VAULT_AWS_AUTH_ROLE: 'no-such-role' }));
  expect(error).toBeInstanceOf(StepFailedError);
  expect((error as Error).message).toMatch(/auth\/dr-aws-dev-test\/login: HTTP 400: entry for role "no-such-role" not found\. Changed: nothing\. .*Next: invoke dr-token-generator with \{\}/);
  expect(await storedValue(w)).toBe(before);
  expect(lines.some((l) => JSON.parse(l).message?.includes('the stored token was not changed'))).toBe(true);
});

it('refuses when no cluster answers as primary, storing nothing', async () => {
  const w = await testbed.create();
  await w.vault.cluster('east').setFault('sealed');
  const { error } = await captureStdout(() => refreshDrToken(w.env.generator));
  expect((error as Error).message).toMatch(/no cluster answers as an active primary; the stored token was left as it was\. Changed: nothing\. Clusters: east .*sealed/);
  expect(await storedValue(w)).toBeUndefined();
});

it('refuses a DR_TOKEN_TTL that is not a duration', async () => {
  const w = await testbed.create();
  const { error } = await captureStdout(() => refreshDrToken({ ...w.env.generator, DR_TOKEN_TTL: 'eight hours' }));
  expect((error as Error).message).toMatch(/^DR_TOKEN_TTL: must be a duration/);
  expect((error as InputError).field).toBe('DR_TOKEN_TTL');
});

describe('checkBatchToken', () => {
  const good = { leaseDurationSeconds: 28800, tokenType: 'batch', orphan: true, renewable: false };
  it('accepts a batch, orphan, non-renewable token', () => expect(() => checkBatchToken(good, 'r')).not.toThrow());
  it.each([
    [{ tokenType: 'service' }, /not "batch"/],
    [{ orphan: false }, /not an orphan/],
    [{ renewable: true }, /renewable/],
  ])('refuses %j', (change, message) => {
    expect(() => checkBatchToken({ ...good, ...change }, 'r')).toThrow(StepFailedError);
    expect(() => checkBatchToken({ ...good, ...change }, 'r')).toThrow(message);
  });
});
