/**
 * No token, secret or activation token ever appears in a log line: the logs of a whole DR cycle
 * (token refresh, status, disaster failover with DNS switch, re-link, switchover, refusals and
 * failures) are captured and searched for every secret the simulator issued and every AWS
 * credential in play. And not because a redaction caught it: no line carries the logger's
 * `[redacted]` mark, so no secret was ever handed to the logger.
 */
import { refreshDrToken } from '../../functions/dr-token-generator/handler';
import { runOperation } from '../../functions/dr-operations/handler';
import { switchDnsToPrimary } from '../../functions/dns-switch/handler';
import { createDrWorld } from '../support/dr-harness';
import { sharedWorld } from '../support/testbed';
import { captureStdout } from '../support/log-capture';

const testbed = sharedWorld();

it('logs a whole failover cycle as JSON lines without a single secret', async () => {
  const w = testbed.world;
  const { error, lines } = await captureStdout(async () => {
    await refreshDrToken(w.env.generator);
    await runOperation({ operation: 'status' }, w.env.operations);
    await w.vault.cluster('east').setFault('blackhole');
    await runOperation({ operation: 'failover' }, w.env.operations);
    await switchDnsToPrimary({}, w.env.dnsSwitch);
    await w.vault.cluster('east').setFault('none');
    await runOperation({ operation: 'link', demote: 'east' }, w.env.operations);
    await runOperation({ operation: 'switchover' }, w.env.operations);
    await refreshDrToken(w.env.generator);
    // A failing run logs its error too: it must not carry a secret either.
    await runOperation({ operation: 'failover', force: true, dryRun: true }, { ...w.env.operations, DR_TOKEN_MIN_REMAINING_SECONDS: '86400' }).catch(() => undefined);
    await refreshDrToken({ ...w.env.generator, VAULT_AWS_AUTH_ROLE: w.vaultNames.operationsAuthRole }).catch(() => undefined);
    await runOperation({ operation: 'switchover' }, { ...w.env.operations, VAULT_AWS_AUTH_ROLE: w.vaultNames.generatorAuthRole }).catch(() => undefined);
  });
  expect(error).toBeUndefined();
  expect(w.vault.cluster('east').isAnsweringPrimary()).toBe(true);

  const secrets = [
    ...w.vault.issuedSecrets(),
    w.vault.rootToken,
    String(w.env.generator.AWS_SECRET_ACCESS_KEY),
    String(w.env.generator.AWS_SESSION_TOKEN),
    String(w.env.operations.AWS_SECRET_ACCESS_KEY),
    String(w.env.operations.AWS_SESSION_TOKEN),
  ];
  // Service, batch and activation tokens were all issued during the cycle.
  expect(secrets.some((s) => s.startsWith('hvb.'))).toBe(true);
  expect(secrets.length).toBeGreaterThan(8);
  expect(lines.length).toBeGreaterThan(10);
  const log = lines.join('\n');
  for (const secret of secrets) expect(log.includes(secret)).toBe(false);
  expect(log).not.toContain('[redacted]');
  for (const line of lines) expect(() => JSON.parse(line)).not.toThrow();
});

it('logs the bootstraps of a DR pair and of a performance secondary without a single secret: not the operator\'s tokens, not the activation tokens', async () => {
  const w = await createDrWorld(testbed.aws, {
    initialState: 'standalone',
    performanceSecondaries: ['south'],
    envOverrides: { VAULT_CONNECT_TIMEOUT_MS: '2000', VAULT_REQUEST_TIMEOUT_MS: '4000' },
  });
  try {
    const token = w.vault.rootToken;
    const { error, lines } = await captureStdout(async () => {
      await runOperation({ operation: 'bootstrap', primary: 'east', secondaryToken: token }, w.env.operations);
      // Refused for its missing token: the error's log line must not carry one either.
      await runOperation({ operation: 'bootstrap', performanceSecondary: 'south' }, w.env.operations).catch(() => undefined);
      await runOperation({ operation: 'bootstrap', performanceSecondary: 'south', secondaryToken: token }, w.env.operations);
      await runOperation({ operation: 'bootstrap', performanceSecondary: 'south' }, w.env.operations);
    });
    expect(error).toBeUndefined();
    expect(w.vault.cluster('south').performanceStatus().state).toBe('stream-wals');
    const secrets = [...w.vault.issuedSecrets(), token, String(w.env.operations.AWS_SECRET_ACCESS_KEY), String(w.env.operations.AWS_SESSION_TOKEN)];
    // Both activation tokens (DR and performance) were issued.
    expect(secrets.filter((s) => s.startsWith('eyJ')).length).toBeGreaterThanOrEqual(2);
    const log = lines.join('\n');
    expect(lines.some((l) => l.includes('enable south as performance secondary'))).toBe(true);
    for (const secret of secrets) expect(log.includes(secret)).toBe(false);
    expect(log).not.toContain('[redacted]');
  } finally {
    await w.stop();
  }
}, 30_000);
