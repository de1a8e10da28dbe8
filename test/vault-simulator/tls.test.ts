import { readFileSync } from 'node:fs';
import https from 'node:https';
import { createUntrustedCa, startVaultPair } from './index';
import type { VaultPair } from './index';

function get(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca, agent: false, timeout: 2000 }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}

describe('listener TLS', () => {
  let pair: VaultPair;
  beforeAll(async () => {
    pair = await startVaultPair();
  });
  afterAll(() => pair.stop());

  it('serves a certificate signed by the test CA for 127.0.0.1 and localhost', async () => {
    const [east] = pair.clusters;
    expect(east.address).toBe(`https://127.0.0.1:${east.port}`);
    expect(await get(`${east.address}/v1/sys/health?standbyok=true`, pair.caPem)).toBe(200);
    expect(await get(`https://localhost:${east.port}/v1/sys/health?standbyok=true`, pair.caPem)).toBe(200);
    expect(readFileSync(pair.caFile, 'utf8')).toBe(pair.caPem);
  });

  it('is rejected by a client that trusts a different CA', async () => {
    const untrusted = await createUntrustedCa();
    expect(untrusted.caPem).not.toBe(pair.caPem);
    expect(readFileSync(untrusted.caFile, 'utf8')).toBe(untrusted.caPem);
    await expect(get(`${pair.clusters[0].address}/v1/sys/health`, untrusted.caPem)).rejects.toMatchObject({
      code: expect.stringMatching(/UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/),
    });
  });
});
