/**
 * The esbuild bundles (what the construct ships to Lambda) work on their own: each is loaded from
 * dist/functions and its `handler` is called with its configuration in process.env, as Lambda does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sharedWorld } from '../support/testbed';
import { runBundle } from '../support/run-bundle';

const DIST = resolve(__dirname, '..', '..', 'dist', 'functions');
const bundleFile = (name: string): string => {
  const file = join(DIST, name, 'index.js');
  if (!existsSync(file)) throw new Error(`${file} is missing: run \`make build\` first`);
  return file;
};

const testbed = sharedWorld();

it.each(['dr-token-generator', 'dr-operations', 'dns-switch', 'dr-watchdog'])('%s bundle holds no absolute path of the build machine', (name) => {
  const text = readFileSync(join(DIST, name, 'index.js'), 'utf8');
  expect(text.includes(resolve(__dirname, '..', '..'))).toBe(false);
});

it('each bundle answers through its exported handler in a fresh Node process', async () => {
  const generator = await runBundle(bundleFile('dr-token-generator'), { 'detail-type': 'Scheduled Event' }, testbed.world.env.generator);
  expect(generator.error).toBeUndefined();
  expect(generator.answer).toEqual(expect.objectContaining({ vaultAddress: testbed.world.vault.cluster('east').address }));

  const status = await runBundle(bundleFile('dr-operations'), { operation: 'status' }, testbed.world.env.operations);
  expect(status.answer).toEqual(expect.objectContaining({ outcome: 'succeeded', drToken: expect.objectContaining({ present: true }) }));

  const dns = await runBundle(bundleFile('dns-switch'), { dryRun: true }, testbed.world.env.dnsSwitch);
  expect(dns.answer).toEqual(expect.objectContaining({ outcome: 'no-op', primary: 'east' }));
  expect(dns.logLines.map((l) => JSON.parse(l).function)).toContain('dns-switch');

  const watchdog = await runBundle(bundleFile('dr-watchdog'), { command: 'observe' }, testbed.world.env.watchdog);
  expect(watchdog.answer).toEqual(expect.objectContaining({ command: 'observe', mode: 'notify', armed: true, action: expect.objectContaining({ kind: 'none' }) }));
  // Its metric lines go out beside its log line, as Lambda ships stdout.
  expect(watchdog.logLines.some((l) => JSON.parse(l)._aws !== undefined)).toBe(true);

  const refused = await runBundle(bundleFile('dr-operations'), { operation: 'promote' }, testbed.world.env.operations);
  expect(refused.error).toEqual({ name: 'InputError', message: expect.stringMatching(/^operation: must be one of/) });
});

it('a refusal reaches the caller as Lambda reports it: the message, then the details as JSON on its last line', async () => {
  const w = testbed.world;
  // A live lease held by another operation: a switchover must refuse and say when to run again.
  const until = Date.now() + 60_000;
  await w.holdLease('dr-operations failover (request other)', until);
  try {
    const refused = await runBundle(bundleFile('dr-operations'), { operation: 'switchover' }, w.env.operations, 30_000);
    expect(refused.error?.name).toBe('LeaseBusyError');
    const [message, json] = (refused.error?.message ?? '').split('\n');
    expect(message).toMatch(/^switchover refused: another operation is running: dr-operations failover \(request other\)/);
    expect(JSON.parse(json as string)).toEqual({
      kind: 'busy',
      changed: [],
      clusters: [],
      next: { function: 'dr-operations', event: { operation: 'switchover' }, why: expect.any(String), notBefore: new Date(until).toISOString() },
    });
  } finally {
    await w.dropLease();
  }
});
