/**
 * The simulated clock: scaled (timeScale simulated ms per real ms) and advanceable, so that
 * minute-long transitions run in test time; TTLs and every timer of the simulator run on it.
 */
import { performance } from 'node:perf_hooks';
import { SimulatedClock } from './clock';
import { call, waitFor } from './testing/call';
import { REALISTIC_TIMINGS, startVaultPair } from './index';
import { FUNCTION_ROLES } from './testing/roles';
import { getServerTls } from './tls';

describe('SimulatedClock', () => {
  it('runs timeScale times faster than real time', async () => {
    const clock = new SimulatedClock(100);
    const start = clock.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const elapsed = clock.now() - start;
    expect(elapsed).toBeGreaterThanOrEqual(4_500);
    expect(elapsed).toBeLessThan(50_000);
    clock.stop();
  });

  it('fires timers in due order, on advance() at once, and never a cancelled one', () => {
    const clock = new SimulatedClock(1);
    const fired: string[] = [];
    clock.after(3_000, () => fired.push('c'));
    clock.after(1_000, () => fired.push('a'));
    const cancelled = clock.after(2_000, () => fired.push('x'));
    clock.after(1_000, () => fired.push('b'));
    clock.cancel(cancelled);
    clock.advance(1_500);
    expect(fired).toEqual(['a', 'b']);
    clock.advance(10_000);
    expect(fired).toEqual(['a', 'b', 'c']);
    clock.stop();
  });

  it('after advance(), fires a timer due soon without waiting for a real timer armed before the jump', async () => {
    const clock = new SimulatedClock(1);
    clock.after(10_000, () => undefined); // arms a real timer 10 s away
    clock.advance(20_000); // fires it at once; the 10 s real timer is now stale
    const started = performance.now();
    await new Promise<void>((resolve) => clock.after(20, resolve));
    // Bounded by the stale timer's 10 s, not by load: any prompt firing is far below it.
    expect(performance.now() - started).toBeLessThan(5_000);
    clock.stop();
  });

  it('refuses a timeScale or an advance that is not a positive finite number', () => {
    expect(() => new SimulatedClock(0)).toThrow(/timeScale must be a finite number above 0/);
    expect(() => new SimulatedClock(1).advance(-1)).toThrow(/advanceClock needs a finite, non-negative number/);
  });
});

describe('transitions on the simulated clock', () => {
  const PROMOTE_MS = 60_000;

  // The test CA and certificate are made once per process (openssl, seconds on a loaded machine):
  // made here, they do not count against the tests below, whose claims are about the promotion.
  beforeAll(() => getServerTls(), 30_000);

  async function promoteWest(timeScale: number): Promise<{ finishedWithinMs: (ms: number) => Promise<boolean>; stop: () => Promise<void> }> {
    const pair = await startVaultPair({ timeScale, timings: { promoteMs: PROMOTE_MS } });
    await pair.configureDr(FUNCTION_ROLES);
    const { token } = await pair.createDrBatchToken();
    await pair.clusters[0].setFault('down');
    const res = await call(pair, pair.clusters[1], { method: 'POST', path: 'sys/replication/dr/secondary/promote', body: { dr_operation_token: token } });
    expect(res.status).toBe(200);
    return {
      finishedWithinMs: async (ms) => {
        try {
          await waitFor(() => pair.clusters[1].isAnsweringPrimary(), ms);
          return true;
        } catch {
          return false;
        }
      },
      stop: () => pair.stop(),
    };
  }

  it('a one-minute promotion takes about 0.6 s at timeScale 100', async () => {
    const world = await promoteWest(100);
    try {
      expect(await world.finishedWithinMs(3_000)).toBe(true);
    } finally {
      await world.stop();
    }
  });

  it('and is still running after 0.6 s at timeScale 1', async () => {
    const world = await promoteWest(1);
    try {
      expect(await world.finishedWithinMs(600)).toBe(false);
    } finally {
      await world.stop();
    }
  });

  it('advanceClock completes what falls due and expires tokens', async () => {
    const pair = await startVaultPair({ timings: REALISTIC_TIMINGS, healthChecks: false });
    try {
      await pair.configureDr(FUNCTION_ROLES);
      const { token, expiresAt } = await pair.createDrBatchToken({ ttl: '10m' });
      expect(expiresAt.getTime()).toBeGreaterThan(pair.now() + 9 * 60_000);
      const [east, west] = pair.clusters;
      await east.setFault('down');
      const promote = await call(pair, west, { method: 'POST', path: 'sys/replication/dr/secondary/promote', body: { dr_operation_token: token } });
      expect(promote.status).toBe(200);
      expect(west.isAnsweringPrimary()).toBe(false);
      pair.advanceClock(REALISTIC_TIMINGS.promoteMs);
      expect(west.isAnsweringPrimary()).toBe(true);
      pair.advanceClock(10 * 60_000);
      const expired = await call(pair, west, { path: 'auth/token/lookup-self', token });
      expect(expired.status).toBe(403);
    } finally {
      await pair.stop();
    }
  });

  it('exposes the time scale and the simulated now', async () => {
    const pair = await startVaultPair({ timeScale: 50 });
    try {
      expect(pair.timeScale).toBe(50);
      const before = pair.now();
      await pair.sleep(5_000); // 100 ms real
      expect(pair.now() - before).toBeGreaterThanOrEqual(5_000);
    } finally {
      await pair.stop();
    }
  });
});
