import { createLogger, redact } from '../../../functions/shared/log';
import { captureStdout } from '../../support/log-capture';

describe('redact', () => {
  it('replaces credential fields and Vault-token-shaped strings', () => {
    const out = redact({
      token: 'hvb.AAAAAQJexample-batch-token',
      client_token: 'anything',
      activationToken: 'x',
      'X-Vault-Token': 'y',
      iam_request_headers: 'base64',
      tokenExpiresAt: '2026-01-01T00:00:00Z',
      message: 'got hvs.CAESIJabcdefghijklmnop from vault',
      nested: [{ secretString: 's' }],
    }) as Record<string, unknown>;
    expect(out).toEqual({
      token: '[redacted]',
      client_token: '[redacted]',
      activationToken: '[redacted]',
      'X-Vault-Token': '[redacted]',
      iam_request_headers: '[redacted]',
      tokenExpiresAt: '2026-01-01T00:00:00Z',
      message: 'got [redacted] from vault',
      nested: [{ secretString: '[redacted]' }],
    });
  });

  it('keeps an error as its name and redacted message', () => {
    expect(redact(new Error('bad hvs.CAESIJabcdefghijklmnop'))).toEqual({ name: 'Error', message: 'bad [redacted]' });
  });
});

describe('createLogger', () => {
  it('writes one JSON object per line with the context and honours the level', async () => {
    const { lines } = await captureStdout(async () => {
      const log = createLogger({ function: 'test' }, 'info');
      log.debug('hidden');
      log.info('shown', { step: 'probe' });
    });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({ level: 'info', message: 'shown', function: 'test', step: 'probe' });
  });
});
