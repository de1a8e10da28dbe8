/** dns-switch against the simulator and Route 53 on moto, through a proxy that can throttle and delay. */
import { switchDnsToPrimary, type DnsSwitchAnswer } from '../../../functions/dns-switch/handler';
import { LeaseBusyError, RefusedError, StepFailedError } from '../../../functions/shared/errors';
import type { DrWorld } from '../../support/dr-harness';
import { freshWorlds } from '../../support/testbed';
import { runOperation } from '../../../functions/dr-operations/handler';
import { captureStdout } from '../../support/log-capture';

const testbed = freshWorlds();

async function promoteWestWithEastDown(w: DrWorld): Promise<void> {
  await w.storeDrToken();
  await w.vault.cluster('east').setFault('down');
  await captureStdout(() => runOperation({ operation: 'failover' }, { ...w.env.operations, DNS_SWITCH_FUNCTION_NAME: '' }));
  testbed.aws.route53Proxy.clear();
}

async function switchDns(w: DrWorld, event: unknown = {}, env = w.env.dnsSwitch) {
  return captureStdout(() => switchDnsToPrimary(event, env));
}

const changeCalls = () => testbed.aws.route53Proxy.calls().filter((c) => /^POST .*\/rrset/.test(c));
const getChangeCalls = () => testbed.aws.route53Proxy.calls().filter((c) => /^GET .*\/change\//.test(c));

it('sets the real primary to 255 and the other to 0 in ONE change batch, then waits for INSYNC', async () => {
  const w = await testbed.create();
  await promoteWestWithEastDown(w);
  testbed.aws.route53Proxy.pendingChanges(3);
  const { result } = await switchDns(w);
  const answer = result as DnsSwitchAnswer;
  expect(answer).toEqual(
    expect.objectContaining({ outcome: 'succeeded', primary: 'west', weightsBefore: { east: 255, west: 0 }, weightsAfter: { east: 0, west: 255 }, changeStatus: 'INSYNC' }),
  );
  expect(changeCalls()).toHaveLength(1);
  expect(getChangeCalls()).toHaveLength(4);
  expect(await w.weights()).toEqual({ east: 0, west: 255 });
});

it('makes no change call when the weights are already right', async () => {
  const w = await testbed.create();
  const { result } = await switchDns(w);
  expect((result as DnsSwitchAnswer).outcome).toBe('no-op');
  expect(changeCalls()).toHaveLength(0);
});

it('changes nothing, and says so, when no cluster or both answer as primary', async () => {
  const w = await testbed.create();
  await w.vault.cluster('east').setFault('sealed');
  const none = await switchDns(w);
  expect(none.error).toBeInstanceOf(RefusedError);
  expect((none.error as Error).message).toMatch(/no cluster answers as active primary; the weights were left as they were/);

  await w.vault.cluster('east').setFault('none');
  await promoteWestWithEastDown(w);
  await w.vault.cluster('east').setFault('none');
  const both = await switchDns(w);
  expect((both.error as Error).message).toMatch(/split brain/);
  expect(changeCalls()).toHaveLength(0);
  expect(await w.weights()).toEqual({ east: 255, west: 0 });
});

it('rides out a throttled change call (the SDK retries it)', async () => {
  const w = await testbed.create();
  await promoteWestWithEastDown(w);
  testbed.aws.route53Proxy.throttle(/^POST .*\/rrset/, 1);
  const { result, error } = await switchDns(w);
  expect(error).toBeUndefined();
  expect((result as DnsSwitchAnswer).outcome).toBe('succeeded');
  expect(changeCalls()).toHaveLength(2);
  expect(await w.weights()).toEqual({ east: 0, west: 255 });
});

it('stops waiting for INSYNC at its bound and says the change is still pending', async () => {
  const w = await testbed.create();
  await promoteWestWithEastDown(w);
  testbed.aws.route53Proxy.pendingChanges(1000);
  const started = Date.now();
  const { result } = await switchDns(w, {}, { ...w.env.dnsSwitch, DNS_SYNC_TIMEOUT_MS: '300', DNS_SYNC_POLL_MS: '50' });
  expect(Date.now() - started).toBeLessThan(2000);
  expect(result).toEqual(expect.objectContaining({ outcome: 'succeeded', changeStatus: 'PENDING', summary: expect.stringMatching(/still PENDING after waiting \d+ ms \(the wait ends at DNS_SYNC_TIMEOUT_MS, 300 ms/) }));
  expect((result as DnsSwitchAnswer).timeline.at(-1)).toEqual(expect.objectContaining({ step: 'wait for INSYNC', outcome: 'timed-out' }));
});

it('on a dry run says what it would set and changes nothing', async () => {
  const w = await testbed.create();
  await promoteWestWithEastDown(w);
  const { result } = await switchDns(w, { dryRun: true });
  expect(result).toEqual(expect.objectContaining({ outcome: 'dry-run', weightsAfter: { east: 0, west: 255 } }));
  expect(changeCalls()).toHaveLength(0);
});

it('fails clearly when a weighted record for a cluster is missing, changing nothing', async () => {
  const w = await testbed.create();
  const { error } = await switchDns(w, {}, { ...w.env.dnsSwitch, DNS_RECORD_NAME: `other.${w.recordName}` });
  expect(error).toBeInstanceOf(StepFailedError);
  expect((error as Error).message).toMatch(/no CNAME record other\..* with set identifier "east"/);
});

it('with an expected primary (as dr-operations passes after promoting), probes only that cluster', async () => {
  const w = await testbed.create();
  await promoteWestWithEastDown(w);
  await w.vault.cluster('east').setFault('none'); // a split brain the caller has already ruled out
  w.vault.clusters.forEach((c) => c.clearRequests());
  const { result } = await switchDns(w, { expectedPrimary: 'west' });
  expect(result).toEqual(expect.objectContaining({ outcome: 'succeeded', primary: 'west' }));
  expect(w.vault.cluster('east').requests()).toEqual([]);

  const wrong = await switchDns(w, { expectedPrimary: 'north' });
  expect((wrong.error as Error).message).toMatch(/^expectedPrimary: must name one of the clusters/);
});

it('refuses when the expected primary does not answer as primary', async () => {
  const w = await testbed.create();
  const { error } = await switchDns(w, { expectedPrimary: 'west' });
  expect(error).toBeInstanceOf(RefusedError);
  expect((error as Error).message).toMatch(/west was expected to be the active primary but answers as dr-secondary/);
  expect(changeCalls()).toHaveLength(0);
});

it('names a malformed event field', async () => {
  const w = await testbed.create();
  const { error } = await switchDns(w, { dryRun: 'no' });
  expect((error as Error).message).toBe('dryRun: must be true or false, got "no"');
});

describe('the operation lease', () => {
  it('invoked directly, holds its own lease while it works and gives it back', async () => {
    const w = await testbed.create();
    await promoteWestWithEastDown(w);
    testbed.aws.route53Proxy.pendingChanges(10);
    const running = switchDns(w);
    let seen: Awaited<ReturnType<DrWorld['lease']>>;
    while (!(seen = await w.lease())) await new Promise((r) => setTimeout(r, 5));
    expect(seen.holder).toMatch(/^dns-switch \(request [^)]+\)$/);
    expect(seen.expiresAtMs).toBeGreaterThan(Date.now());
    const { result } = await running;
    expect((result as DnsSwitchAnswer).outcome).toBe('succeeded');
    expect(await w.lease()).toBeUndefined();
  });

  it('refuses while another operation holds the lease, naming it and when it ends, and changes nothing', async () => {
    const w = await testbed.create();
    await promoteWestWithEastDown(w);
    const until = Date.now() + 60_000;
    await w.holdLease('dr-operations failover (request abc)', until);
    const { error } = await switchDns(w);
    expect(error).toBeInstanceOf(LeaseBusyError);
    expect((error as Error).message).toMatch(new RegExp(`^DNS not switched: another operation is running: dr-operations failover \\(request abc\\), since \\S+, until ${new Date(until).toISOString().replace(/\./g, '\\.')} at the latest\\. Changed: nothing\\.`));
    expect((error as LeaseBusyError).details?.next).toEqual(expect.objectContaining({ function: 'dns-switch', event: {}, notBefore: new Date(until).toISOString() }));
    expect(changeCalls()).toHaveLength(0);
    expect(await w.weights()).toEqual({ east: 255, west: 0 });
    // A dry run takes no lease: it may look while another operation runs.
    expect((await switchDns(w, { dryRun: true })).result).toEqual(expect.objectContaining({ outcome: 'dry-run' }));
  });

  it('takes over the lease of a holder that crashed, once its expiry has passed', async () => {
    const w = await testbed.create();
    await promoteWestWithEastDown(w);
    await w.holdLease('dr-operations failover (request crashed)', Date.now() - 1);
    const { result, error } = await switchDns(w);
    expect(error).toBeUndefined();
    expect((result as DnsSwitchAnswer).outcome).toBe('succeeded');
    expect(await w.lease()).toBeUndefined();
  });

  it('chained, runs under its caller\'s lease, and refuses when the caller no longer holds it', async () => {
    const w = await testbed.create();
    await promoteWestWithEastDown(w);
    await w.holdLease('dr-operations failover (request caller)', Date.now() + 30_000);
    const { result } = await switchDns(w, { expectedPrimary: 'west', leaseOwner: 'test/dr-operations failover (request caller)', budgetMs: 5000 });
    expect((result as DnsSwitchAnswer).outcome).toBe('succeeded');
    // Its caller's lease is not its own to give back.
    expect(await w.lease()).toEqual(expect.objectContaining({ holder: 'dr-operations failover (request caller)' }));

    await w.dropLease();
    const { error } = await switchDns(w, { expectedPrimary: 'west', leaseOwner: 'test/dr-operations failover (request caller)' });
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toMatch(/^DNS not switched: the calling operation's lease is no longer held/);
  });

  it('within a caller\'s budget too small to wait for INSYNC, reports the change pending', async () => {
    const w = await testbed.create();
    await promoteWestWithEastDown(w);
    await w.holdLease('caller', Date.now() + 30_000);
    testbed.aws.route53Proxy.pendingChanges(1000);
    const started = Date.now();
    const { result } = await switchDns(w, { expectedPrimary: 'west', leaseOwner: 'test/caller', budgetMs: 800 }, { ...w.env.dnsSwitch, DNS_SYNC_TIMEOUT_MS: '30000', DNS_SYNC_POLL_MS: '50' });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(result).toEqual(expect.objectContaining({ outcome: 'succeeded', changeStatus: 'PENDING' }));
  });
});

describe('the expected primary, right after its promotion (found by the chaos oracle, seed 25)', () => {
  // A standby learns its active node's new replication mode only after a while (the simulator's
  // standbyModeLagMs): a probe that lands on it right after a promotion still reads DR secondary.
  it('probes it again on new connections before refusing, and switches once one answers as primary', async () => {
    const w = await testbed.create({ timings: { standbyModeLagMs: 300 } });
    await w.storeDrToken();
    await w.promoteDirectly('west');
    await w.vault.cluster('east').setFault('down');
    w.vault.cluster('west').answerHealthFrom('standby');
    const started = Date.now();
    const { result, error } = await switchDns(w, { expectedPrimary: 'west' }, { ...w.env.dnsSwitch, DNS_SYNC_POLL_MS: '100' });
    expect(error).toBeUndefined();
    expect((result as DnsSwitchAnswer).primary).toBe('west');
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
    expect(await w.weights()).toEqual({ east: 0, west: 255 });
  });

  it('still refuses, changing nothing, when it never answers as primary', async () => {
    const w = await testbed.create();
    await w.storeDrToken();
    const { error } = await switchDns(w, { expectedPrimary: 'west' }, { ...w.env.dnsSwitch, DNS_SYNC_POLL_MS: '10' });
    expect(error).toBeInstanceOf(RefusedError);
    expect((error as Error).message).toMatch(/^DNS not switched: west was expected to be the active primary but answers as dr-secondary/);
    expect(w.vault.cluster('west').requests().filter((r) => r.path === 'sys/health')).toHaveLength(5);
    expect(await w.weights()).toEqual({ east: 255, west: 0 });
  });
});
