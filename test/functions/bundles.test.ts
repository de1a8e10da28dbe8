/**
 * The esbuild bundles (what the construct ships to Lambda) work on their own: each is loaded from
 * dist/functions and its `handler` is called with its configuration in process.env, as Lambda does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createDrWorld, startAwsDoubles, type AwsDoubles, type DrWorld } from '../support/dr-harness';
import { captureStdout } from '../support/log-capture';
import { runBundle, type BundleRun } from '../support/run-bundle';

const DIST = resolve(__dirname, '..', '..', 'dist', 'functions');
const bundleFile = (name: string): string => {
  const file = join(DIST, name, 'index.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`make build\` first`);
  return file;
};

let aws: AwsDoubles;
let world: DrWorld;
beforeAll(async () => {
  aws = await startAwsDoubles();
  world = await createDrWorld(aws);
}, 30_000);
afterAll(async () => {
  await world?.stop();
  await aws?.stop();
});

it.each(['vault-login', 'dr-token-generator', 'dr-operations', 'dns-switch'])('%s bundle holds no absolute path of the build machine', (name) => {
  const text = readFileSync(join(DIST, name, 'index.js'), 'utf8');
  expect(text.includes(resolve(__dirname, '..', '..'))).toBe(false);
});

it('each bundle answers through its exported handler in a fresh Node process', async () => {
  const login = await runBundle(bundleFile('vault-login'), { role: 'dr-login-dev-test' }, world.env.login);
  expect(login.answer).toEqual(expect.objectContaining({ token: expect.stringMatching(/^hvs\./), leaseDurationSeconds: 300 }));

  // Its login goes through the local Invoke endpoint to the in-process login handler: keep that quiet.
  const { result } = await captureStdout(() => runBundle(bundleFile('dr-token-generator'), { 'detail-type': 'Scheduled Event' }, world.env.generator));
  const generator = result as BundleRun;
  expect(generator.error).toBeUndefined();
  expect(generator.answer).toEqual(expect.objectContaining({ vaultAddress: world.vault.cluster('east').address }));

  const status = await runBundle(bundleFile('dr-operations'), { operation: 'status' }, world.env.operations);
  expect(status.answer).toEqual(expect.objectContaining({ outcome: 'succeeded', drToken: expect.objectContaining({ present: true }) }));

  const dns = await runBundle(bundleFile('dns-switch'), { dryRun: true }, world.env.dnsSwitch);
  expect(dns.answer).toEqual(expect.objectContaining({ outcome: 'no-op', primary: 'east' }));
  expect(dns.logLines.map((l) => JSON.parse(l).function)).toContain('dns-switch');

  const refused = await runBundle(bundleFile('dr-operations'), { operation: 'promote' }, world.env.operations);
  expect(refused.error).toEqual({ name: 'InputError', message: expect.stringMatching(/^operation: must be one of/) });
});
