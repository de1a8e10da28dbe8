import { call, waitFor } from './testing/call';
import { startVaultPair } from './index';
import type { SimulatedCluster, VaultPair } from './index';

describe('sys/health', () => {
  let pair: VaultPair;
  let primary: SimulatedCluster;
  let secondary: SimulatedCluster;
  beforeAll(async () => {
    pair = await startVaultPair({ transitionMs: 300 });
    [primary, secondary] = pair.clusters;
    // The active node answers here; which node answers what is in ha.test.ts.
    primary.answerHealthFrom('active');
    secondary.answerHealthFrom('active');
  });
  afterAll(() => pair.stop());

  it('answers 200 with the documented body on the active primary, without a token', async () => {
    const res = await call(pair, primary, { path: 'sys/health' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      initialized: true,
      sealed: false,
      standby: false,
      performance_standby: false,
      replication_dr_mode: 'primary',
      replication_performance_mode: 'disabled',
      version: '1.21.0+ent',
      enterprise: true,
      cluster_name: 'east',
      cluster_id: expect.any(String),
      server_time_utc: expect.any(Number),
    });
  });

  it('answers 472 on a DR secondary, even with standbyok=true, and honours drsecondarycode', async () => {
    expect((await call(pair, secondary, { path: 'sys/health' })).status).toBe(472);
    const standbyOk = await call(pair, secondary, { path: 'sys/health?standbyok=true' });
    expect(standbyOk.status).toBe(472);
    expect(standbyOk.body).toMatchObject({ replication_dr_mode: 'secondary', standby: false });
    expect((await call(pair, secondary, { path: 'sys/health?drsecondarycode=200' })).status).toBe(200);
  });

  it('honours activecode and refuses a non-integer code with 400', async () => {
    expect((await call(pair, primary, { path: 'sys/health?activecode=299' })).status).toBe(299);
    const bad = await call(pair, primary, { path: 'sys/health?activecode=abc' });
    expect(bad.status).toBe(400);
    // http/sys_health.go logs the reason and answers respondError(w, 400, nil): no message.
    expect(bad.body).toEqual({ errors: [] });
    expect((await call(pair, primary, { path: 'sys/health?standbyok=maybe' })).status).toBe(400);
  });

  it('answers HEAD with the status and no body', async () => {
    const res = await call(pair, secondary, { method: 'HEAD', path: 'sys/health' });
    expect(res.status).toBe(472);
    expect(res.body).toBeUndefined();
  });

  it('answers 503 with sealed: true and no cluster_id while sealed, and honours sealedcode', async () => {
    await primary.setFault('sealed');
    try {
      const res = await call(pair, primary, { path: 'sys/health' });
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ sealed: true, initialized: true });
      expect(res.body).not.toHaveProperty('cluster_id');
      expect(res.body).toMatchObject({ replication_dr_mode: 'unknown' });
      expect((await call(pair, primary, { path: 'sys/health?sealedcode=200' })).status).toBe(200);
    } finally {
      await primary.setFault('none');
    }
  });

  it('answers 429 from a standby that reaches the active node, 200 with standbyok; a DR secondary stays 472', async () => {
    primary.answerHealthFrom('standby');
    secondary.answerHealthFrom('standby');
    try {
      const res = await call(pair, primary, { path: 'sys/health' });
      expect(res.status).toBe(429);
      expect(res.body).toMatchObject({ standby: true, replication_dr_mode: 'primary' });
      expect((await call(pair, primary, { path: 'sys/health?standbyok=true' })).status).toBe(200);
      expect((await call(pair, secondary, { path: 'sys/health?standbyok=true' })).status).toBe(472);
    } finally {
      primary.answerHealthFrom('active');
      secondary.answerHealthFrom('active');
    }
  });

  it('answers 474 (HA-unhealthy) on every node while a cluster is mid-transition, even with standbyok, then its new code', async () => {
    const demote = await call(pair, primary, {
      method: 'POST',
      path: 'sys/replication/dr/primary/demote',
      token: pair.rootToken,
    });
    expect(demote.status).toBe(200);
    const during = await call(pair, primary, { path: 'sys/health' });
    expect(during.status).toBe(474);
    expect(during.body.standby).toBe(true);
    expect((await call(pair, primary, { path: 'sys/health?standbyok=true' })).status).toBe(474);
    expect((await call(pair, primary, { path: 'sys/health?haunhealthycode=299' })).status).toBe(299);
    const other = await call(pair, primary, { path: 'sys/replication/dr/status' });
    expect(other.status).toBe(503);
    expect(other.body).toEqual({ errors: ['local node not active but active cluster node not found'] });
    await waitFor(() => primary.drMode() === 'secondary');
    expect((await call(pair, primary, { path: 'sys/health' })).status).toBe(472);
  });
});

describe('other unauthenticated status paths', () => {
  let pair: VaultPair;
  beforeAll(async () => {
    pair = await startVaultPair();
  });
  afterAll(() => pair.stop());

  it.each(['sys/seal-status', 'sys/leader', 'sys/replication/status', 'sys/replication/dr/status'])(
    '%s answers 200 without a token on both clusters',
    async (path) => {
      for (const cluster of pair.clusters) {
        expect((await call(pair, cluster, { path })).status).toBe(200);
      }
    },
  );
});
