/**
 * The upgrade oracle must fail an upgrade that breaks HashiCorp's order (runbook 9.3): each unit
 * test takes an observation that passes and breaks one thing, written from the rule's wording; the
 * end-to-end tests run the wrong order (the primary first) against the simulator, both ways of the
 * simulator's `replication.newerPrimary`, and assert that the check reports it.
 */
import { runScenario } from '../../scripts/drill/run-scenario';
import scenario, { TO_VERSION, upgradeProblems, upgradeSchedule } from '../../scripts/drill/scenarios/upgrade';
import type { ObservedEvent } from '../vault-simulator';
import { useChaosDoubles } from './use-chaos-doubles';
import type { OperatorStep } from './schedule';
import { judgeUpgrade, type UpgradeObservation } from './upgrade-oracle';

const V = '1.21.3+ent';
const add = (cluster: 'east' | 'west', at: number) => ({ at, step: { atMs: at, step: 'add-node', cluster, version: V } as OperatorStep, what: '' });
const event = (at: number, cluster: string, kind: ObservedEvent['kind'], detail: string, node?: string): ObservedEvent => ({ at, cluster, kind, detail, ...(node ? { node } : {}) });

/** Snapshot at 1, west's nodes from 10 (switch at 20), east's from 30 (switch at 40), a write on east at 50. */
const passing = (): UpgradeObservation => ({
  primary: 'east',
  secondary: 'west',
  version: V,
  operatorSteps: [{ at: 1, step: { atMs: 1, step: 'snapshot', cluster: 'east' }, what: '' }, add('west', 10), add('west', 15), add('east', 30), add('east', 35)],
  events: [
    event(20, 'west', 'node-role', `autopilot upgrade to ${V}: 5 new voters, 5 old ones now non-voters; leadership transferred from west-0`, 'west-7'),
    event(40, 'east', 'node-role', `autopilot upgrade to ${V}: 5 new voters, 5 old ones now non-voters; leadership transferred from east-0`, 'east-6'),
    event(50, 'east', 'client-write', 'east#9 secret/drill/9', 'east-6'),
  ],
  lost: [],
  finalVersions: { east: V, west: V },
});

describe('judgeUpgrade', () => {
  it('passes the documented order', () => {
    expect(judgeUpgrade(passing())).toEqual([]);
  });

  it('fails without a snapshot of the primary, or with one taken after the first new node', () => {
    const o = passing();
    expect(judgeUpgrade({ ...o, operatorSteps: o.operatorSteps.slice(1) })).toEqual(['no snapshot of the primary east was taken']);
    expect(judgeUpgrade({ ...o, operatorSteps: [{ at: 1, step: { atMs: 1, step: 'snapshot', cluster: 'west' }, what: '' }, ...o.operatorSteps.slice(1)] })).toEqual(['no snapshot of the primary east was taken']);
    const late = [...o.operatorSteps.slice(1, 2), { at: 12, step: { atMs: 12, step: 'snapshot', cluster: 'east' } as OperatorStep, what: '' }, ...o.operatorSteps.slice(2)];
    expect(judgeUpgrade({ ...o, operatorSteps: late })).toEqual([`the snapshot of east (at +12 ms) was taken after the first node of ${V} joined (at +10 ms)`]);
  });

  it('fails when the primary gets a new node before the secondary has switched', () => {
    const o = passing();
    const problems = judgeUpgrade({ ...o, operatorSteps: [...o.operatorSteps.slice(0, 2), add('east', 12), ...o.operatorSteps.slice(2)] });
    expect(problems).toEqual([expect.stringMatching(/^wrong order: the primary east got a node of .* \(at \+12 ms\) before the secondary west ran it \(at \+20 ms\)/)]);
  });

  it('fails when either cluster never switched or ends on another version', () => {
    const o = passing();
    expect(judgeUpgrade({ ...o, events: o.events.slice(1), finalVersions: { east: V, west: '1.21.0+ent' } })).toEqual([
      `the secondary west never switched to ${V}`,
      expect.stringMatching(/^wrong order/),
      `west runs 1.21.0+ent in the end, not ${V}`,
    ]);
  });

  it('fails on a newer primary replicating to an older secondary, whatever the simulator made of it', () => {
    const o = passing();
    const detail = `newer primary: east runs ${V}, newer than this secondary's 1.21.0+ent; nothing streams`;
    expect(judgeUpgrade({ ...o, events: [...o.events, event(33, 'west', 'replication', detail)] })).toEqual([`a primary newer than its secondary, at +33 ms (west): ${detail}`]);
  });

  it('fails on a lost write, and when no write was acknowledged after the primary switched', () => {
    const o = passing();
    expect(judgeUpgrade({ ...o, lost: ['east#4'] })).toEqual(['1 acknowledged client write(s) lost: east#4']);
    expect(judgeUpgrade({ ...o, events: o.events.slice(0, 2) })).toEqual([`no client write was acknowledged by east after it switched to ${V}`]);
  });

  it("fails on a switchover (any role transition) and on a leadership change that is not autopilot's", () => {
    const o = passing();
    expect(judgeUpgrade({ ...o, events: [...o.events, event(25, 'east', 'transition', 'demote started (3000 ms)')] })).toEqual([
      'a role change during the upgrade (no switchover in a version upgrade): east demote started (3000 ms) at +25 ms',
    ]);
    expect(judgeUpgrade({ ...o, events: [...o.events, event(26, 'east', 'node-role', 'active node is refused: steps down', 'east-0'), event(28, 'east', 'node-role', 'became the active node', 'east-2')] })).toEqual([
      "a leadership change that was not autopilot's transfer (a step-down or a lost active node): east-0 active node is refused: steps down at +26 ms",
      "a leadership change that was not autopilot's transfer (a step-down or a lost active node): east-2 became the active node at +28 ms",
    ]);
  });
});

describe('the upgrade drill against the simulator', () => {
  const doubles = useChaosDoubles();

  it.each(['refused', 'stream-stops', 'streams'] as const)('the wrong order (the primary first) is reported (newerPrimary %s)', async (newerPrimary) => {
    const { report } = await runScenario(doubles().aws, doubles().tap, { ...scenario, schedule: upgradeSchedule('primary-first', newerPrimary) });
    const problems = upgradeProblems(report);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^wrong order: the primary east got a node of 1\.21\.3\+ent .* before the secondary west ran it/),
        expect.stringMatching(new RegExp(`^a primary newer than its secondary, at \\+\\d+ ms \\(west\\): newer primary: east runs ${TO_VERSION.replace(/[.+]/g, '\\$&')}`)),
      ]),
    );
  }, 120_000);
});
