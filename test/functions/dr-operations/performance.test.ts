/**
 * dr-operations with a performance secondary (south) of the primary (east) beside the DR pair,
 * end to end: the real handler against the simulator (east DR + performance primary, west its DR
 * secondary, south a performance secondary of east) and moto. What south follows is read from the
 * simulator's observer, never from the functions' answer.
 */
import { runOperation, type OperationAnswer } from '../../../functions/dr-operations/handler';
import { StepFailedError } from '../../../functions/shared/errors';
import type { DrWorld, DrWorldOptions } from '../../support/dr-harness';
import { freshWorlds } from '../../support/testbed';
import { captureStdout } from '../../support/log-capture';

jest.setTimeout(30_000);

const testbed = freshWorlds();
/**
 * Three clusters share two cores with the rest of the machine: bounds wider than FAST_BOUNDS, so a
 * slow answer is not taken for a dead cluster (a refused connection still fails at once).
 */
const ROOMY_BOUNDS = { VAULT_CONNECT_TIMEOUT_MS: '2000', VAULT_REQUEST_TIMEOUT_MS: '4000' };
const newWorld = (options: DrWorldOptions = {}): Promise<DrWorld> => testbed.create({ performanceSecondaries: ['south'], envOverrides: ROOMY_BOUNDS, ...options });

async function run(w: DrWorld, event: unknown, env = w.env.operations): Promise<OperationAnswer> {
  const { result, error } = await captureStdout(() => runOperation(event, env));
  if (error) throw error;
  return result as OperationAnswer;
}

async function failure(w: DrWorld, event: unknown): Promise<Error> {
  const { error } = await captureStdout(() => runOperation(event, w.env.operations));
  if (!error) throw new Error('expected the operation to fail');
  return error as Error;
}

/** South as the simulator's observer sees it (independent of the functions). */
const southSeen = (w: DrWorld) => w.vault.observer.topology().find((v) => v.cluster === 'south');
const performanceCalls = (w: DrWorld) => w.vault.clusters.flatMap((c) => c.requests().filter((r) => r.path.startsWith('sys/replication/performance/')).map((r) => `${c.name} ${r.method} ${r.path} ${r.status}`));
const UPDATE_PRIMARY = 'sys/replication/performance/secondary/update-primary';
const FIX_SOUTH = { operation: 'link', performanceSecondary: 'south' };

describe('status', () => {
  it('reports the performance secondary, whom it follows and that it is connected', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    const answer = await run(w, { operation: 'status' });
    expect(answer.performanceSecondaries).toEqual([expect.objectContaining({ name: 'south', verdict: 'follows', follows: 'east', connected: true, repointed: false, next: null })]);
    expect(answer.next).toBeNull();
    expect(answer.summary).toContain('performance secondaries south follow east');
    expect(performanceCalls(w).filter((c) => !c.includes(' GET '))).toEqual([]);
  });

  it('names the fix when south follows the old primary after a promotion it was not told of', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    await w.vault.cluster('east').setFault('down');
    // A failover by functions not configured with south (as before this setting existed).
    const unaware = { ...w.env.operations, VAULT_PERFORMANCE_SECONDARIES: undefined };
    expect((await run(w, { operation: 'failover' }, unaware)).outcome).toBe('succeeded');
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'east', followsActivePerformancePrimary: false });
    const answer = await run(w, { operation: 'status' });
    expect(answer.performanceSecondaries).toEqual([expect.objectContaining({ name: 'south', verdict: 'follows-other', follows: 'east', next: expect.objectContaining({ event: FIX_SOUTH }) })]);
    expect(answer.summary).toContain('south follows east, not west');
    // The DR part needs link for east first (it is down); south's fix is in its own entry.
    expect(answer.clusters.map((c) => c.name)).toEqual(['east', 'west']);
  });
});

describe('failover of the primary', () => {
  it('leaves south following west, through update-primary on south with its own login, while south keeps serving reads', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    const before = w.vault.now();
    await w.vault.cluster('east').setFault('down');
    const answer = await run(w, { operation: 'failover' });
    expect(answer.outcome).toBe('succeeded');
    expect(w.vault.answeringPrimaryNames()).toEqual(['west']);
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'west', performanceConnected: true, followsActivePerformancePrimary: true, servesClientReads: true });
    expect(answer.performanceSecondaries).toEqual([expect.objectContaining({ name: 'south', verdict: 'follows', follows: 'west', connected: true, repointed: true })]);
    expect(answer.changed).toContain('pointed performance secondary south at west (update-primary)');
    expect(answer.warnings ?? []).not.toEqual(expect.arrayContaining([expect.stringContaining('south')]));
    // Its own AWS-auth login on south, then update-primary there, accepted.
    const south = w.vault.cluster('south').requests().filter((r) => r.method === 'POST').map((r) => `${r.path} ${r.status}`);
    expect(south).toEqual([`auth/${w.vaultNames.awsAuthMount}/login 200`, `${UPDATE_PRIMARY} 200`]);
    // Clients first: DNS moved before south was re-pointed.
    const steps = answer.timeline.map((e) => e.step);
    expect(steps.indexOf('switch DNS')).toBeLessThan(steps.indexOf('point south at west'));
    // South's clients could read throughout (the observer's readable intervals, not the answer).
    const readable = w.vault.observer.readableIntervals().filter((i) => i.cluster === 'south');
    expect(readable.some((i) => i.from <= before && i.to === undefined)).toBe(true);
  });

  it('logs and answers no secret: not the login token it got on south, nor any other', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    await w.vault.cluster('east').setFault('down');
    const { result, error, lines } = await captureStdout(() => runOperation({ operation: 'failover' }, w.env.operations));
    expect(error).toBeUndefined();
    expect((result as OperationAnswer).performanceSecondaries?.[0]).toMatchObject({ verdict: 'follows', repointed: true });
    const secrets = w.vault.issuedSecrets();
    expect(secrets.length).toBeGreaterThan(0);
    const text = [JSON.stringify(result), ...lines].join('\n');
    expect(secrets.filter((secret) => text.includes(secret))).toEqual([]);
    expect(text).not.toContain('[redacted]');
  });

  it.each(['update-primary', 'automatic'] as const)('sends update-primary only when south does not follow west already (followPromotedPrimary %s)', async (setting) => {
    const w = await newWorld({ performance: { followPromotedPrimary: setting } });
    await w.storeDrToken();
    await w.vault.cluster('east').setFault('down');
    const answer = await run(w, { operation: 'failover' });
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'west', followsActivePerformancePrimary: true });
    const sent = w.vault.cluster('south').requests().filter((r) => r.path === UPDATE_PRIMARY);
    if (setting === 'automatic') {
      // It may have followed by itself before the probe, or be caught mid-way: either way it follows.
      expect(answer.performanceSecondaries?.[0]).toMatchObject({ verdict: 'follows', follows: 'west' });
      expect(sent.length).toBeLessThanOrEqual(1);
    } else {
      expect(sent).toHaveLength(1);
      expect(answer.performanceSecondaries?.[0]).toMatchObject({ verdict: 'follows', repointed: true });
    }
  });

  it('reports a south it cannot reach with the fixing command, does not fail the failover, and link fixes it later', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    await w.vault.cluster('south').setNetwork('functions', 'refused');
    await w.vault.cluster('east').setFault('down');
    const answer = await run(w, { operation: 'failover' });
    expect(answer.outcome).toBe('succeeded');
    expect(w.vault.answeringPrimaryNames()).toEqual(['west']);
    expect(await w.weights()).toEqual({ east: 0, west: 255 });
    expect(answer.performanceSecondaries).toEqual([expect.objectContaining({ name: 'south', verdict: 'unreachable', repointed: false, next: expect.objectContaining({ event: FIX_SOUTH }) })]);
    expect(answer.warnings).toEqual(expect.arrayContaining([expect.stringContaining('{"operation":"link","performanceSecondary":"south"}')]));
    // The DR part's own next command (the old primary) stays first.
    expect(answer.next?.event).toMatchObject({ operation: 'link' });
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'east', followsActivePerformancePrimary: false });

    // While south is still cut off, link says so and names itself again.
    const still = await failure(w, FIX_SOUTH);
    expect(still.message).toMatch(/^performance secondary south does not follow west: south does not answer/);
    expect(still).toBeInstanceOf(StepFailedError);
    expect((still as StepFailedError).details?.next?.event).toEqual(FIX_SOUTH);

    await w.vault.cluster('south').setNetwork('functions', 'up');
    const fixed = await run(w, FIX_SOUTH);
    expect(fixed.outcome).toBe('succeeded');
    expect(fixed.next).toBeNull();
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'west', performanceConnected: true, followsActivePerformancePrimary: true });
    // The DR pair was left alone by this link.
    expect(fixed.changed).toEqual(['pointed performance secondary south at west (update-primary)']);

    const again = await run(w, FIX_SOUTH);
    expect(again.outcome).toBe('no-op');
    const status = await run(w, { operation: 'status' });
    expect(status.performanceSecondaries?.[0]).toMatchObject({ verdict: 'follows', follows: 'west' });
  });

  it('a dry run says it would re-point south and changes nothing', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    await w.vault.cluster('east').setFault('down');
    const answer = await run(w, { operation: 'failover', dryRun: true });
    expect(answer.outcome).toBe('dry-run');
    expect(answer.performanceSecondaries?.[0]?.detail).toContain('would point it at west');
    expect(w.vault.cluster('south').requests().filter((r) => r.method !== 'GET')).toEqual([]);
  });
});

describe('link', () => {
  it('a plain link (here resolving the split brain of a returned old primary) ends by re-pointing south too', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    await w.vault.cluster('east').setFault('down');
    const unaware = { ...w.env.operations, VAULT_PERFORMANCE_SECONDARIES: undefined };
    expect((await run(w, { operation: 'failover' }, unaware)).outcome).toBe('succeeded');
    await w.vault.cluster('east').setFault('none');
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'east' });
    const linked = await run(w, { operation: 'link', demote: 'east' });
    expect(linked.outcome).toBe('succeeded');
    expect(linked.performanceSecondaries).toEqual([expect.objectContaining({ name: 'south', verdict: 'follows', follows: 'west', repointed: true })]);
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'west', followsActivePerformancePrimary: true });
    expect(linked.next).toBeNull();
  });
});

describe('switchover', () => {
  it('leaves south following the new primary', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    const answer = await run(w, { operation: 'switchover' });
    expect(answer.outcome).toBe('succeeded');
    expect(w.vault.answeringPrimaryNames()).toEqual(['west']);
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'west', performanceConnected: true, followsActivePerformancePrimary: true });
    expect(answer.performanceSecondaries).toEqual([expect.objectContaining({ name: 'south', verdict: 'follows', follows: 'west', repointed: true })]);
  });
});

describe('without VAULT_PERFORMANCE_SECONDARIES', () => {
  it('makes no performance replication call, even with a performance secondary running', async () => {
    const w = await newWorld();
    await w.storeDrToken();
    const env = { ...w.env.operations, VAULT_PERFORMANCE_SECONDARIES: undefined };
    const status = await run(w, { operation: 'status' }, env);
    expect(status.performanceSecondaries).toBeUndefined();
    await w.vault.cluster('east').setFault('down');
    const answer = await run(w, { operation: 'failover' }, env);
    expect(answer.outcome).toBe('succeeded');
    expect(answer.performanceSecondaries).toBeUndefined();
    expect(performanceCalls(w)).toEqual([]);
    expect(w.vault.cluster('south').requests()).toEqual([]);
  });
});
