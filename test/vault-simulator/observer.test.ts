/**
 * The observer: an oracle's view of every node, independent of what the functions reach. Writable
 * intervals are sampled on every state change, so two primaries are seen whenever they exist.
 */
import { call, waitFor, writeSecret } from './testing/call';
import { startVaultPair } from './index';
import type { VaultPair } from './index';
import { FUNCTION_ROLES } from './testing/roles';

const PROMOTE = 'sys/replication/dr/secondary/promote';

/** Takes east down, then promotes west with a DR token made while east answered. */
async function failOver(pair: VaultPair): Promise<void> {
  await pair.configureDr(FUNCTION_ROLES);
  const { token } = await pair.createDrBatchToken();
  await pair.clusters[0].setFault('down');
  expect((await call(pair, pair.clusters[1], { method: 'POST', path: PROMOTE, body: { dr_operation_token: token } })).status).toBe(200);
  await waitFor(() => pair.clusters[1].isAnsweringPrimary());
}

describe('observer', () => {
  let pair: VaultPair;
  beforeEach(async () => {
    pair = await startVaultPair({ transitionMs: 20 });
  });
  afterEach(() => pair.stop());

  it('sees a second writable primary that appears through a fault being cleared, not a role change', async () => {
    const east = pair.clusters[0];
    await failOver(pair);
    expect(pair.observer.overlaps()).toEqual([]);
    expect(pair.maxAnsweringPrimaries()).toBe(1);
    const back = pair.now();
    await east.setFault('none');
    expect(pair.observer.writableNow().sort()).toEqual(['east', 'west']);
    expect(pair.observer.overlaps()).toEqual([{ from: expect.any(Number), to: undefined, clusters: ['east', 'west'] }]);
    expect(pair.observer.overlaps()[0]?.from).toBeGreaterThanOrEqual(back);
    expect(pair.maxAnsweringPrimaries()).toBe(2);
  });

  it('sees no overlap when the old primary never comes back', async () => {
    await failOver(pair);
    expect(pair.observer.writableIntervals()).toEqual([
      { cluster: 'east', from: expect.any(Number), to: expect.any(Number) },
      { cluster: 'west', from: expect.any(Number), to: undefined },
    ]);
    const [east, west] = pair.observer.writableIntervals();
    expect(west?.from).toBeGreaterThanOrEqual(east?.to as number);
    expect(pair.maxAnsweringPrimaries()).toBe(1);
  });

  it('counts a primary whose clients network alone is cut as not writable, and its return', async () => {
    const east = pair.clusters[0];
    await east.setNetwork('clients', 'blackhole');
    expect(pair.observer.writableNow()).toEqual([]);
    await east.setNetwork('clients', 'up');
    expect(pair.observer.writableNow()).toEqual(['east']);
    expect(pair.observer.writableIntervals()).toHaveLength(2);
    // It stayed an active primary all along: no network reaching it does not make it one less.
    expect(pair.observer.activePrimaryIntervals()).toEqual([{ cluster: 'east', from: expect.any(Number), to: undefined }]);
    await east.setFault('sealed');
    expect(pair.observer.activePrimaryIntervals()).toEqual([{ cluster: 'east', from: expect.any(Number), to: expect.any(Number) }]);
  });

  it('records client writes with their cluster, node, WAL index and simulated time', async () => {
    const east = pair.clusters[0];
    const before = pair.now();
    await writeSecret(pair, east, 'app/a', { v: 1 });
    const [write] = pair.observer.clientWrites();
    expect(write).toEqual({
      id: `east#${east.lastWal()}`,
      cluster: 'east',
      node: east.activeNode()?.id,
      path: 'app/a',
      at: expect.any(Number),
      walIndex: east.lastWal(),
      answered: true,
    });
    expect(write?.at).toBeGreaterThanOrEqual(before);
  });

  it('logs node, election and role events, and prints a timeline headed by the seed', async () => {
    const east = pair.clusters[0];
    await east.node(east.activeNode()?.id as string).setFault('sealed');
    const kinds = new Set(pair.observer.events().map((e) => e.kind));
    expect([...kinds]).toEqual(expect.arrayContaining(['dr-mode', 'node-fault', 'node-role', 'election', 'writable']));
    expect(pair.observer.timeline()).toMatch(new RegExp(`^vault simulator timeline \\(seed ${pair.seed}\\)\\n`));
    expect(() => pair.observer.writesHeldBy('north')).toThrow(/no cluster named "north"/);
  });
});
