import https from 'node:https';
import tls from 'node:tls';
import { call } from './testing/call';
import { startVaultPair } from './index';
import type { SimulatedCluster, VaultPair } from './index';

const SLOW_MS = 300;

/** Whether a TLS handshake with the cluster completes within `withinMs`. */
function handshakeCompletes(pair: VaultPair, cluster: SimulatedCluster, withinMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tls.connect({ host: '127.0.0.1', port: cluster.port, ca: pair.caPem });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve(false);
    }, withinMs);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      clearTimeout(timer);
      resolve(false);
    });
  });
}

function keepAliveGet(pair: VaultPair, cluster: SimulatedCluster, agent: https.Agent, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = https.get(`${cluster.address}/v1/sys/health`, { ca: pair.caPem, agent, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

describe('faults', () => {
  let pair: VaultPair;
  let east: SimulatedCluster;
  beforeAll(async () => {
    pair = await startVaultPair({ slowMs: SLOW_MS });
    east = pair.clusters[0];
  });
  afterEach(() => east.setFault('none'));
  afterAll(() => pair.stop());

  it("'down' refuses connections, and clearing it listens again on the same port", async () => {
    const port = east.port;
    await east.setFault('down');
    expect(east.fault()).toBe('down');
    expect(east.isAnsweringPrimary()).toBe(false);
    expect(east.drMode()).toBe('primary');
    await expect(call(pair, east, { path: 'sys/health' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await east.setFault('none');
    expect(east.port).toBe(port);
    expect((await call(pair, east, { path: 'sys/health' })).status).toBe(200);
  });

  it("'blackhole' accepts TCP but never completes the TLS handshake; clearing it answers again", async () => {
    await east.setFault('blackhole');
    expect(east.isAnsweringPrimary()).toBe(false);
    expect(await handshakeCompletes(pair, east, 500)).toBe(false);
    await east.setFault('none');
    expect(await handshakeCompletes(pair, east, 500)).toBe(true);
    expect((await call(pair, east, { path: 'sys/health' })).status).toBe(200);
  });

  it("'blackhole' also swallows requests on an open keep-alive connection, recorded as 'no-answer'", async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await keepAliveGet(pair, east, agent, 1000)).toBe(200);
      await east.setFault('blackhole');
      east.clearRequests();
      await expect(keepAliveGet(pair, east, agent, 300)).rejects.toThrow();
      expect(east.requests()).toEqual([expect.objectContaining({ method: 'GET', path: 'sys/health', status: 'no-answer' })]);
    } finally {
      agent.destroy();
    }
  });

  it("'slow' answers normally after slowMs", async () => {
    await east.setFault('slow');
    expect(east.isAnsweringPrimary()).toBe(true);
    const started = Date.now();
    const res = await call(pair, east, { path: 'sys/health' });
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 5);
    await east.setFault('none');
    const fast = Date.now();
    await call(pair, east, { path: 'sys/health' });
    expect(Date.now() - fast).toBeLessThan(SLOW_MS);
  });

  it("'sealed' answers 503 everywhere, with sealed: true on sys/health", async () => {
    await east.setFault('sealed');
    expect(east.isAnsweringPrimary()).toBe(false);
    const health = await call(pair, east, { path: 'sys/health' });
    expect(health.status).toBe(503);
    expect(health.body.sealed).toBe(true);
    const other = await call(pair, east, { path: 'sys/replication/dr/status' });
    expect(other.status).toBe(503);
    expect(other.body).toEqual({ errors: ['Vault is sealed'] });
    await east.setFault('none');
    expect((await call(pair, east, { path: 'sys/replication/dr/status' })).status).toBe(200);
  });

  it("'error500' answers 500 to every request, sys/health included", async () => {
    await east.setFault('error500');
    for (const path of ['sys/health', 'sys/replication/dr/status', 'auth/token/lookup-self']) {
      const res = await call(pair, east, { path, token: pair.rootToken });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ errors: ['internal error'] });
    }
  });

  it('records each request without tokens or bodies, and fault changes are not transitions', async () => {
    east.clearRequests();
    await call(pair, east, { method: 'POST', path: 'auth/token/lookup?x=1', token: pair.rootToken, body: { token: pair.rootToken } });
    const [recorded] = east.requests();
    expect(recorded).toEqual({ method: 'POST', path: 'auth/token/lookup', status: 200, at: expect.any(Number) });
    expect(JSON.stringify(east.requests())).not.toContain(pair.rootToken);
    expect(pair.transitions()).toEqual([]);
    expect(pair.maxAnsweringPrimaries()).toBe(1);
  });
});

describe('stop', () => {
  it('closes listeners even with held and delayed connections', async () => {
    const pair = await startVaultPair({ slowMs: 10_000 });
    const [east, west] = pair.clusters;
    await east.setFault('blackhole');
    await west.setFault('slow');
    const held = handshakeCompletes(pair, east, 2000);
    const delayed = call(pair, west, { path: 'sys/health' }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pair.stop();
    expect(await held).toBe(false);
    expect(await delayed).toBe('failed');
    expect(west.requests()).toEqual([expect.objectContaining({ status: 'no-answer' })]);
    await expect(call(pair, east, { path: 'sys/health' })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
