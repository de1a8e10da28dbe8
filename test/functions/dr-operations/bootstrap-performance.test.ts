/**
 * bootstrap with `performanceSecondary`, end to end: the real dr-operations handler against three
 * simulated clusters that start with replication disabled, each with its own storage (the DR
 * objects on east only, as Terraform writes them): a DR bootstrap makes east the DR primary and
 * west its DR secondary, then bootstrap makes south a performance secondary of east. What south
 * is and follows is read from the simulator (its own status, the observer), never from the
 * functions' answer.
 */
import { InputError, RefusedError, StepFailedError } from '../../../functions/shared/errors';
import type { DrWorld, DrWorldOptions } from '../../support/dr-harness';
import { freshWorlds } from '../../support/testbed';
import { attempt, docsPolicyToken, request, root, run } from './bootstrap-support';

jest.setTimeout(30_000);

const testbed = freshWorlds();
/** Three clusters on two shared cores: bounds wider than FAST_BOUNDS (as test/functions/dr-operations/performance.test.ts). */
const ROOMY_BOUNDS = { VAULT_CONNECT_TIMEOUT_MS: '2000', VAULT_REQUEST_TIMEOUT_MS: '4000' };

/**
 * The performance role changes the simulator made through its API, in order (not those a DR
 * promotion makes by itself).
 */
const performanceChanges = (w: DrWorld) =>
  w.vault
    .performanceTransitions()
    .filter((t) => t.cause.startsWith('sys/replication/performance/'))
    .map((t) => `${t.cluster} ${t.from}->${t.to} (${t.cause.replace('sys/replication/performance/', '')})`);
/** South as the simulator's observer sees it. */
const southSeen = (w: DrWorld) => w.vault.observer.topology().find((v) => v.cluster === 'south');
const southStreams = (w: DrWorld) => {
  const status = w.vault.cluster('south').performanceStatus();
  return status.mode === 'secondary' && status.state === 'stream-wals' && status.primaries?.[0]?.connection_status === 'connected';
};
const SOUTH = { operation: 'bootstrap', performanceSecondary: 'south' };

/** east DR primary, west its DR secondary (through the DR bootstrap), south with replication disabled. */
async function newWorld(options: DrWorldOptions = {}): Promise<DrWorld> {
  const w = await testbed.create({ initialState: 'standalone', performanceSecondaries: ['south'], envOverrides: ROOMY_BOUNDS, ...options });
  expect((await run(w, { operation: 'bootstrap', primary: 'east', secondaryToken: root(w) })).outcome).toBe('succeeded');
  await w.vault.waitForReplication();
  w.vault.clusters.forEach((c) => c.clearRequests());
  expect(w.vault.cluster('south').performanceMode()).toBe('disabled');
  expect(w.vault.cluster('east').performanceMode()).toBe('disabled');
  return w;
}

describe('bootstrap of a performance secondary', () => {
  it('enables east as performance primary, south as its performance secondary, waits until it streams; a second run is a no-op that needs no token', async () => {
    const w = await newWorld();
    const answer = await run(w, { ...SOUTH, secondaryToken: root(w) });
    expect(answer.outcome).toBe('succeeded');
    expect(answer.summary).toBe('south is a performance secondary of east, streaming');
    expect(answer.changed).toEqual(['enabled performance replication on east (performance primary)', "enabled south as performance secondary of east (its data is replaced by east's)"]);
    expect(answer.next).toBeNull();
    expect(answer.performanceSecondaries).toEqual([expect.objectContaining({ name: 'south', verdict: 'follows', follows: 'east', connected: true })]);
    // From the simulator itself: south streams from east, under the id of its name, and serves reads.
    expect(southStreams(w)).toBe(true);
    expect(w.vault.cluster('south').performanceStatus().secondary_id).toBe('south');
    expect(southSeen(w)).toMatchObject({ performancePrimary: 'east', followsActivePerformancePrimary: true, servesClientReads: true });
    expect(performanceChanges(w)).toEqual(['east disabled->primary (primary/enable)', 'south disabled->secondary (secondary/enable)']);
    // The DR pair was left as it was.
    expect(w.vault.answeringPrimaryNames()).toEqual(['east']);
    expect(w.vault.cluster('west').drStatus().state).toBe('stream-wals');
    const steps = answer.timeline.map((e) => e.step);
    // The probe and the record's read run in parallel: either may end first.
    expect(steps.slice(0, 3).sort()).toEqual(['probe clusters', 'read primary record', 'take lease']);
    expect(steps.slice(3)).toEqual([
      'probe south and the performance status of east',
      'check the token given for south',
      'check south holds no data',
      'log in to east',
      'enable performance primary on east',
      'wait for east to be performance primary',
      'generate public key on south',
      'issue performance activation token on east',
      'enable south as performance secondary',
      'wait for south to stream from east',
    ]);
    // The activation token was encrypted to south's key: south made no call to east's API.
    const southCalls = w.vault.cluster('south').requests().filter((r) => r.method === 'POST' && r.path.startsWith('sys/replication/')).map((r) => `${r.path} ${r.status}`);
    expect(southCalls).toEqual(['sys/replication/performance/secondary/generate-public-key 200', 'sys/replication/performance/secondary/enable 200']);

    const again = await run(w, SOUTH);
    expect(again.outcome).toBe('no-op');
    expect(again.summary).toBe('nothing to do: south is a performance secondary of east and streams from it');
    expect(again.changed).toEqual([]);
    expect(performanceChanges(w)).toHaveLength(2);
    expect(await w.lease()).toBeUndefined();
  });

  it('dry run: checks the token and the data, lists the steps, changes nothing', async () => {
    const w = await newWorld();
    const answer = await run(w, { ...SOUTH, secondaryToken: root(w), dryRun: true });
    expect(answer.outcome).toBe('dry-run');
    expect(answer.timeline.filter((e) => e.outcome === 'planned').map((e) => e.step)).toEqual([
      'enable performance replication on east (it becomes the performance primary)',
      'generate a public key on south',
      'issue a performance activation token for south on east, encrypted to that key',
      "enable south as performance secondary of east: ALL its data is replaced by east's",
      'wait for south to stream from east',
    ]);
    expect(answer.next?.event).toEqual({ ...SOUTH, secondaryToken: '<a token of south>' });
    expect(performanceChanges(w)).toEqual([]);
    expect(w.vault.cluster('east').performanceMode()).toBe('disabled');
  });

  it('works with the narrower token of docs/contracts.md, and never logs or returns a token', async () => {
    const w = await newWorld();
    const token = await docsPolicyToken(w, 'south', 'bootstrap-performance-secondary-policy');
    const dry = await attempt(w, { ...SOUTH, secondaryToken: token, dryRun: true });
    const real = await attempt(w, { ...SOUTH, secondaryToken: token });
    expect(real.error).toBeUndefined();
    expect(real.answer?.outcome).toBe('succeeded');
    expect(real.answer?.timeline.find((e) => e.step === 'check south holds no data')?.detail).toMatch(/^none \(/);
    expect(southStreams(w)).toBe(true);
    const secrets = [token, root(w), ...w.vault.issuedSecrets()];
    const text = [...dry.lines, ...real.lines, JSON.stringify(dry.answer), JSON.stringify(real.answer)].join('\n');
    expect(secrets.filter((s) => text.includes(s))).toEqual([]);
    // The logger's last line of defence blanks the next command's placeholder by its field name
    // (`secondaryToken`); anything else it had to blank would be a secret handed to it.
    expect(text.replaceAll('"secondaryToken":"[redacted]"', '')).not.toContain('[redacted]');
  });

  it('needs the token of south, and says so by its field', async () => {
    const w = await newWorld();
    const { error } = await attempt(w, SOUTH);
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(/^secondaryToken: is required: south has performance replication disabled/);
    expect(performanceChanges(w)).toEqual([]);
  });

  it('refuses when south holds data, naming it, and changes nothing; forced, it erases it and attaches', async () => {
    const w = await newWorld();
    expect((await request(w, 'south', 'POST', 'secret/payments/db', { password: 'south-only' })).status).toBe(204);
    const { error } = await attempt(w, { ...SOUTH, secondaryToken: root(w) });
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toMatch(/^bootstrap refused: enabling south as a performance secondary erases all its data, and it holds some \(KV mount secret\/ with 1 key\(s\) at its top level\)/);
    expect(error?.details?.changed).toEqual([]);
    expect(error?.details?.next?.event).toEqual({ ...SOUTH, force: true, secondaryToken: '<a token of south>' });
    expect(performanceChanges(w)).toEqual([]);
    expect(w.vault.cluster('east').performanceMode()).toBe('disabled');

    const forced = await run(w, { ...SOUTH, secondaryToken: root(w), force: true });
    expect(forced.outcome).toBe('succeeded');
    expect(southStreams(w)).toBe(true);
  });

  it('refuses a name that is not in VAULT_PERFORMANCE_SECONDARIES as input, listing the configured names', async () => {
    const w = await newWorld();
    const { error } = await attempt(w, { operation: 'bootstrap', performanceSecondary: 'north', secondaryToken: root(w) });
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(/^performanceSecondary: must name one of the performance secondaries \(south\), got "north"/);
    expect(error?.details?.changed).toEqual([]);
    expect(performanceChanges(w)).toEqual([]);
    expect(w.vault.cluster('south').requests()).toEqual([]);
  });

  it('refuses a token that may not enable south, before any change', async () => {
    const w = await newWorld();
    expect((await request(w, 'south', 'PUT', 'sys/policies/acl/look-only', { policy: 'path "sys/mounts" { capabilities = ["read"] }' })).status).toBe(204);
    const weak = (await request(w, 'south', 'POST', 'auth/token/create', { policies: ['look-only'] })).body.auth.client_token as string;
    const { error } = await attempt(w, { ...SOUTH, secondaryToken: weak });
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toMatch(/the token given for south may not enable it as a performance secondary/);
    expect(performanceChanges(w)).toEqual([]);
  });

  it('picks up after an enable whose answer was lost: the next run finds south attached and needs no token', async () => {
    const w = await newWorld();
    w.vault.cluster('south').dropAnswers({ path: 'sys/replication/performance/secondary/enable', times: 1 });
    const { error } = await attempt(w, { ...SOUTH, secondaryToken: root(w) });
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error?.message).toMatch(/^bootstrap stopped: a step failed/);
    expect(error?.details?.changed).toEqual(['enabled performance replication on east (performance primary)']);
    expect(error?.details?.next?.event).toEqual({ ...SOUTH, secondaryToken: '<a token of south>' });
    // The enable was applied: south's storage (the token with it) is gone, and none is needed now.
    const again = await run(w, SOUTH);
    expect(again.outcome).toBe('no-op');
    expect(again.changed).toEqual([]);
    expect(southStreams(w)).toBe(true);
    expect(performanceChanges(w)).toEqual(['east disabled->primary (primary/enable)', 'south disabled->secondary (secondary/enable)']);
  });

  it('picks up after an activation token whose answer was lost: east is not enabled again, and south is attached', async () => {
    const w = await newWorld();
    w.vault.cluster('east').dropAnswers({ path: 'sys/replication/performance/primary/secondary-token', times: 1 });
    const { error } = await attempt(w, { ...SOUTH, secondaryToken: root(w) });
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error?.details?.changed).toEqual(['enabled performance replication on east (performance primary)']);
    // The state left names south too, as it answered after the failure.
    expect(error?.details?.clusters).toEqual([expect.stringMatching(/^east .*primary/), expect.stringMatching(/^west .*dr-secondary/), expect.stringMatching(/^south \(.*\): performance disabled$/)]);
    expect(w.vault.cluster('south').performanceMode()).toBe('disabled');
    const again = await run(w, { ...SOUTH, secondaryToken: root(w) });
    expect(again.outcome).toBe('succeeded');
    expect(again.changed).toEqual(["enabled south as performance secondary of east (its data is replaced by east's)"]);
    expect(southStreams(w)).toBe(true);
    expect(performanceChanges(w)).toEqual(['east disabled->primary (primary/enable)', 'south disabled->secondary (secondary/enable)']);
  });

  it('reports a south still syncing when the wait ends, and the next run waits for it without a token', async () => {
    // A re-sync that outlasts the first run's wait (merkle-sync takes 1.5 s here, the wait 300 ms).
    const w = await newWorld({ timings: { merkleSyncMs: 1500 } });
    const answer = await run(w, { ...SOUTH, secondaryToken: root(w) }, { ...w.env.operations, VAULT_PROMOTION_TIMEOUT_MS: '300' });
    expect(answer.outcome).toBe('succeeded');
    expect(answer.summary).toBe('south is a performance secondary of east, attached but not streaming yet');
    expect(answer.warnings).toEqual([expect.stringMatching(/^south is attached to east but not streaming within 300 ms/)]);
    expect(answer.next?.event).toEqual(SOUTH);
    expect(southStreams(w)).toBe(false);
    const again = await run(w, SOUTH);
    expect(again.outcome).toBe('no-op');
    expect(again.summary).toBe('nothing changed: south was already attached to east and now streams from it');
    expect(again.timeline.map((e) => e.step)).toContain('wait for south to stream from east');
    expect(southStreams(w)).toBe(true);
    expect(performanceChanges(w)).toEqual(['east disabled->primary (primary/enable)', 'south disabled->secondary (secondary/enable)']);
  });

  it('refuses while no cluster is a DR primary, naming failover, and touches nothing', async () => {
    const w = await testbed.create({ initialState: 'standalone', performanceSecondaries: ['south'], envOverrides: ROOMY_BOUNDS });
    const { error } = await attempt(w, { ...SOUTH, secondaryToken: root(w) });
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toMatch(/^bootstrap refused: no cluster answers as an active primary for south to follow/);
    expect(error?.details?.next?.event).toEqual({ operation: 'failover' });
    expect(w.vault.cluster('south').requests()).toEqual([]);
  });
});
