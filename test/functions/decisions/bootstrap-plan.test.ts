/**
 * What bootstrap decides from the clusters' answers, as an operator states the rules:
 * - it never guesses the primary: the one DR primary, or the cluster the operator names;
 * - a healthy pair is left alone; a secondary of this primary that is catching up is waited for;
 * - it never touches a cluster that replicates from another primary, or one that holds data,
 *   unless forced;
 * - it needs both clusters answering, and refuses two primaries outright.
 * And what counts as data on a would-be secondary (what enabling it would erase).
 */
import { evaluateClusterData, type DataAnswers } from '../../../functions/dr-operations/cluster-data';
import { planBootstrap, type ReplicationIds } from '../../../functions/dr-operations/bootstrap';
import { InputError } from '../../../functions/shared/errors';
import { cutOff, demoted, nextOf, primary, refusalOf, sealed, secondary, standalone, unreachable, unsynced } from './clusters';

const SAME_SET: ReplicationIds = { east: 'set-1', west: 'set-1' };
const NO_SETS: ReplicationIds = {};
const ask = { primary: undefined, force: false };

describe('which cluster leads', () => {
  it('takes the one DR primary when the operator names none', () => {
    const plan = planBootstrap([primary('east'), standalone('west')], { east: 'set-1' }, ask);
    expect(plan).toMatchObject({ kind: 'bootstrap', primary: { name: 'east' }, secondary: { name: 'west' }, enablePrimary: false, attach: 'enable' });
  });

  it('asks the operator to choose when neither cluster is a DR primary, offering both', () => {
    const views = [standalone('east'), standalone('west')] as const;
    expect(nextOf(() => planBootstrap(views, NO_SETS, ask))).toEqual(
      expect.objectContaining({ event: { operation: 'bootstrap', primary: '<cluster>' }, choose: { field: 'primary', from: ['east', 'west'] } }),
    );
  });

  it('makes the named cluster the primary, enabling DR on it first, whichever position it has', () => {
    expect(planBootstrap([standalone('east'), standalone('west')], NO_SETS, { primary: 'west', force: false })).toMatchObject({
      kind: 'bootstrap',
      primary: { name: 'west' },
      secondary: { name: 'east' },
      enablePrimary: true,
      attach: 'enable',
    });
  });

  it('refuses to make a cluster the primary when the other one already is (that is a switchover)', () => {
    const refusal = refusalOf(() => planBootstrap([primary('east'), standalone('west')], { east: 'set-1' }, { primary: 'west', force: false }));
    expect(refusal.message).toMatch(/east is the DR primary already/);
    expect(refusal.details.next?.event).toEqual({ operation: 'bootstrap' });
  });

  it('refuses a named primary that is a DR secondary', () => {
    expect(refusalOf(() => planBootstrap([standalone('east'), secondary('west')], { west: 'set-9' }, { primary: 'west', force: false })).message).toMatch(/west is a DR secondary/);
  });

  it('rejects a primary that is not one of the clusters, as input', () => {
    expect(() => planBootstrap([standalone('east'), standalone('west')], NO_SETS, { primary: 'north', force: false })).toThrow(InputError);
  });

  it('refuses two DR primaries, even forced, and points at link for a split brain', () => {
    const refusal = refusalOf(() => planBootstrap([primary('east'), primary('west')], { east: 'a', west: 'b' }, { primary: 'east', force: true }));
    expect(refusal.message).toMatch(/both clusters answer as DR primary/);
    expect(refusal.details.next?.choose).toEqual({ field: 'demote', from: ['east', 'west'] });
  });
});

describe('the pair as it is', () => {
  it('is a no-op on a healthy pair', () => {
    expect(planBootstrap([primary('east'), secondary('west')], SAME_SET, ask)).toMatchObject({ kind: 'no-op', reason: expect.stringMatching(/west is the DR secondary of east and streams/) });
  });

  it('waits for a secondary of this primary that is still syncing or whose link is down', () => {
    expect(planBootstrap([primary('east'), unsynced('west', 'merkle-sync')], SAME_SET, ask).kind).toBe('wait');
    expect(planBootstrap([primary('east'), cutOff('west')], SAME_SET, ask).kind).toBe('wait');
  });

  it('sends a demoted member of the set to link', () => {
    expect(nextOf(() => planBootstrap([primary('east'), demoted('west')], SAME_SET, ask))?.event).toEqual({ operation: 'link' });
  });

  it.each([
    ['unreachable', unreachable('west')],
    ['sealed', sealed('west')],
  ])('refuses while a cluster is %s', (_kind, west) => {
    expect(refusalOf(() => planBootstrap([primary('east'), west], { east: 'set-1' }, { primary: undefined, force: true })).message).toMatch(/west does not answer as an active cluster/);
  });

  it('never turns a DR primary into the secondary, even forced: naming the other cluster primary is refused', () => {
    const refusal = refusalOf(() => planBootstrap([standalone('east'), primary('west')], { west: 'set-2' }, { primary: 'east', force: true }));
    expect(refusal.message).toMatch(/west is the DR primary already/);
    // The way on does not carry force over.
    expect(refusal.details.next?.event).toEqual({ operation: 'bootstrap' });
  });
});

describe('another primary\'s secondary', () => {
  it('refuses a secondary of another replication set, naming force and the token it needs', () => {
    const refusal = refusalOf(() => planBootstrap([primary('east'), secondary('west')], { east: 'set-1', west: 'set-2' }, ask));
    expect(refusal.message).toMatch(/west replicates from another primary/);
    expect(refusal.details.next?.event).toEqual({ operation: 'bootstrap', force: true, secondaryToken: '<a token of west>' });
  });

  it('treats a secondary as foreign when the primary has no replication set yet', () => {
    expect(() => planBootstrap([standalone('east'), secondary('west')], { west: 'set-2' }, { primary: 'east', force: false })).toThrow(/replicates from another primary/);
  });

  it('re-points it with update-primary when forced', () => {
    expect(planBootstrap([primary('east'), secondary('west')], { east: 'set-1', west: 'set-2' }, { primary: undefined, force: true })).toMatchObject({ kind: 'bootstrap', attach: 'update-primary', enablePrimary: false });
  });
});

describe('what counts as data on the would-be secondary', () => {
  const empty: DataAnswers = {
    mounts: { ok: true, value: [{ path: 'cubbyhole/', type: 'cubbyhole' }, { path: 'identity/', type: 'identity' }, { path: 'sys/', type: 'system' }] },
    auth: { ok: true, value: [{ path: 'token/', type: 'token' }] },
    policies: { ok: true, value: ['default', 'root'] },
    ownPolicies: ['root'],
    tokenRoles: { ok: true, value: undefined },
    namespaces: { ok: true, value: undefined },
  };

  it('finds nothing on a freshly initialised cluster', () => {
    expect(evaluateClusterData(empty)).toEqual({ holds: [], unchecked: [], ignored: [] });
  });

  it('counts every secrets engine but the built-in ones, and a KV mount only when it has keys', () => {
    const data = evaluateClusterData({
      ...empty,
      mounts: {
        ok: true,
        value: [
          ...(empty.mounts.ok ? (empty.mounts.value ?? []) : []),
          { path: 'pki/', type: 'pki' },
          { path: 'secret/', type: 'kv', version: '2', keys: { ok: true, value: ['app/'] } },
          { path: 'empty/', type: 'kv', keys: { ok: true, value: undefined } },
        ],
      },
    });
    expect(data.holds).toEqual(['secrets engine pki/ (pki)', 'KV mount secret/ with 1 key(s) at its top level']);
    expect(data.ignored).toEqual(['empty KV mount empty/']);
  });

  it('counts auth methods but token/, policies but default, root and the checking token\'s own, token roles and namespaces', () => {
    const data = evaluateClusterData({
      ...empty,
      auth: { ok: true, value: [{ path: 'token/', type: 'token' }, { path: 'userpass/', type: 'userpass' }] },
      policies: { ok: true, value: ['default', 'root', 'bootstrap-check', 'app-read'] },
      ownPolicies: ['bootstrap-check'],
      tokenRoles: { ok: true, value: ['ci'] },
      namespaces: { ok: true, value: ['team-a/'] },
    });
    expect(data.holds).toEqual(['auth method userpass/ (userpass)', 'ACL policy app-read', 'token role ci', 'namespace team-a/']);
    expect(data.ignored).toEqual(['policy bootstrap-check (carried by the token given for this check)']);
  });

  it('reports what it may not ask as unchecked, never as empty', () => {
    const data = evaluateClusterData({ ...empty, mounts: { ok: false, reason: 'HTTP 403 permission denied' }, namespaces: { ok: false, reason: 'HTTP 403 permission denied' } });
    expect(data.holds).toEqual([]);
    expect(data.unchecked).toEqual(['secrets engines (sys/mounts): HTTP 403 permission denied', 'namespaces (sys/namespaces): HTTP 403 permission denied']);
  });
});
