/**
 * dr-watchdog end to end: the real handler against two simulated Vault Enterprise clusters, the
 * lease table on moto, pages through SNS on moto (to an HTTP inbox), and dr-operations and
 * dns-switch behind the local Lambda endpoint. Each run is one scheduled run, a minute apart on
 * the watchdog's clock, with the default window (2 minutes) and rounds (3).
 */
import { LEASE_LOCK_ID } from '../../../functions/shared/lease';
import { WATCHDOG_ITEM_ID } from '../../../functions/dr-watchdog/state-store';
import type { DrWorld } from '../../support/dr-harness';
import { DR_OPERATIONS_FUNCTION } from '../../support/dr-harness';
import { startPageInbox, type PageInbox } from '../../support/page-inbox';
import { startTcpCutProxy, type TcpCutProxy } from '../../support/tcp-cut-proxy';
import { freshWorlds } from '../../support/testbed';
import { runWatchdogOnce, SteppedClock, type WatchdogRun } from '../../support/watchdog-runs';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';

jest.setTimeout(60_000);

const testbed = freshWorlds();
let inboxes: PageInbox[] = [];
let proxies: TcpCutProxy[] = [];
afterEach(async () => {
  await Promise.all([...inboxes.map((i) => i.stop()), ...proxies.map((p) => p.stop())]);
  inboxes = [];
  proxies = [];
});

let topics = 0;
async function watchdogWorld(mode: 'notify' | 'auto'): Promise<{ w: DrWorld; inbox: PageInbox; env: Record<string, string | undefined>; clock: SteppedClock }> {
  const w = await testbed.create();
  await w.storeDrToken();
  const inbox = await startPageInbox(testbed.aws.moto.endpoint, `vault-dr-alerts-${process.pid}-${++topics}`);
  inboxes.push(inbox);
  return { w, inbox, env: { ...w.env.watchdog, WATCHDOG_MODE: mode, WATCHDOG_PAGE_TOPIC_ARN: inbox.topicArn }, clock: new SteppedClock() };
}

const promotions = (w: DrWorld) => w.vault.transitions().filter((t) => t.cause.endsWith('secondary/promote'));
const pairMetric = (run: WatchdogRun, name: string): number | undefined => run.metrics.find((m) => m.dimensions.Cluster === undefined)?.values[name];

describe('a dead primary', () => {
  it('in auto: one failover after the window, evidence as its reason, paged before and after; then disarmed, and never back', async () => {
    const { w, inbox, env, clock } = await watchdogWorld('auto');
    const invokedBefore = testbed.aws.lambda.events().length;
    const healthy = await runWatchdogOnce(env, clock);
    expect(healthy.error).toBeUndefined();
    expect(healthy.answer?.action).toEqual({ kind: 'none', why: 'east answered the watchdog as alive' });
    // A probe of a healthy cluster may still time out on a loaded machine (FAST_BOUNDS): one alive vote is enough to say no.
    expect(healthy.answer?.round).toEqual(expect.objectContaining({ primary: 'east', secondary: 'west', probes: expect.arrayContaining(['alive']), secondaryView: 'alive', secondaryHealthy: true, walGap: 0 }));

    await w.vault.cluster('east').setFault('blackhole');
    const first = await runWatchdogOnce(env, clock);
    expect(first.answer?.action?.kind).toBe('none');
    expect(first.answer?.round).toEqual(expect.objectContaining({ probes: ['down', 'down', 'down'], secondaryView: 'down' }));
    expect(pairMetric(first, 'PrimaryDownAgreed')).toBe(1);
    const second = await runWatchdogOnce(env, clock);
    expect(second.answer?.action).toEqual({ kind: 'none', why: expect.stringMatching(/agreed for 60 s, less than the 120 s window/) });
    expect(promotions(w)).toEqual([]);

    const third = await runWatchdogOnce(env, clock);
    expect(third.error).toBeUndefined();
    expect(third.answer?.action).toEqual({ kind: 'failover', primary: 'east', secondary: 'west' });
    expect(third.answer?.failover).toEqual(expect.objectContaining({ outcome: 'succeeded', summary: 'west promoted and is the active primary' }));
    expect(third.answer?.armed).toBe(false);
    expect(pairMetric(third, 'WatchdogFailoverStarted')).toBe(1);
    expect(promotions(w)).toHaveLength(1);
    expect(w.vault.cluster('west').isAnsweringPrimary()).toBe(true);
    expect(w.vault.maxAnsweringPrimaries()).toBe(1);
    expect(await w.weights()).toEqual({ east: 0, west: 255 });

    // dr-operations ran with the evidence as its reason, and returned it.
    const invoked = testbed.aws.lambda.events().slice(invokedBefore).filter((e) => e.name === DR_OPERATIONS_FUNCTION);
    expect(invoked).toHaveLength(1);
    expect(invoked[0]?.event).toEqual({ operation: 'failover', reason: expect.stringMatching(/^dr-watchdog \(request .+\): east judged failed by every vantage point\. Evidence: .*watchdog probes of east: down\/down\/down; west sees the primary down/) });
    const operationsLog = third.logs.find((l) => l.function === 'dr-operations' && l.outcome === 'succeeded');
    expect(operationsLog?.reason).toEqual((invoked[0]?.event as { reason: string }).reason);

    const pages = await inbox.waitFor(2);
    expect(pages.map((p) => p.subject)).toEqual([
      'Vault DR dev: automatic failover from east to west starting',
      'Vault DR dev: automatic failover succeeded (east -> west)',
    ]);
    expect(pages[0]?.message).toContain('watchdog probes of east: down/down/down; west sees the primary down');
    expect(pages[1]?.message).toContain('{"command":"arm"}');

    // Disarmed, and it never fails back: east returns still believing it is primary (split brain).
    const after = await runWatchdogOnce(env, clock);
    expect(after.answer?.action?.kind).toBe('none');
    await w.vault.cluster('east').setFault('none');
    for (let i = 0; i < 4; i++) {
      const run = await runWatchdogOnce(env, clock);
      expect(run.error).toBeUndefined();
      expect(run.answer?.action?.kind).not.toBe('failover');
    }
    expect(promotions(w)).toHaveLength(1);
    expect(testbed.aws.lambda.events().slice(invokedBefore).filter((e) => e.name === DR_OPERATIONS_FUNCTION)).toHaveLength(1);
    expect(inbox.pages()).toHaveLength(2);
  });

  it('in notify: pages "would fail over now" with the evidence, once per episode, and changes nothing', async () => {
    const { w, inbox, env, clock } = await watchdogWorld('notify');
    const invokedBefore = testbed.aws.lambda.events().length;
    await runWatchdogOnce(env, clock);
    await w.vault.cluster('east').setFault('down');
    const runs: WatchdogRun[] = [];
    for (let i = 0; i < 5; i++) runs.push(await runWatchdogOnce(env, clock));
    expect(runs.map((r) => r.answer?.action?.kind)).toEqual(['none', 'none', 'hold', 'hold', 'hold']);
    expect(runs[2]?.answer?.action).toEqual(expect.objectContaining({ because: 'mode-notify', why: expect.stringContaining('would fail over now (promote west)') }));
    expect(runs.map((r) => pairMetric(r, 'WatchdogWouldFailOver'))).toEqual([0, 0, 1, 1, 1]);
    const pages = await inbox.waitFor(1);
    await new Promise((r) => setTimeout(r, 200));
    expect(inbox.pages()).toHaveLength(1);
    expect(pages[0]?.subject).toBe('Vault DR dev: would fail over now from east to west');
    expect(pages[0]?.message).toContain('east: down/down/down; west sees the primary down');
    expect(pages[0]?.message).toContain('last-known replication lag: 0 WAL entries');
    expect(promotions(w)).toEqual([]);
    expect(testbed.aws.lambda.events().slice(invokedBefore)).toEqual([]);
    expect(w.vault.cluster('west').drMode()).toBe('secondary');
  });
});

describe('a partition', () => {
  it('in auto: only the watchdog loses the primary (the secondary still streams from it): no failover, no page', async () => {
    const { w, inbox, env, clock } = await watchdogWorld('auto');
    const east = w.vault.cluster('east');
    const proxy = await startTcpCutProxy(east.port);
    proxies.push(proxy);
    // The watchdog reaches east through the proxy; dr-operations and the secondary do not.
    const clusters = [{ name: 'east', address: proxy.address }, { name: 'west', address: w.vault.cluster('west').address }];
    const partitioned = { ...env, VAULT_CLUSTERS: JSON.stringify(clusters) };
    const healthy = await runWatchdogOnce(partitioned, clock);
    expect(healthy.answer?.round?.probes).toContain('alive');
    proxy.set('blackhole');
    const runs: WatchdogRun[] = [];
    for (let i = 0; i < 6; i++) runs.push(await runWatchdogOnce(partitioned, clock));
    for (const run of runs) {
      expect(run.error).toBeUndefined();
      expect(run.answer?.round).toEqual(expect.objectContaining({ primary: 'east', secondary: 'west', probes: ['down', 'down', 'down'], secondaryView: 'alive' }));
      expect(run.answer?.action).toEqual({ kind: 'none', why: 'west still sees east' });
      expect(pairMetric(run, 'SecondarySeesPrimary')).toBe(1);
      expect(pairMetric(run, 'PrimaryProbesDown')).toBe(3);
    }
    expect(proxy.connections()).toBeGreaterThan(6 * 3);
    expect(promotions(w)).toEqual([]);
    expect(east.isAnsweringPrimary()).toBe(true);
    expect(inbox.pages()).toEqual([]);
  });

  it('in auto: the watchdog cannot reach the secondary either: unknown is never agreement', async () => {
    const { w, env, clock } = await watchdogWorld('auto');
    await runWatchdogOnce(env, clock);
    await w.vault.cluster('east').setFault('blackhole');
    await w.vault.cluster('west').setFault('blackhole');
    for (let i = 0; i < 4; i++) {
      const run = await runWatchdogOnce(env, clock);
      expect(run.answer?.round).toEqual(expect.objectContaining({ secondaryView: 'unknown' }));
      expect(run.answer?.action?.kind).toBe('none');
    }
    expect(promotions(w)).toEqual([]);
  });
});

describe('blocks and commands', () => {
  it('holds (and pages once) while another operation holds the lease, then fails over once it is given back', async () => {
    const { w, inbox, env, clock } = await watchdogWorld('auto');
    await runWatchdogOnce(env, clock);
    await w.vault.cluster('east').setFault('blackhole');
    await w.holdLease('dr-operations switchover (request other)', Date.now() + 60_000);
    const runs = [await runWatchdogOnce(env, clock), await runWatchdogOnce(env, clock), await runWatchdogOnce(env, clock), await runWatchdogOnce(env, clock)];
    expect(runs.map((r) => r.answer?.action?.kind)).toEqual(['none', 'none', 'hold', 'hold']);
    expect(runs[2]?.answer?.action).toEqual(expect.objectContaining({ because: 'lease-held', why: expect.stringContaining('dr-operations switchover (request other)') }));
    await inbox.waitFor(1);
    expect(inbox.pages()[0]?.subject).toBe('Vault DR dev: east is down by every vantage point; NO automatic failover (lease-held)');
    expect(promotions(w)).toEqual([]);
    await w.dropLease();
    const released = await runWatchdogOnce(env, clock);
    expect(released.answer?.action?.kind).toBe('failover');
    expect(promotions(w)).toHaveLength(1);
  });

  it('two overlapping runs that both judge the primary failed fail over once: the state is written before acting, on the version read', async () => {
    const { w, env, clock } = await watchdogWorld('auto');
    const invokedBefore = testbed.aws.lambda.events().length;
    await runWatchdogOnce(env, clock);
    await w.vault.cluster('east').setFault('blackhole');
    await runWatchdogOnce(env, clock);
    await runWatchdogOnce(env, clock);
    clock.advance(60_000);
    const [a, b] = await Promise.all([runWatchdogOnce(env, clock, { stepMs: 0 }), runWatchdogOnce(env, clock, { stepMs: 0 })]);
    const runs = [a, b];
    expect(runs.filter((r) => r.answer?.action?.kind === 'failover')).toHaveLength(1);
    expect(runs.filter((r) => r.error !== undefined).map((r) => r.error?.message)).toEqual([expect.stringMatching(/another run wrote the watchdog's state since this run read it/)]);
    expect(promotions(w)).toHaveLength(1);
    expect(testbed.aws.lambda.events().slice(invokedBefore).filter((e) => e.name === DR_OPERATIONS_FUNCTION)).toHaveLength(1);
  });

  it('disarm, status and arm: an operator keeps it from acting and lets it act again', async () => {
    const { w, env, clock } = await watchdogWorld('auto');
    const disarmed = await runWatchdogOnce(env, clock, { stepMs: 0, event: { command: 'disarm', reason: 'maintenance window CHG-42' } });
    expect(disarmed.answer).toEqual(expect.objectContaining({ command: 'disarm', armed: false, state: expect.objectContaining({ disarmedBecause: 'disarmed maintenance window CHG-42' }) }));
    await runWatchdogOnce(env, clock);
    await w.vault.cluster('east').setFault('blackhole');
    for (let i = 0; i < 3; i++) await runWatchdogOnce(env, clock);
    const status = await runWatchdogOnce(env, clock, { stepMs: 0, event: { command: 'status' } });
    expect(status.answer?.action).toEqual(expect.objectContaining({ kind: 'hold', because: 'disarmed', why: expect.stringContaining('maintenance window CHG-42') }));
    expect(status.answer?.rounds?.length).toBeGreaterThanOrEqual(4);
    expect(promotions(w)).toEqual([]);
    await runWatchdogOnce(env, clock, { stepMs: 0, event: { command: 'arm' } });
    const armed = await runWatchdogOnce(env, clock);
    expect(armed.answer?.action?.kind).toBe('failover');
    expect(promotions(w)).toHaveLength(1);
  });

  it('keeps its history beside the lease, never in the lease item, and refuses unknown commands', async () => {
    const { w, env, clock } = await watchdogWorld('notify');
    await runWatchdogOnce(env, clock);
    const item = await w.dynamodb.send(new GetItemCommand({ TableName: w.leaseTable, Key: { lockId: { S: WATCHDOG_ITEM_ID } }, ConsistentRead: true }));
    expect(item.Item?.version?.N).toBe('1');
    expect(item.Item).not.toHaveProperty('expiresAtEpoch');
    expect(JSON.parse(item.Item?.rounds?.S ?? '[]')).toHaveLength(1);
    expect((await w.dynamodb.send(new GetItemCommand({ TableName: w.leaseTable, Key: { lockId: { S: LEASE_LOCK_ID } } }))).Item).toBeUndefined();
    const bad = await runWatchdogOnce(env, clock, { event: { command: 'failover' } });
    expect(bad.error?.message).toMatch(/^command: must be one of observe, status, arm, disarm, got "failover"/);
  });

  it('off: observes and publishes its metrics, never pages or acts', async () => {
    const { w, inbox, env, clock } = await watchdogWorld('auto');
    const off = { ...env, WATCHDOG_MODE: 'off' };
    await runWatchdogOnce(off, clock);
    await w.vault.cluster('east').setFault('blackhole');
    const runs: WatchdogRun[] = [];
    for (let i = 0; i < 4; i++) runs.push(await runWatchdogOnce(off, clock));
    expect(runs.map((r) => r.answer?.action?.kind)).toEqual(['none', 'none', 'none', 'none']);
    expect(runs[3]?.answer?.action).toEqual({ kind: 'none', why: expect.stringContaining('but the watchdog is off') });
    expect(runs[3]?.metrics.length).toBe(3);
    expect(promotions(w)).toEqual([]);
    expect(inbox.pages()).toEqual([]);
  });
});
