/**
 * What a CLI follows (functions/shared/progress.ts): the caller's invocation id, taken from the
 * Invoke ClientContext only when well formed, and one line when each step starts and ends.
 */
import { createLogger } from '../../../functions/shared/log';
import { invocationIdOf, logSteps, STEP_ENDED, STEP_STARTED } from '../../../functions/shared/progress';
import { Timeline } from '../../../functions/shared/timeline';
import { captureStdout } from '../../support/log-capture';

const context = (custom: Record<string, unknown> | undefined) => ({ getRemainingTimeInMillis: () => 1000, clientContext: custom === undefined ? undefined : { custom } });

describe('the invocation id', () => {
  it('is the ClientContext custom vaultDrInvocation when it is 8 to 64 letters, digits or -', () => {
    expect(invocationIdOf(context({ vaultDrInvocation: '0b6f1d2e-8a4c-4f1e-9c3b-5a7d9e1f2a3b' }))).toBe('0b6f1d2e-8a4c-4f1e-9c3b-5a7d9e1f2a3b');
  });

  it.each([
    ['missing', undefined],
    ['another key', { invocation: 'abcdefgh' }],
    ['not a string', { vaultDrInvocation: 12345678 }],
    ['too short', { vaultDrInvocation: 'abc' }],
    ['with characters a log search would trip on', { vaultDrInvocation: 'abc def "x"' }],
    ['too long', { vaultDrInvocation: 'a'.repeat(65) }],
  ])('is ignored when %s', (_why, custom) => {
    expect(invocationIdOf(context(custom))).toBeUndefined();
  });

  it('is ignored without a context (a local run)', () => {
    expect(invocationIdOf(undefined)).toBeUndefined();
  });
});

describe('step lines', () => {
  it('logs a line when a step starts and when it ends, with the timeline entry and the logger\'s context', async () => {
    const { lines } = await captureStdout(async () => {
      const timeline = new Timeline(logSteps(createLogger({ function: 'dr-operations', invocation: 'inv-12345' }, 'info')));
      await timeline.run('probe clusters', async () => 'both', (r) => r);
      timeline.note('switch DNS', 'skipped', 'not chained');
      await timeline.run('promote west', () => Promise.reject(new Error('HTTP 403'))).catch(() => undefined);
    });
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => `${l.message as string} ${l.step as string}`)).toEqual([
      `${STEP_STARTED} probe clusters`,
      `${STEP_ENDED} probe clusters`,
      `${STEP_ENDED} switch DNS`,
      `${STEP_STARTED} promote west`,
      `${STEP_ENDED} promote west`,
    ]);
    expect(parsed.every((l) => l.invocation === 'inv-12345' && l.level === 'info')).toBe(true);
    expect(parsed[1]?.entry).toEqual(expect.objectContaining({ step: 'probe clusters', outcome: 'ok', detail: 'both' }));
    expect(parsed[4]?.entry).toEqual(expect.objectContaining({ outcome: 'failed', detail: 'HTTP 403' }));
  });
});
