/** Which cluster DNS points at, and the weights that say so: rules stated independently of the code. */
import type { ClusterView } from '../../../functions/shared/cluster-probe';
import { chooseDnsTarget } from '../../../functions/dns-switch/choose-primary';
import { plannedWeights, weightsMatch } from '../../../functions/dns-switch/switch-weights';
import { parseDnsSwitchEvent } from '../../../functions/dns-switch/event';
import { InputError } from '../../../functions/shared/errors';

const view = (name: string, role: ClusterView['role']): ClusterView => ({ name, address: `https://${name}:8200`, role, reachable: role !== 'unreachable' });

describe('chooseDnsTarget', () => {
  it('points at the only cluster that answers as active primary, whatever its position', () => {
    expect(chooseDnsTarget([view('east', 'primary'), view('west', 'dr-secondary')], undefined)).toEqual({ kind: 'switch', primary: 'east' });
    expect(chooseDnsTarget([view('east', 'unreachable'), view('west', 'primary')], undefined)).toEqual({ kind: 'switch', primary: 'west' });
  });

  it.each(['dr-secondary', 'standalone', 'no-leader', 'sealed', 'error', 'unreachable'] as const)('never points at a cluster that answers as %s', (role) => {
    expect(chooseDnsTarget([view('east', role), view('west', 'dr-secondary')], undefined)).toEqual({ kind: 'refuse', why: expect.any(String) });
    expect(chooseDnsTarget([view('west', role)], 'west')).toEqual(expect.objectContaining({ kind: 'refuse', why: `west was expected to be the active primary but answers as ${role}` }));
  });

  it('refuses a split brain', () => {
    expect(chooseDnsTarget([view('east', 'primary'), view('west', 'primary')], undefined)).toEqual(expect.objectContaining({ kind: 'refuse', next: expect.objectContaining({ choose: { field: 'demote', from: ['east', 'west'] } }) }));
  });

  it("with an expected primary, trusts only that cluster's answer", () => {
    expect(chooseDnsTarget([view('west', 'primary')], 'west')).toEqual({ kind: 'switch', primary: 'west' });
    expect(chooseDnsTarget([view('east', 'primary')], 'west')).toEqual(expect.objectContaining({ kind: 'refuse' }));
  });
});

describe('weights', () => {
  it('gives the primary 255 and every other cluster 0', () => {
    expect(plannedWeights({ east: 255, west: 0 }, 'west')).toEqual({ east: 0, west: 255 });
    expect(plannedWeights({ east: 0, west: 0 }, 'east')).toEqual({ east: 255, west: 0 });
    expect(plannedWeights({ east: 17, west: 200 }, 'west')).toEqual({ east: 0, west: 255 });
  });

  it('needs a change unless every weight is already right', () => {
    expect(weightsMatch({ east: 255, west: 0 }, { east: 255, west: 0 })).toBe(true);
    expect(weightsMatch({ east: 255, west: 1 }, { east: 255, west: 0 })).toBe(false);
    expect(weightsMatch({ east: 254, west: 0 }, { east: 255, west: 0 })).toBe(false);
    expect(weightsMatch({ east: 255 }, { east: 255, west: 0 })).toBe(false);
  });
});

describe('parseDnsSwitchEvent', () => {
  it('accepts an empty event and the chained fields', () => {
    expect(parseDnsSwitchEvent(undefined)).toEqual({ dryRun: false, expectedPrimary: undefined, leaseOwner: undefined, budgetMs: undefined });
    expect(parseDnsSwitchEvent({ expectedPrimary: 'west', leaseOwner: 'dr-operations/x', budgetMs: 5000 })).toEqual({ dryRun: false, expectedPrimary: 'west', leaseOwner: 'dr-operations/x', budgetMs: 5000 });
  });

  it.each([
    [{ dryRun: 'no' }, 'dryRun'],
    [{ leaseOwner: 'x' }, 'leaseOwner'],
    [{ budgetMs: -5 }, 'budgetMs'],
    [{ budgetMs: '100' }, 'budgetMs'],
    [{ expected: 'west' }, 'expected'],
    [[], 'event'],
  ])('names the field of %j', (event, field) => {
    try {
      parseDnsSwitchEvent(event);
      throw new Error('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(InputError);
      expect((err as InputError).field).toBe(field);
    }
  });
});
