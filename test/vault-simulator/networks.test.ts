/**
 * Three networks per cluster, cut independently: functions -> cluster (`address`), clients ->
 * cluster (`clientAddress`, the same nodes), and cluster <-> cluster (replication).
 */
import { call, callClient, handshakeCompletes, outcome, writeSecret } from './testing/call';
import { startVaultPair } from './index';
import type { VaultPair } from './index';

const HEALTH = 'sys/health?standbyok=true';

describe('networks', () => {
  let pair: VaultPair;
  beforeEach(async () => {
    pair = await startVaultPair({ healthChecks: false });
  });
  afterEach(() => pair.stop());

  it('a primary the functions cannot reach still serves clients and still replicates', async () => {
    const [east, west] = pair.clusters;
    await east.setNetwork('functions', 'blackhole');
    expect(east.network('functions')).toBe('blackhole');
    expect(await handshakeCompletes(pair, east.port, 300)).toBe(false);
    expect(east.isAnsweringPrimary()).toBe(false);
    expect(east.canAcceptClientWrites()).toBe(true);
    expect((await writeSecret(pair, east, 'app', { v: 1 })).status).toBe(204);
    await pair.waitForReplication();
    expect(pair.observer.writesHeldBy(west.name)).toEqual(pair.observer.writesHeldBy(east.name));
    expect(west.drStatus().connection_state).toBe('ready');
  });

  it("'refused' closes the functions port; restoring it opens the same port again", async () => {
    const east = pair.clusters[0];
    const port = east.port;
    await east.setNetwork('functions', 'refused');
    expect(await outcome(call(pair, east, { path: HEALTH }))).toBe('ECONNREFUSED');
    expect(await outcome(callClient(pair, east, { path: HEALTH }))).toBe(200);
    await east.setNetwork('functions', 'up');
    expect(east.port).toBe(port);
    expect(await outcome(call(pair, east, { path: HEALTH }))).toBe(200);
  });

  it('cutting the clients network leaves the functions their view, and clients none', async () => {
    const east = pair.clusters[0];
    await east.setNetwork('clients', 'blackhole');
    expect(east.canAcceptClientWrites()).toBe(false);
    expect(east.isAnsweringPrimary()).toBe(true);
    expect(await outcome(callClient(pair, east, { path: HEALTH, timeoutMs: 300 }))).toBe('ETIMEDOUT');
    expect(await outcome(call(pair, east, { path: HEALTH }))).toBe(200);
  });

  it('cutting the replication network stops only replication', async () => {
    const [east, west] = pair.clusters;
    await east.setNetwork('replication', 'blackhole');
    expect(west.drStatus()).toMatchObject({ connection_state: 'transient_failure' });
    expect(east.isAnsweringPrimary()).toBe(true);
    expect(east.canAcceptClientWrites()).toBe(true);
    expect((await call(pair, west, { path: HEALTH })).status).toBe(472);
  });

  it('refuses an unknown network or state, naming the choices', async () => {
    const east = pair.clusters[0];
    await expect(east.setNetwork('internet' as never, 'up')).rejects.toThrow(/'functions', 'clients' or 'replication'/);
    await expect(east.setNetwork('clients', 'down' as never)).rejects.toThrow(/'up', 'blackhole' or 'refused'/);
  });
});
