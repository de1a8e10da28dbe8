/**
 * The break-glass path of a long outage: the primary is gone and the stored batch DR token has
 * expired, so failover refuses; an operator generates a DR operation token on the DR secondary from
 * the recovery key shares (sys/replication/dr/secondary/generate-operation-token, as
 * `vault operator generate-root -dr-token` does) and gives it to dr-operations for ONE invocation.
 * It is used for the DR secondary operations of that invocation only, and never stored, logged or
 * returned: the logs of the whole cycle, the answer, the DR token secret and the lease table are
 * searched for it (and for every other secret the simulator issued).
 */
import { ListSecretVersionIdsCommand, GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { runOperation, type OperationAnswer } from '../../../functions/dr-operations/handler';
import { BREAK_GLASS_TOKEN_PLACEHOLDER } from '../../../functions/dr-operations/event';
import { RefusedError } from '../../../functions/shared/errors';
import { vaultRequest } from '../../vault-simulator';
import type { DrWorld } from '../../support/dr-harness';
import { captureStdout } from '../../support/log-capture';
import { freshWorlds } from '../../support/testbed';
import { runWatchdogOnce, SteppedClock } from '../../support/watchdog-runs';

jest.setTimeout(30_000);

const testbed = freshWorlds();

const ATTEMPT = 'sys/replication/dr/secondary/generate-operation-token/attempt';
const UPDATE = 'sys/replication/dr/secondary/generate-operation-token/update';

/** What the runbook's `vault operator generate-root -dr-token` steps do, through the API of the DR secondary. */
async function generateDrOperationToken(w: DrWorld, cluster: string): Promise<string> {
  const target = w.vault.cluster(cluster);
  const keys = await w.vault.recoveryKeys();
  const started = await vaultRequest(target.address, w.vault.caPem, { method: 'POST', path: ATTEMPT, body: {} });
  if (started.status !== 200) throw new Error(`attempt answered ${started.status}`);
  const { otp, nonce } = started.body as { otp: string; nonce: string };
  let encoded = '';
  for (const key of keys.slice(0, 3)) {
    const res = await vaultRequest(target.address, w.vault.caPem, { method: 'POST', path: UPDATE, body: { key, nonce } });
    encoded = (res.body as { encoded_token: string }).encoded_token;
  }
  // `vault operator generate-root -decode=<encoded> -otp=<otp>`: base64-decode, XOR with the OTP.
  return Buffer.from(Buffer.from(encoded, 'base64').map((b, i) => b ^ otp.charCodeAt(i))).toString('utf8');
}

async function secretState(w: DrWorld): Promise<{ value: string | undefined; versions: string[] }> {
  const value = (await w.secrets.send(new GetSecretValueCommand({ SecretId: w.secretId }))).SecretString;
  const versions = ((await w.secrets.send(new ListSecretVersionIdsCommand({ SecretId: w.secretId, IncludeDeprecated: true }))).Versions ?? []).map((v) => v.VersionId ?? '');
  return { value, versions };
}

it('an expired DR token refuses the failover; a generated DR operation token given once promotes, and is never stored, logged or returned', async () => {
  const w = await testbed.create();
  // The outage outlived the batch token: it expired an hour ago (Vault's clock agrees).
  await w.storeDrToken({ ttl: '1h' });
  w.vault.advanceClock(2 * 3600_000);
  await w.storeDrToken({ ttl: '1h', expiresAt: new Date(Date.now() - 3600_000) });
  await w.vault.cluster('east').setFault('blackhole');
  const before = await secretState(w);

  const { lines, error: refusedError } = await captureStdout(() => runOperation({ operation: 'failover' }, w.env.operations));
  expect(refusedError).toBeInstanceOf(RefusedError);
  expect((refusedError as Error).message).toMatch(/the DR operation token expired at .*use a break-glass DR operation token/);
  expect(w.vault.cluster('west').drMode()).toBe('secondary');

  const token = await generateDrOperationToken(w, 'west');
  expect(token).toMatch(/^hvs\.[A-Za-z0-9]{24}$/);
  const run = await captureStdout(() =>
    runOperation({ operation: 'failover', drOperationToken: token, reason: 'INC-7 break glass: token expired during the outage' }, w.env.operations),
  );
  expect(run.error).toBeUndefined();
  const answer = run.result as OperationAnswer;
  expect(answer.outcome).toBe('succeeded');
  expect(answer.breakGlassToken).toBe(true);
  expect(answer.reason).toBe('INC-7 break glass: token expired during the outage');
  expect(w.vault.cluster('west').isAnsweringPrimary()).toBe(true);
  expect(w.vault.maxAnsweringPrimaries()).toBe(1);
  expect(await w.weights()).toEqual({ east: 0, west: 255 });

  // Never returned, never logged (and not because a redaction caught it).
  const secrets = [...w.vault.issuedSecrets(), token];
  const answerText = JSON.stringify(answer);
  const log = [...lines, ...run.lines].join('\n');
  for (const secret of secrets) {
    expect(answerText.includes(secret)).toBe(false);
    expect(log.includes(secret)).toBe(false);
  }
  expect(log).not.toContain('[redacted]');
  const operationLines = run.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.function === 'dr-operations');
  expect(operationLines.length).toBeGreaterThan(0);
  for (const line of operationLines) expect(line).toEqual(expect.objectContaining({ breakGlassToken: true, reason: 'INC-7 break glass: token expired during the outage' }));

  // Never stored: the DR token secret is as it was (no new version), and no item of the lease table holds it.
  expect(await secretState(w)).toEqual(before);
  const items = await w.dynamodb.send(new ScanCommand({ TableName: w.leaseTable }));
  expect(JSON.stringify(items.Items ?? []).includes(token)).toBe(false);
});

it('a whole watchdog cycle and a break-glass failover log no secret at all', async () => {
  const w = await testbed.create();
  await w.storeDrToken();
  const clock = new SteppedClock();
  const env = { ...w.env.watchdog, WATCHDOG_MODE: 'notify' };
  const token = await generateDrOperationToken(w, 'west');
  // Each watchdog run captures its own lines (log and metrics); the operations' are captured here.
  const watchdogLines: string[] = [];
  const watch = async () => watchdogLines.push(...(await runWatchdogOnce(env, clock)).lines);
  await watch();
  await w.vault.cluster('east').setFault('down');
  for (let i = 0; i < 3; i++) await watch();
  const { lines, error } = await captureStdout(async () => {
    await runOperation({ operation: 'failover', dryRun: true, drOperationToken: token }, w.env.operations);
    await runOperation({ operation: 'failover', drOperationToken: token }, w.env.operations);
  });
  expect(error).toBeUndefined();
  for (let i = 0; i < 2; i++) await watch();
  expect(watchdogLines.length).toBeGreaterThan(12);
  const all = [...watchdogLines, ...lines].join('\n');
  const secrets = [...w.vault.issuedSecrets(), token, w.vault.rootToken, String(w.env.operations.AWS_SECRET_ACCESS_KEY), String(w.env.operations.AWS_SESSION_TOKEN)];
  for (const secret of secrets) expect(all.includes(secret)).toBe(false);
  // The one redaction allowed: the dry run's next command names the field with a placeholder
  // (BREAK_GLASS_TOKEN_PLACEHOLDER), which the logger's last line of defence masks by its name.
  expect(all).toContain(`"drOperationToken":"[redacted]"`);
  expect(all.replaceAll(`"drOperationToken":"[redacted]"`, '')).not.toContain('[redacted]');
  expect(w.vault.cluster('west').isAnsweringPrimary()).toBe(true);
});

describe('the break-glass token field', () => {
  it('is refused with status, and a malformed one is refused without repeating its value', async () => {
    const w = await testbed.create();
    const status = await captureStdout(() => runOperation({ operation: 'status', drOperationToken: 'hvs.AAAAAAAAAAAAAAAAAAAAAAAA' }, w.env.operations));
    expect((status.error as Error).message).toMatch(/^drOperationToken: is only accepted by failover, switchover and link/);
    expect((status.error as Error).message).not.toContain('hvs.AAAA');
    const spaced = await captureStdout(() => runOperation({ operation: 'failover', drOperationToken: 'hvs.secret value' }, w.env.operations));
    expect((spaced.error as Error).message).toMatch(/^drOperationToken: must be one token of 1 to 512 characters without spaces \(its value is not repeated here\)/);
    expect((spaced.error as Error).message).not.toContain('secret value');
    expect([...status.lines, ...spaced.lines].join('\n')).not.toContain('hvs.');
  });

  it('a dry run says what it would do and names the token as a placeholder in its next command', async () => {
    const w = await testbed.create();
    await w.vault.cluster('east').setFault('down');
    const token = await generateDrOperationToken(w, 'west');
    const { result, error } = await captureStdout(() => runOperation({ operation: 'failover', dryRun: true, drOperationToken: token }, w.env.operations));
    expect(error).toBeUndefined();
    const answer = result as OperationAnswer;
    expect(answer.outcome).toBe('dry-run');
    expect(answer.next?.event).toEqual({ operation: 'failover', drOperationToken: BREAK_GLASS_TOKEN_PLACEHOLDER });
    expect(JSON.stringify(answer)).not.toContain(token);
    expect(w.vault.cluster('west').drMode()).toBe('secondary');
  });
});
