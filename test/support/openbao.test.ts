import { startOpenBao, type OpenBaoServer } from './openbao';

describe('startOpenBao', () => {
  let bao: OpenBaoServer;
  beforeAll(async () => {
    bao = await startOpenBao();
  }, 30_000);
  afterAll(() => bao?.stop());

  it('serves sys/health as an active, unsealed node', async () => {
    const health = await bao.request('GET', 'sys/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ initialized: true, sealed: false, standby: false });
  });

  it('refuses a request without a token with the error envelope', async () => {
    const res = await bao.request('GET', 'sys/policies/acl/default');
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ errors: [expect.stringContaining('permission denied')] });
  });
});
