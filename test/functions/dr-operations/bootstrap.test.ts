/**
 * bootstrap end to end: the real dr-operations handler against two simulated clusters that start
 * with DR replication disabled (each with its own storage; the DR objects on the primary only, as
 * Terraform writes them), moto for the lease, and the operator's token of the would-be secondary.
 */
import { InputError, RefusedError, StepFailedError } from '../../../functions/shared/errors';
import type { DrWorld, DrWorldOptions } from '../../support/dr-harness';
import { freshWorlds } from '../../support/testbed';
import { attempt, docsPolicyToken, request, root, run } from './bootstrap-support';

jest.setTimeout(20_000);

const testbed = freshWorlds();
const newWorld = (options: DrWorldOptions = { initialState: 'standalone' }): Promise<DrWorld> => testbed.create(options);

const transitions = (w: DrWorld) => w.vault.transitions().map((t) => `${t.cluster} ${t.from}->${t.to} (${t.cause.replace('sys/replication/dr/', '')})`);
const streaming = (w: DrWorld) => w.vault.cluster('west').drStatus().state === 'stream-wals' && w.vault.cluster('west').drStatus().primaries?.[0]?.connection_status === 'connected';

describe('bootstrap of two clusters with DR replication disabled', () => {
  it('asks which cluster leads, offering both, and changes nothing', async () => {
    const w = await newWorld();
    const { error } = await attempt(w, { operation: 'bootstrap', secondaryToken: root(w) });
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.details?.next).toEqual(expect.objectContaining({ choose: { field: 'primary', from: ['east', 'west'] } }));
    expect(transitions(w)).toEqual([]);
  });

  it('needs the token of the would-be secondary, and says so by its field', async () => {
    const w = await newWorld();
    const { error } = await attempt(w, { operation: 'bootstrap', primary: 'east' });
    expect(error).toBeInstanceOf(InputError);
    expect(error?.message).toMatch(/^secondaryToken: is required: west has DR replication disabled/);
    expect(transitions(w)).toEqual([]);
  });

  it('dry run: checks the token and the data, lists the steps, changes nothing', async () => {
    const w = await newWorld();
    const answer = await run(w, { operation: 'bootstrap', primary: 'east', secondaryToken: root(w), dryRun: true });
    expect(answer.outcome).toBe('dry-run');
    expect(answer.summary).toMatch(/^would make east the DR primary and west its DR secondary: enable DR replication on east/);
    expect(answer.timeline.filter((e) => e.outcome === 'planned').map((e) => e.step)).toEqual([
      'enable DR replication on east (it becomes the DR primary)',
      'generate a public key on west',
      'issue an activation token for west on east, encrypted to that key',
      "enable west as DR secondary of east: ALL its data is replaced by east's",
      'wait for west to stream from east',
    ]);
    expect(answer.timeline.find((e) => e.step === 'check west holds no data')?.detail).toBe('none (empty KV mount secret/)');
    expect(answer.next?.event).toEqual({ operation: 'bootstrap', primary: 'east', secondaryToken: '<a token of west>' });
    expect(transitions(w)).toEqual([]);
    expect(w.vault.cluster('east').drMode()).toBe('disabled');
  });

  it('enables the primary, attaches the secondary and waits until it streams; then a second run is a no-op that needs no token', async () => {
    const w = await newWorld();
    const answer = await run(w, { operation: 'bootstrap', primary: 'east', secondaryToken: root(w) });
    expect(answer.outcome).toBe('succeeded');
    expect(answer.summary).toBe('east is the DR primary and west its DR secondary, streaming');
    expect(answer.changed).toEqual(['enabled DR replication on east (DR primary)', "enabled west as DR secondary of east (its data is replaced by east's)"]);
    expect(answer.next).toBeNull();
    expect(transitions(w)).toEqual(['east disabled->primary (primary/enable)', 'west disabled->secondary (secondary/enable)']);
    expect(streaming(w)).toBe(true);
    expect(answer.timeline.map((e) => e.step)).toEqual([
      'take lease',
      'probe clusters',
      'read replication sets',
      'check the token given for west',
      'check west holds no data',
      'log in to east',
      'enable DR primary on east',
      'wait for east to be active primary',
      'generate public key on west',
      'issue activation token on east',
      'enable west as DR secondary',
      'wait for west to stream from east',
    ]);
    // west now holds east's data: the functions' AWS auth role reached it through replication.
    await w.vault.waitForReplication();
    expect(w.vault.cluster('west').drStatus().cluster_id).toBe(w.vault.cluster('east').drStatus().cluster_id);

    const again = await run(w, { operation: 'bootstrap' });
    expect(again.outcome).toBe('no-op');
    expect(again.summary).toBe('nothing to do: west is the DR secondary of east and streams from it');
    expect(transitions(w)).toHaveLength(2);
    expect(await w.lease()).toBeUndefined();
  });

  it('works with the narrower token of docs/contracts.md, whose own policy is not taken for data', async () => {
    const w = await newWorld();
    const token = await docsPolicyToken(w, 'west', 'bootstrap-secondary-policy');
    const answer = await run(w, { operation: 'bootstrap', primary: 'east', secondaryToken: token });
    expect(answer.outcome).toBe('succeeded');
    expect(answer.timeline.find((e) => e.step === 'check west holds no data')?.detail).toMatch(/^none \(/);
  });

  it('refuses a token that may not enable the cluster, before any change', async () => {
    const w = await newWorld();
    expect((await request(w, 'west', 'PUT', 'sys/policies/acl/look-only', { policy: 'path "sys/mounts" { capabilities = ["read"] }' })).status).toBe(204);
    const weak = (await request(w, 'west', 'POST', 'auth/token/create', { policies: ['look-only'] })).body.auth.client_token as string;
    const { error } = await attempt(w, { operation: 'bootstrap', primary: 'east', secondaryToken: weak });
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toMatch(/the token given for west may not enable it as a DR secondary/);
    expect(transitions(w)).toEqual([]);
  });

  it('refuses when the would-be secondary holds data, naming it; forced, it erases it and attaches', async () => {
    const w = await newWorld();
    expect((await request(w, 'west', 'POST', 'secret/payments/db', { password: 'west-only' })).status).toBe(204);
    expect((await request(w, 'west', 'PUT', 'sys/policies/acl/payments-read', { policy: 'path "secret/payments/*" { capabilities = ["read"] }' })).status).toBe(204);
    const { error } = await attempt(w, { operation: 'bootstrap', primary: 'east', secondaryToken: root(w) });
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toMatch(/enabling west as a DR secondary erases all its data, and it holds some \(KV mount secret\/ with 1 key\(s\) at its top level; ACL policy payments-read\)/);
    expect(error?.details?.next?.event).toEqual({ operation: 'bootstrap', primary: 'east', force: true, secondaryToken: '<a token of west>' });
    expect(transitions(w)).toEqual([]);

    const forced = await run(w, { operation: 'bootstrap', primary: 'east', secondaryToken: root(w), force: true });
    expect(forced.outcome).toBe('succeeded');
    expect(streaming(w)).toBe(true);
    await w.vault.waitForReplication();
    expect(w.vault.observer.writesHeldBy('west')).toEqual([]);
  });

  it('never logs or returns the token it was given', async () => {
    const w = await newWorld();
    const token = await docsPolicyToken(w, 'west', 'bootstrap-secondary-policy');
    const { answer, lines } = await attempt(w, { operation: 'bootstrap', primary: 'east', secondaryToken: token, dryRun: true });
    const { lines: realLines, answer: real } = await attempt(w, { operation: 'bootstrap', primary: 'east', secondaryToken: token });
    expect(real?.outcome).toBe('succeeded');
    const everything = [...lines, ...realLines, JSON.stringify(answer), JSON.stringify(real)].join('\n');
    expect(everything).not.toContain(token);
    expect(everything).not.toContain(root(w));
    expect(lines.filter((l) => l.includes('"step started"')).length).toBeGreaterThan(3);
  });

  it('picks up after an enable whose answer was lost: the next run finds west attached and waits for it', async () => {
    const w = await newWorld();
    w.vault.cluster('west').dropAnswers({ path: 'sys/replication/dr/secondary/enable', times: 1 });
    const { error } = await attempt(w, { operation: 'bootstrap', primary: 'east', secondaryToken: root(w) });
    expect(error).toBeInstanceOf(StepFailedError);
    expect(error?.details?.changed).toEqual(['enabled DR replication on east (DR primary)']);
    expect(error?.details?.next?.event).toEqual({ operation: 'bootstrap', primary: 'east', secondaryToken: '<a token of west>' });
    // The enable was applied: west's storage (the token with it) is gone, and none is needed now.
    const again = await run(w, { operation: 'bootstrap', primary: 'east' });
    expect(again.outcome).toBe('no-op');
    expect(streaming(w)).toBe(true);
  });
});

describe('bootstrap of a primary with a disabled cluster beside it', () => {
  it('takes the DR primary as the primary without enabling it again', async () => {
    const w = await newWorld({ initialState: 'primary-only' });
    const answer = await run(w, { operation: 'bootstrap', secondaryToken: root(w) });
    expect(answer.outcome).toBe('succeeded');
    expect(transitions(w)).toEqual(['west disabled->secondary (secondary/enable)']);
    expect(w.vault.cluster('east').requests().some((r) => r.path === 'sys/replication/dr/primary/enable')).toBe(false);
  });
});

describe('bootstrap of a pair that already replicates', () => {
  it('is a no-op', async () => {
    const w = await newWorld({});
    const answer = await run(w, { operation: 'bootstrap' });
    expect(answer.outcome).toBe('no-op');
    expect(transitions(w)).toEqual([]);
  });

  it('refuses a secondary of another replication set; forced with a DR operation token of it, re-points it with update-primary', async () => {
    const w = await newWorld({});
    // A batch DR token of the old set opens on west (it holds that set's keyring).
    const { token: drToken } = await w.vault.createDrBatchToken({ ttl: '1h' });
    // east leaves the set and becomes a primary again: a new replication set id (replication-dr API, "Disable DR Primary").
    expect((await request(w, 'east', 'POST', 'sys/replication/dr/primary/disable')).status).toBe(200);
    const { error } = await attempt(w, { operation: 'bootstrap', primary: 'east' });
    expect(error).toBeInstanceOf(RefusedError);
    expect(error?.message).toMatch(/west replicates from another primary/);
    expect(transitions(w)).toEqual(['east primary->disabled (primary/disable)']);

    const forced = await run(w, { operation: 'bootstrap', primary: 'east', force: true, secondaryToken: drToken });
    expect(forced.outcome).toBe('succeeded');
    expect(forced.changed).toEqual(['enabled DR replication on east (DR primary)', "west attached to east with update-primary (its data is replaced by east's)"]);
    expect(streaming(w)).toBe(true);
  });
});
