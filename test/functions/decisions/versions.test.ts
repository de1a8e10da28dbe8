/**
 * The Vault version rule, stated from HashiCorp's docs: "It is not safe to replicate from a newer
 * version of Vault to an older version" (DR API, promote DR secondary); replicated deployments are
 * upgraded secondaries first, then the primary in place (upgrade guide). So switchover and link
 * never make a newer cluster the primary of an older one, force or not (force is about replication
 * health, and a planned change always has the safe way: upgrade the older cluster first); a
 * disaster failover is never blocked, and its next command says to upgrade the old primary before
 * it is re-attached. Unknown versions are not judged.
 */
import { afterUpgradeOf } from '../../../functions/dr-operations/failover';
import { planLink } from '../../../functions/dr-operations/link';
import { planSwitchover } from '../../../functions/dr-operations/switchover';
import { compareVaultVersions, newerOverOlder } from '../../../functions/dr-operations/versions';
import { classify } from '../../../functions/shared/cluster-probe';
import { demoted, primary, refusalOf, secondary, unreachable } from './clusters';

const on = <T extends object>(view: T, version: string | undefined): T => (version === undefined ? view : { ...view, version });

describe('compareVaultVersions', () => {
  it.each([
    ['1.21.0+ent', '1.21.0+ent', 0],
    ['1.21.0+ent', '1.21.1+ent', -1],
    ['1.22.0+ent', '1.21.9+ent', 1],
    ['2.0.0+ent', '1.21.9+ent', 1],
    ['1.10.0', '1.9.0', 1],
    ['v1.21.2', '1.21.10+ent.hsm', -1],
  ])('%s against %s: %i', (a, b, sign) => {
    expect(Math.sign(compareVaultVersions(a, b) as number)).toBe(sign);
  });

  it.each([[undefined, '1.21.0'], ['', '1.21.0'], ['1.21', '1.21.0'], ['latest', '1.21.0']])('%s is not judged', (a, b) => {
    expect(compareVaultVersions(a, b)).toBeUndefined();
    expect(newerOverOlder(on(primary('east'), a), on(secondary('west'), b))).toBeUndefined();
  });
});

describe('switchover', () => {
  it('refuses, even forced, to make a newer secondary the primary of an older one; names both versions and the upgrade to do first', () => {
    for (const force of [false, true]) {
      const refusal = refusalOf(() => planSwitchover([on(primary('east'), '1.21.0+ent'), on(secondary('west'), '1.21.3+ent')], force));
      expect(refusal.reason).toMatch(/^switchover refused: west runs Vault 1\.21\.3\+ent, newer than east's 1\.21\.0\+ent/);
      expect(refusal.reason).toContain('not safe');
      expect(refusal.reason).toContain('upgrade east to 1.21.3+ent or later first');
      expect(refusal.reason).toMatch(/then switch over if you still want to\. force does not change this$/);
      expect(refusal.details.next).toBeNull();
    }
  });

  it('switches over between equal versions, and from a newer primary to an older secondary (the new primary is the older one: the safe direction)', () => {
    const same = [on(primary('east'), '1.21.3+ent'), on(secondary('west'), '1.21.3+ent')] as const;
    expect(planSwitchover(same, false)).toEqual({ primary: same[0], secondary: same[1] });
    const olderSecondary = [on(primary('east'), '1.21.3+ent'), on(secondary('west'), '1.21.0+ent')] as const;
    expect(planSwitchover(olderSecondary, false)).toEqual({ primary: olderSecondary[0], secondary: olderSecondary[1] });
  });
});

describe('link', () => {
  it('refuses, even forced, to attach a cluster older than the primary; its next command is link once it is upgraded', () => {
    for (const force of [false, true]) {
      const refusal = refusalOf(() => planLink([on(primary('west'), '1.21.3+ent'), on(demoted('east'), '1.21.0+ent')], undefined, force));
      expect(refusal.reason).toMatch(/^link refused: west runs Vault 1\.21\.3\+ent, newer than east's 1\.21\.0\+ent.*upgrade east to 1\.21\.3\+ent or later first, then run link/);
      expect(refusal.details.next).toEqual({ function: 'dr-operations', event: { operation: 'link' }, why: expect.stringMatching(/^once east runs 1\.21\.3\+ent or later/) });
    }
  });

  it('attaches a cluster of the same or a newer version', () => {
    for (const version of ['1.21.3+ent', '1.22.0+ent']) {
      expect(planLink([on(primary('west'), '1.21.3+ent'), on(demoted('east'), version)], undefined, false)).toMatchObject({ kind: 'link', demoteFirst: false });
    }
  });

  it('in a split brain still demotes the stale primary (two writers are worse), but plans no re-link when it is older', () => {
    const plan = planLink([on(primary('east'), '1.21.0+ent'), on(primary('west'), '1.21.3+ent')], 'east', false);
    expect(plan).toMatchObject({ kind: 'link', demoteFirst: true, relinkBlocked: expect.stringMatching(/west runs Vault 1\.21\.3\+ent, newer than east's 1\.21\.0\+ent/) });
    expect(planLink([on(primary('east'), '1.21.3+ent'), on(primary('west'), '1.21.3+ent')], 'east', false)).not.toHaveProperty('relinkBlocked');
  });
});

describe('failover: the next command after a disaster', () => {
  it('an old primary that did not answer: link carries the condition, the version it must run', () => {
    expect(afterUpgradeOf(unreachable('east'), on(primary('west'), '1.21.3+ent'), link)).toEqual({
      ...link,
      why: 're-attach east as the DR secondary of west (once it runs Vault 1.21.3+ent or later: replicating from a newer version to an older one is not safe)',
    });
  });

  const link = { function: 'dr-operations' as const, event: { operation: 'link' }, why: 're-attach east as the DR secondary of west' };

  it('keeps link, and says first to upgrade an old primary older than the promoted cluster', () => {
    const next = afterUpgradeOf(on(demoted('east'), '1.21.0+ent'), on(primary('west'), '1.21.3+ent'), link);
    expect(next).toEqual({ ...link, why: expect.stringMatching(/^first upgrade east \(Vault 1\.21\.0\+ent\) to 1\.21\.3\+ent or later: replicating from a newer version to an older one is not safe; then re-attach east/) });
  });

  it('leaves it alone when the promoted cluster is older or equal (the safe direction), or a version is unknown', () => {
    expect(afterUpgradeOf(on(demoted('east'), '1.21.3+ent'), on(primary('west'), '1.21.0+ent'), link)).toBe(link);
    expect(afterUpgradeOf(on(demoted('east'), '1.21.3+ent'), on(primary('west'), '1.21.3+ent'), link)).toBe(link);
    expect(afterUpgradeOf(on(unreachable('east'), 'unknown'), on(primary('west'), '1.21.3+ent'), link)).toBe(link);
    expect(afterUpgradeOf(unreachable('east'), primary('west'), link)).toBe(link);
    expect(afterUpgradeOf(on(demoted('east'), '1.21.0+ent'), on(primary('west'), '1.21.3+ent'), null)).toBeNull();
  });
});

describe('the version a cluster view carries', () => {
  const west = { name: 'west', address: 'https://west.example.com:8200' };
  const answer = (version: unknown) => ({ ok: true as const, value: { status: 200, replication_dr_mode: 'primary', ...(version === undefined ? {} : { version: version as string }) } });
  const dr = { ok: true as const, value: { mode: 'primary', state: 'running' } };

  it('is sys/health `version` (the answering node), and absent when sys/health gives none', () => {
    expect(classify(west, answer('1.21.3+ent'), dr, 0).version).toBe('1.21.3+ent');
    for (const none of [undefined, '', 7]) expect(classify(west, answer(none), dr, 0)).not.toHaveProperty('version');
  });
});
