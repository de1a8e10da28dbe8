/**
 * The decisions behind failover, switchover and link, from synthetic cluster answers. The same
 * rules are exercised end to end against the simulator in the other files; these cover every
 * branch cheaply.
 */
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { InputError, RefusedError } from '../../../functions/shared/errors';
import { parseOperationEvent } from '../../../functions/dr-operations/handler';
import { planFailover } from '../../../functions/dr-operations/failover';
import { planLink } from '../../../functions/dr-operations/link';
import { planSwitchover } from '../../../functions/dr-operations/switchover';

const at = (name: string) => ({ name, address: `https://${name}.example.com:8200` });
const primary = (name: string): ClusterView => ({ ...at(name), role: 'primary', reachable: true, healthStatus: 200, drMode: 'primary', drState: 'running' });
const secondary = (name: string, extra: Partial<ClusterView> = {}): ClusterView => ({
  ...at(name),
  role: 'dr-secondary',
  reachable: true,
  healthStatus: 472,
  drMode: 'secondary',
  drState: 'stream-wals',
  connectedToPrimary: true,
  hasKnownPrimary: true,
  ...extra,
});
const demoted = (name: string): ClusterView => secondary(name, { drState: 'idle', connectedToPrimary: false, hasKnownPrimary: false });
const unreachable = (name: string): ClusterView => ({ ...at(name), role: 'unreachable', reachable: false, problem: 'ECONNREFUSED' });
const sealed = (name: string): ClusterView => ({ ...at(name), role: 'sealed', reachable: true, healthStatus: 503 });
const erroring = (name: string): ClusterView => ({ ...at(name), role: 'error', reachable: true, healthStatus: 500 });
const standalone = (name: string): ClusterView => ({ ...at(name), role: 'standalone', reachable: true, healthStatus: 200, drMode: 'disabled' });

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RefusedError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('planFailover', () => {
  it('promotes the healthy DR secondary of a dead primary and leaves the dead one alone', () => {
    const plan = planFailover([unreachable('east'), secondary('west', { connectedToPrimary: false })], false);
    expect(plan).toMatchObject({ kind: 'promote', target: { name: 'west' }, demoteFirst: false, demoteAfter: false, forcePromote: false });
  });

  it('tries to demote an old primary that answers without being a primary, after the promotion', () => {
    expect(planFailover([erroring('east'), secondary('west')], false)).toMatchObject({ kind: 'promote', demoteAfter: true });
    expect(planFailover([sealed('east'), secondary('west')], false)).toMatchObject({ kind: 'promote', demoteAfter: false });
  });

  it('infers roles from the answers, not from the order or the names', () => {
    const plan = planFailover([secondary('primary'), unreachable('secondary')], false);
    expect(plan).toMatchObject({ kind: 'promote', target: { name: 'primary' } });
  });

  it('is a no-op when the only primary has no healthy DR secondary to fail over to', () => {
    expect(planFailover([unreachable('east'), primary('west')], false)).toMatchObject({ kind: 'no-op' });
    expect(planFailover([demoted('east'), primary('west')], false)).toMatchObject({ kind: 'no-op' });
  });

  it('refuses to fail over from a healthy primary unless forced, and then demotes it first', () => {
    expect(refusal(() => planFailover([primary('east'), secondary('west')], false))).toMatch(/healthy active primary.*switchover/);
    expect(planFailover([primary('east'), secondary('west')], true)).toMatchObject({ kind: 'promote', target: { name: 'west' }, demoteFirst: true });
  });

  it('refuses a split brain, even with force', () => {
    expect(refusal(() => planFailover([primary('east'), primary('west')], true))).toMatch(/split brain/);
  });

  it('refuses when neither cluster answers', () => {
    expect(refusal(() => planFailover([unreachable('east'), unreachable('west')], true))).toMatch(/neither cluster answers/);
  });

  it('refuses an unhealthy DR secondary unless forced, and then uses Vault\'s force', () => {
    const syncing = secondary('west', { drState: 'merkle-sync' });
    expect(refusal(() => planFailover([unreachable('east'), syncing], false))).toMatch(/not a healthy DR secondary.*force: true/);
    expect(planFailover([unreachable('east'), syncing], true)).toMatchObject({ kind: 'promote', forcePromote: true });
  });

  it('refuses when both clusters are DR secondaries, or the other one is active without replication', () => {
    expect(refusal(() => planFailover([demoted('east'), secondary('west')], true))).toMatch(/both are DR secondaries/);
    expect(refusal(() => planFailover([standalone('east'), secondary('west')], true))).toMatch(/two active clusters/);
  });
});

describe('planSwitchover', () => {
  it('swaps a healthy, connected pair', () => {
    expect(planSwitchover([secondary('east'), primary('west')], false)).toMatchObject({ primary: { name: 'west' }, secondary: { name: 'east' } });
  });

  it('refuses a disconnected secondary unless forced, and anything without one primary', () => {
    expect(refusal(() => planSwitchover([primary('east'), secondary('west', { connectedToPrimary: false })], false))).toMatch(/not connected/);
    expect(planSwitchover([primary('east'), secondary('west', { connectedToPrimary: false })], true)).toMatchObject({ secondary: { name: 'west' } });
    expect(refusal(() => planSwitchover([unreachable('east'), secondary('west')], true))).toMatch(/use failover/);
    expect(refusal(() => planSwitchover([primary('east'), primary('west')], true))).toMatch(/split brain/);
    expect(refusal(() => planSwitchover([primary('east'), demoted('west')], true))).toMatch(/not a healthy DR secondary/);
  });
});

describe('planLink', () => {
  it('re-attaches a demoted cluster and is a no-op for a streaming one', () => {
    expect(planLink([primary('east'), demoted('west')], undefined, false)).toMatchObject({ kind: 'link', primary: { name: 'east' }, secondary: { name: 'west' }, demoteFirst: false });
    expect(planLink([primary('east'), secondary('west')], undefined, false)).toMatchObject({ kind: 'no-op' });
  });

  it('in a split brain, demotes only the cluster the operator names', () => {
    expect(refusal(() => planLink([primary('east'), primary('west')], undefined, false))).toMatch(/split brain.*demote/);
    expect(planLink([primary('east'), primary('west')], 'east', false)).toMatchObject({ kind: 'link', primary: { name: 'west' }, secondary: { name: 'east' }, demoteFirst: true });
  });

  it('names the demote field when it is wrong', () => {
    expect(() => planLink([primary('east'), primary('west')], 'north', false)).toThrow(InputError);
    expect(() => planLink([primary('east'), demoted('west')], 'west', false)).toThrow(/demote: is only for a split brain/);
  });

  it('refuses a cluster that does not answer as a DR secondary', () => {
    expect(refusal(() => planLink([primary('east'), unreachable('west')], undefined, false))).toMatch(/link it when it returns/);
    expect(refusal(() => planLink([primary('east'), standalone('west')], undefined, false))).toMatch(/by hand/);
    expect(refusal(() => planLink([primary('east'), secondary('west', { connectedToPrimary: false })], undefined, false))).toMatch(/8201/);
  });
});

describe('parseOperationEvent', () => {
  it('accepts the documented fields with their defaults', () => {
    expect(parseOperationEvent({ operation: 'failover' })).toEqual({ operation: 'failover', dryRun: false, force: false, demote: undefined });
    expect(parseOperationEvent({ operation: 'link', demote: 'east', dryRun: true })).toMatchObject({ demote: 'east', dryRun: true });
  });

  it.each([
    [{}, 'operation', /is required/],
    [{ operation: 'promote' }, 'operation', /one of status, failover, switchover, link/],
    [{ operation: 'failover', dryRun: 'yes' }, 'dryRun', /true or false/],
    [{ operation: 'failover', force: 1 }, 'force', /true or false/],
    [{ operation: 'failover', dryrun: true }, 'dryrun', /not a known field/],
    [{ operation: 'failover', demote: 'east' }, 'demote', /only accepted by the link operation/],
    ['failover', 'event', /JSON object/],
  ])('refuses %j naming %s', (event, field, message) => {
    try {
      parseOperationEvent(event);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).field).toBe(field);
      expect((err as Error).message).toMatch(message);
    }
  });
});
