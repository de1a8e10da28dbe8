/**
 * Faults of whole clusters (every node at once, the pre-node API) and of single nodes, the
 * apply-then-drop fault (the request takes effect, its answer is lost), and stop().
 */
import https from 'node:https';
import { call, callClient, handshakeCompletes, keepAliveGet, outcome, waitFor, writeSecret } from './testing/call';
import { startVaultPair } from './index';
import type { SimulatedCluster, VaultPair } from './index';
import { FUNCTION_ROLES } from './testing/roles';

const SLOW_MS = 300;
const HEALTH = 'sys/health?standbyok=true';

describe('whole-cluster faults', () => {
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
    expect(east.nodes.every((n) => n.fault() === 'refused')).toBe(true);
    expect(east.isAnsweringPrimary()).toBe(false);
    expect(east.drMode()).toBe('primary');
    await expect(call(pair, east, { path: HEALTH })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await east.setFault('none');
    expect(east.port).toBe(port);
    expect((await call(pair, east, { path: HEALTH })).status).toBe(200);
  });

  it("'blackhole' accepts TCP but never completes the TLS handshake; clearing it answers again", async () => {
    await east.setFault('blackhole');
    expect(east.isAnsweringPrimary()).toBe(false);
    expect(await handshakeCompletes(pair, east.port, 500)).toBe(false);
    await east.setFault('none');
    expect(await handshakeCompletes(pair, east.port, 500)).toBe(true);
    expect((await call(pair, east, { path: HEALTH })).status).toBe(200);
  });

  it("'blackhole' also swallows requests on an open keep-alive connection, recorded as 'no-answer'", async () => {
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await keepAliveGet(pair, east.address, HEALTH, agent, 1000)).toBe(200);
      await east.setFault('blackhole');
      east.clearRequests();
      await expect(keepAliveGet(pair, east.address, HEALTH, agent, 300)).rejects.toThrow();
      expect(east.requests()).toEqual([expect.objectContaining({ method: 'GET', path: 'sys/health', status: 'no-answer' })]);
    } finally {
      agent.destroy();
    }
  });

  it("'slow' answers normally after slowMs, and not slowly once cleared", async () => {
    await east.setFault('slow');
    expect(east.isAnsweringPrimary()).toBe(true);
    const started = Date.now();
    expect((await call(pair, east, { path: HEALTH })).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_MS - 5);
    await east.setFault('none');
    const fast = Date.now();
    await call(pair, east, { path: HEALTH });
    expect(Date.now() - fast).toBeLessThan(SLOW_MS);
  });

  it("'sealed' answers 503 on every path but sys/seal-status, which says sealed: true", async () => {
    await east.setFault('sealed');
    expect(east.isAnsweringPrimary()).toBe(false);
    expect(east.activeNode()).toBeUndefined();
    const health = await call(pair, east, { path: 'sys/health' });
    expect(health.status).toBe(503);
    expect(health.body.sealed).toBe(true);
    const other = await call(pair, east, { path: 'sys/replication/dr/status' });
    expect(other.status).toBe(503);
    expect(other.body).toEqual({ errors: ['Vault is sealed'] });
    const sealStatus = await call(pair, east, { path: 'sys/seal-status' });
    expect(sealStatus.status).toBe(200);
    expect(sealStatus.body).toMatchObject({ sealed: true, initialized: true });
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

  it('records each request with its node and network, without tokens or bodies; faults are not role transitions', async () => {
    east.clearRequests();
    await call(pair, east, { method: 'POST', path: 'auth/token/lookup?x=1', token: pair.rootToken, body: { token: pair.rootToken } });
    await callClient(pair, east, { path: HEALTH });
    const [viaFunctions, viaClients] = east.requests();
    expect(viaFunctions).toEqual({
      method: 'POST',
      path: 'auth/token/lookup',
      status: 200,
      at: expect.any(Number),
      simulatedAt: expect.any(Number),
      node: expect.stringMatching(/^east-[0-4]$/),
      network: 'functions',
    });
    expect(viaClients).toMatchObject({ path: 'sys/health', network: 'clients' });
    expect(JSON.stringify(east.requests())).not.toContain(pair.rootToken);
    expect(pair.transitions()).toEqual([]);
  });
});

describe('single-node faults', () => {
  let pair: VaultPair;
  let east: SimulatedCluster;
  beforeAll(async () => {
    pair = await startVaultPair({ healthChecks: false, seed: 1 });
    east = pair.clusters[0];
  });
  afterEach(async () => {
    for (const node of east.nodes) await node.setFault('none');
  });
  afterAll(() => pair.stop());

  const standby = (): number => east.nodes.findIndex((n) => n.role() === 'standby');

  it.each([
    ['sealed', 503, { sealed: true, initialized: true }],
    ['uninitialized', 501, { initialized: false }],
    ['removed', 530, { removed_from_cluster: true }],
  ] as const)("a '%s' node answers sys/health %i, and the cluster keeps its active node", async (fault, status, body) => {
    const index = standby();
    await east.setNodeFault(index, fault);
    const statuses = new Map<string, number>();
    for (let i = 0; i < 40; i++) {
      const res = await call(pair, east, { path: HEALTH });
      statuses.set(east.requests().at(-1)?.node as string, res.status);
      if (res.status === status) expect(res.body).toMatchObject(body);
    }
    expect(statuses.get(`east-${index}`)).toBe(status);
    expect([...statuses.entries()].filter(([node]) => node !== `east-${index}`).every(([, s]) => s === 200)).toBe(true);
    expect(east.activeNode()).toBeDefined();
    expect(east.canAcceptClientWrites()).toBe(true);
  });

  it('a faulted node does not vote: the active node keeps its role while a majority is healthy', async () => {
    const active = east.activeNode()?.id as string;
    await east.setNodeFault(standby(), 'blackhole');
    await east.setNodeFault(east.nodes.findIndex((n) => n.role() === 'standby' && n.fault() === 'none'), 'refused');
    expect(east.activeNode()?.id).toBe(active);
  });
});

describe('apply-then-drop', () => {
  let pair: VaultPair;
  beforeEach(async () => {
    pair = await startVaultPair({ healthChecks: false });
  });
  afterEach(() => pair.stop());

  it('applies a matching request and drops its answer, once; the next one is answered', async () => {
    const east = pair.clusters[0];
    const rule = east.dropAnswers({ method: 'POST', path: /^secret\//, times: 1 });
    expect(await outcome(writeSecret(pair, east, 'app/one', { v: 1 }))).toBe('ECONNRESET');
    expect(rule.dropped()).toBe(1);
    // The write took effect although its client never heard so.
    const read = await callClient(pair, east, { path: 'secret/app/one', token: pair.rootToken });
    expect(read.body.data).toEqual({ v: 1 });
    expect(pair.observer.clientWrites()).toEqual([expect.objectContaining({ path: 'app/one', answered: false })]);
    expect(east.requests().find((r) => r.method === 'POST')).toMatchObject({ status: 'no-answer', answerDropped: true });
    expect((await writeSecret(pair, east, 'app/two', { v: 2 })).status).toBe(204);
    expect(pair.observer.clientWrites()[1]).toMatchObject({ path: 'app/two', answered: true });
  });

  it('catches only the request kind it names', async () => {
    const east = pair.clusters[0];
    east.dropAnswers({ path: 'sys/replication/dr/primary/demote' });
    expect((await writeSecret(pair, east, 'kept', { v: 1 })).status).toBe(204);
    expect(await outcome(call(pair, east, { method: 'POST', path: 'sys/replication/dr/primary/demote', token: pair.rootToken }))).toBe('ECONNRESET');
    // The demote was applied: the cluster is on its way to secondary.
    await waitFor(() => east.drMode() === 'secondary');
  });

  it('drops a promote answer: the promotion happens anyway', async () => {
    const [east, west] = pair.clusters;
    await pair.configureDr(FUNCTION_ROLES);
    const { token } = await pair.createDrBatchToken();
    await east.setFault('down');
    const drop = west.dropAnswers({ path: 'sys/replication/dr/secondary/promote' });
    const sent = await outcome(call(pair, west, { method: 'POST', path: 'sys/replication/dr/secondary/promote', body: { dr_operation_token: token } }));
    expect(sent).toBe('ECONNRESET');
    expect(drop.dropped()).toBe(1);
    drop.remove();
    await waitFor(() => west.isAnsweringPrimary());
  });

  it('refuses a rule for a node the cluster does not have', () => {
    expect(() => pair.clusters[0].dropAnswers({ node: 'east-9' })).toThrow(/no node "east-9"/);
    expect(() => pair.clusters[0].dropAnswers({ times: 0 })).toThrow(/times must be at least 1/);
  });
});

describe('stop', () => {
  it('closes listeners even with held and delayed connections', async () => {
    const pair = await startVaultPair({ slowMs: 10_000 });
    const [east, west] = pair.clusters;
    await east.setFault('blackhole');
    await west.setFault('slow');
    const held = handshakeCompletes(pair, east.port, 2000);
    const delayed = call(pair, west, { path: HEALTH }).then(
      () => 'answered',
      () => 'failed',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    await pair.stop();
    expect(await held).toBe(false);
    expect(await delayed).toBe('failed');
    expect(west.requests()).toEqual([expect.objectContaining({ status: 'no-answer' })]);
    await expect(call(pair, east, { path: HEALTH })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
