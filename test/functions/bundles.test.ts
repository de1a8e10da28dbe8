/**
 * The esbuild bundles (what the construct ships to Lambda) work on their own: each is loaded from
 * dist/functions and its `handler` is called with its configuration in process.env, as Lambda does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedWorld } from '../support/testbed';
import { captureStdout } from '../support/log-capture';
import { runBundle, type BundleRun } from '../support/run-bundle';

const DIST = resolve(__dirname, '..', '..', 'dist', 'functions');
const bundleFile = (name: string): string => {
  const file = join(DIST, name, 'index.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`make build\` first`);
  return file;
};

const testbed = sharedWorld();

it.each(['vault-login', 'dr-token-generator', 'dr-operations', 'dns-switch'])('%s bundle holds no absolute path of the build machine', (name) => {
  const text = readFileSync(join(DIST, name, 'index.js'), 'utf8');
  expect(text.includes(resolve(__dirname, '..', '..'))).toBe(false);
});

it('each bundle answers through its exported handler in a fresh Node process', async () => {
  const login = await runBundle(bundleFile('vault-login'), { role: 'dr-login-dev-test' }, testbed.world.env.login);
  expect(login.answer).toEqual(expect.objectContaining({ token: expect.stringMatching(/^hvs\./), leaseDurationSeconds: 300 }));

  // Its login goes through the local Invoke endpoint to the in-process login handler: keep that quiet.
  const { result } = await captureStdout(() => runBundle(bundleFile('dr-token-generator'), { 'detail-type': 'Scheduled Event' }, testbed.world.env.generator));
  const generator = result as BundleRun;
  expect(generator.error).toBeUndefined();
  expect(generator.answer).toEqual(expect.objectContaining({ vaultAddress: testbed.world.vault.cluster('east').address }));

  const status = await runBundle(bundleFile('dr-operations'), { operation: 'status' }, testbed.world.env.operations);
  expect(status.answer).toEqual(expect.objectContaining({ outcome: 'succeeded', drToken: expect.objectContaining({ present: true }) }));

  const dns = await runBundle(bundleFile('dns-switch'), { dryRun: true }, testbed.world.env.dnsSwitch);
  expect(dns.answer).toEqual(expect.objectContaining({ outcome: 'no-op', primary: 'east' }));
  expect(dns.logLines.map((l) => JSON.parse(l).function)).toContain('dns-switch');

  const refused = await runBundle(bundleFile('dr-operations'), { operation: 'promote' }, testbed.world.env.operations);
  expect(refused.error).toEqual({ name: 'InputError', message: expect.stringMatching(/^operation: must be one of/) });
});
