/**
 * Performance secondaries, stated as the operator's rules: a performance secondary follows the
 * active primary, connected, or the answer names the command that fixes it (link with
 * performanceSecondary); one that follows the right cluster but is cut off is a network problem no
 * command fixes; nothing is re-pointed while the primary is in doubt. The configuration and the
 * event refuse what cannot be meant, each problem with its field.
 */
import { planPerformanceLink } from '../../../functions/dr-operations/link';
import { parseOperationEvent } from '../../../functions/dr-operations/event';
import { parseDrOperationsSettings, drOperationsEnvironment } from '../../../functions/dr-operations/settings';
import { performanceWarnings, updatePrimaryAddresses, withPerformanceNext, type PerformanceReport } from '../../../functions/dr-operations/performance-follow';
import { InputError, RefusedError } from '../../../functions/shared/errors';
import { assessPerformanceSecondary, classifyPerformance, clusterAtAddresses, type PerformanceView } from '../../../functions/shared/performance-probe';
import type { PrimaryRecord } from '../../../functions/shared/primary-record';
import { SettingsError } from '../../../functions/shared/settings/variables';
import { VaultApiError } from '../../../functions/shared/vault-api';
import { VaultUnreachableError } from '../../../functions/shared/vault-http';
import { at, demoted, primary, secondary } from './clusters';

const east = at('east');
const west = at('west');
const pair = [east, west] as const;
const south = { name: 'south', address: 'https://south.example.com:8200' };

const FIX_SOUTH = { function: 'dr-operations', event: { operation: 'link', performanceSecondary: 'south' } };

/** A performance secondary's answer that follows `address`, connected or not. */
const following = (address: string, connected = true, extra: Partial<PerformanceView> = {}): PerformanceView => ({
  name: 'south',
  address: south.address,
  reachable: true,
  mode: 'secondary',
  state: 'stream-wals',
  connectionState: connected ? 'ready' : 'transient_failure',
  connected,
  secondaryId: 'south-1',
  primaryAddresses: [address],
  ...extra,
});

describe('whom a performance secondary follows, from its own status answer', () => {
  it('reads a connected secondary and every address it gives for its primary', () => {
    const view = classifyPerformance(south, {
      data: {
        mode: 'secondary',
        state: 'stream-wals',
        connection_state: 'ready',
        secondary_id: 'south-1',
        primary_cluster_addr: 'https://east.example.com:8201',
        known_primary_cluster_addrs: ['https://10.0.0.5:8201'],
        primaries: [{ api_address: 'https://10.0.0.5:8200', cluster_address: 'https://10.0.0.5:8201', connection_status: 'connected' }],
      },
    });
    expect(view).toEqual({
      name: 'south',
      address: south.address,
      reachable: true,
      mode: 'secondary',
      state: 'stream-wals',
      connectionState: 'ready',
      connected: true,
      secondaryId: 'south-1',
      primaryAddresses: ['https://east.example.com:8201', 'https://10.0.0.5:8201', 'https://10.0.0.5:8200'],
    });
  });

  it('is not connected when neither connection_state nor any primaries entry says so', () => {
    const view = classifyPerformance(south, { data: { mode: 'secondary', state: 'idle', connection_state: 'transient_failure', primaries: [{ api_address: 'https://east.example.com:8200', connection_status: 'disconnected' }] } });
    expect(view.connected).toBe(false);
  });

  it('a primary or a disabled cluster follows nothing', () => {
    expect(classifyPerformance(south, { data: { mode: 'primary', state: 'running', secondaries: [] } })).toMatchObject({ mode: 'primary', connected: false, primaryAddresses: [] });
    expect(classifyPerformance(south, { data: { mode: 'disabled' } })).toMatchObject({ mode: 'disabled', connected: false, primaryAddresses: [] });
  });

  it('an HTTP error answered; no answer is unreachable', () => {
    expect(classifyPerformance(south, { error: new VaultApiError(south.address, 'sys/replication/performance/status', 500, ['internal error']) })).toMatchObject({ reachable: true, connected: false, problem: expect.stringContaining('HTTP 500: internal error') });
    expect(classifyPerformance(south, { error: new VaultUnreachableError(south.address, 'ECONNREFUSED', false) })).toMatchObject({ reachable: false, connected: false, problem: expect.stringContaining('ECONNREFUSED') });
  });
});

describe('which configured cluster an address names', () => {
  const withClusterPort = [east, { ...west, clusterAddress: 'https://west-cluster.example.com:8201' }];
  it('an address or cluster address equal to a cluster\'s', () => {
    expect(clusterAtAddresses(['https://east.example.com:8200'], pair)).toBe('east');
    expect(clusterAtAddresses(['https://west-cluster.example.com:8201/'], withClusterPort)).toBe('west');
  });
  it('another port on the host of exactly one cluster (its load balancer)', () => {
    expect(clusterAtAddresses(['https://west.example.com:8201'], pair)).toBe('west');
  });
  it('nothing when the host is shared by two clusters or unknown (a node\'s own address)', () => {
    const sameHost = [{ name: 'east', address: 'https://127.0.0.1:8200' }, { name: 'west', address: 'https://127.0.0.1:9200' }];
    expect(clusterAtAddresses(['https://127.0.0.1:8201'], sameHost)).toBeUndefined();
    expect(clusterAtAddresses(['https://127.0.0.1:9200'], sameHost)).toBe('west');
    expect(clusterAtAddresses(['https://10.0.0.5:8201'], pair)).toBeUndefined();
    expect(clusterAtAddresses([], pair)).toBeUndefined();
  });
});

describe('what a performance secondary needs', () => {
  const active = (name: string, performance?: object) => ({ name, ...(performance ? { performance } : {}) });

  it('nothing when it follows the active primary, connected', () => {
    expect(assessPerformanceSecondary(following(west.address), active('west'), pair)).toMatchObject({ verdict: 'follows', follows: 'west', connected: true, next: null });
  });

  it('update-primary (link with performanceSecondary) when it follows the demoted or dead old primary', () => {
    for (const connected of [true, false]) {
      const a = assessPerformanceSecondary(following(east.address, connected), active('west'), pair);
      expect(a).toMatchObject({ verdict: 'follows-other', follows: 'east', next: FIX_SOUTH });
      expect(a.detail).toContain('not west');
    }
  });

  it('update-primary when it knows no primary', () => {
    expect(assessPerformanceSecondary(following(east.address, false, { primaryAddresses: [], state: 'idle' }), active('west'), pair)).toMatchObject({ verdict: 'follows-other', follows: undefined, next: FIX_SOUTH });
  });

  it('no command, a network check, when it follows the active primary but is cut off from it', () => {
    const a = assessPerformanceSecondary(following(west.address, false), active('west'), pair);
    expect(a).toMatchObject({ verdict: 'follows-disconnected', follows: 'west', next: null });
    expect(a.detail).toContain('8201');
  });

  it('the active primary\'s list of connected secondaries decides when the addresses name no known cluster', () => {
    const nodeAddress = following('https://10.0.0.5:8201');
    const listing = (connection_status: string) => ({ mode: 'primary', secondaries: [{ node_id: 'south-1', api_address: '', cluster_address: '', connection_status }] });
    expect(assessPerformanceSecondary(nodeAddress, active('west', listing('connected')), pair)).toMatchObject({ verdict: 'follows', follows: 'west' });
    expect(assessPerformanceSecondary(nodeAddress, active('west', listing('disconnected')), pair)).toMatchObject({ verdict: 'follows-other', follows: undefined, next: FIX_SOUTH });
    expect(assessPerformanceSecondary(nodeAddress, active('west'), pair)).toMatchObject({ verdict: 'follows-other', next: FIX_SOUTH });
    // Another secondary's id listed: not this one.
    expect(assessPerformanceSecondary(following('https://10.0.0.5:8201', true, { secondaryId: 'other' }), active('west', listing('connected')), pair).verdict).toBe('follows-other');
  });

  it('the fixing command when it does not answer (link re-points it once it does)', () => {
    const dead: PerformanceView = { name: 'south', address: south.address, reachable: false, connected: false, primaryAddresses: [], problem: 'no answer: ECONNREFUSED' };
    expect(assessPerformanceSecondary(dead, active('west'), pair)).toMatchObject({ verdict: 'unreachable', next: FIX_SOUTH });
  });

  it('no command when it is not a performance secondary: update-primary cannot make it one', () => {
    const promotedAway: PerformanceView = { name: 'south', address: south.address, reachable: true, mode: 'primary', connected: false, primaryAddresses: [] };
    const a = assessPerformanceSecondary(promotedAway, active('west'), pair);
    expect(a).toMatchObject({ verdict: 'not-secondary', next: null });
    expect(a.detail).toContain('primary');
  });

  it('no command while no cluster is the active primary: there is nothing to follow yet', () => {
    expect(assessPerformanceSecondary(following(east.address, false), undefined, pair)).toMatchObject({ verdict: 'no-active-primary', follows: 'east', next: null });
  });
});

describe('the answer of an operation', () => {
  const report = (name: string, verdict: PerformanceReport['verdict'], next: PerformanceReport['next']): PerformanceReport => ({ name, verdict, follows: null, connected: false, repointed: false, detail: `${name} is ${verdict}`, next });
  const fix = { function: 'dr-operations' as const, event: { operation: 'link', performanceSecondary: 'south' }, why: 'w' };
  const relink = { function: 'dr-operations' as const, event: { operation: 'link' }, why: 'r' };

  it('keeps the DR part\'s next command first; the performance fix only when the DR part needs nothing', () => {
    expect(withPerformanceNext(relink, [report('south', 'follows-other', fix)])).toBe(relink);
    expect(withPerformanceNext(null, [report('north', 'follows', null), report('south', 'follows-other', fix)])).toBe(fix);
    expect(withPerformanceNext(null, [])).toBeNull();
  });

  it('warns about each secondary that does not follow, with the event that fixes it, and about no other', () => {
    const warnings = performanceWarnings([report('north', 'follows', null), report('south', 'unreachable', fix)]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('south');
    expect(warnings[0]).toContain('{"operation":"link","performanceSecondary":"south"}');
  });

  it('update-primary pings the cluster port first, then the API address', () => {
    expect(updatePrimaryAddresses(west)).toEqual([west.address]);
    expect(updatePrimaryAddresses({ ...west, clusterAddress: 'https://west.example.com:8201' })).toEqual(['https://west.example.com:8201', west.address]);
  });
});

describe('link with performanceSecondary: the primary to follow', () => {
  const record = (cluster: string): PrimaryRecord => ({ cluster, recordedAt: '2026-12-02T05:00:00.000Z', by: 'test' });
  const refused = (fn: () => unknown): RefusedError => {
    try {
      fn();
    } catch (err) {
      if (err instanceof RefusedError) return err;
      throw err;
    }
    throw new Error('not refused');
  };

  it('the one active primary', () => {
    expect(planPerformanceLink([demoted('east'), primary('west')], 'south', [south], record('west'))).toEqual({ primary: primary('west'), secondary: south });
  });

  it('refuses a name that is not configured, saying which are', () => {
    expect(() => planPerformanceLink([primary('east'), secondary('west')], 'north', [south])).toThrow(InputError);
    expect(() => planPerformanceLink([primary('east'), secondary('west')], 'north', [south])).toThrow(/south/);
    expect(() => planPerformanceLink([primary('east'), secondary('west')], 'south', [])).toThrow(/VAULT_PERFORMANCE_SECONDARIES/);
  });

  it('refuses in a split brain, with the DR command first', () => {
    const err = refused(() => planPerformanceLink([primary('east'), primary('west')], 'south', [south], record('west')));
    expect(err.next?.event).toMatchObject({ operation: 'link', demote: 'east' });
  });

  it('refuses to follow a stale primary (the recorded one does not answer as primary)', () => {
    const gone = { ...at('west'), role: 'unreachable' as const, reachable: false, problem: 'no answer' };
    const err = refused(() => planPerformanceLink([primary('east'), gone], 'south', [south], record('west')));
    expect(err.message).toContain('south is not pointed at it');
  });

  it('refuses with no active primary, naming failover', () => {
    const err = refused(() => planPerformanceLink([secondary('east'), secondary('west')], 'south', [south]));
    expect(err.next?.event).toEqual({ operation: 'failover' });
  });
});

describe('VAULT_PERFORMANCE_SECONDARIES', () => {
  const base = {
    VAULT_CLUSTERS: JSON.stringify(pair),
    VAULT_AWS_AUTH_ROLE: 'dr-operations',
    DR_TOKEN_SECRET_ID: 'secret',
    LEASE_TABLE_NAME: 'lease',
  };
  const parse = (value: string | undefined) => parseDrOperationsSettings({ ...base, ...(value === undefined ? {} : { VAULT_PERFORMANCE_SECONDARIES: value }) });
  const problems = (value: string): { field: string; problem: string }[] => {
    try {
      parse(value);
    } catch (err) {
      if (err instanceof SettingsError) return [...err.issues];
      throw err;
    }
    throw new Error(`accepted ${value}`);
  };

  it('is none by default', () => {
    expect(parse(undefined).performanceSecondaries).toEqual([]);
    expect(parse('[]').performanceSecondaries).toEqual([]);
  });

  it('takes clusters in the shape of VAULT_CLUSTERS, kept as origins', () => {
    expect(parse('[{"name":"south","address":"https://south.example.com:8200/","clusterAddress":"https://south.example.com:8201"}]').performanceSecondaries).toEqual([
      { name: 'south', address: 'https://south.example.com:8200', clusterAddress: 'https://south.example.com:8201' },
    ]);
  });

  it.each([
    ['not JSON', '[{', 'VAULT_PERFORMANCE_SECONDARIES', /must be JSON/],
    ['not a list', '{"name":"south"}', 'VAULT_PERFORMANCE_SECONDARIES', /JSON array/],
    ['plain http', '[{"name":"south","address":"http://south.example.com:8200"}]', 'VAULT_PERFORMANCE_SECONDARIES[0].address', /https/],
    ['no address', '[{"name":"south"}]', 'VAULT_PERFORMANCE_SECONDARIES[0].address', /required/],
    ['a bad name', '[{"name":"so uth","address":"https://s.example.com"}]', 'VAULT_PERFORMANCE_SECONDARIES[0].name', /letters, digits/],
    ['an unknown field', '[{"name":"south","address":"https://s.example.com","region":"x"}]', 'VAULT_PERFORMANCE_SECONDARIES[0].region', /not a known field/],
    ['a name twice', '[{"name":"south","address":"https://s1.example.com"},{"name":"south","address":"https://s2.example.com"}]', 'VAULT_PERFORMANCE_SECONDARIES[1].name', /must differ/],
    ['an address twice', '[{"name":"s1","address":"https://s.example.com"},{"name":"s2","address":"https://s.example.com"}]', 'VAULT_PERFORMANCE_SECONDARIES[1].address', /must differ/],
    ['a DR cluster\'s name', '[{"name":"west","address":"https://south.example.com"}]', 'VAULT_PERFORMANCE_SECONDARIES[0].name', /DR clusters/],
    ['a DR cluster\'s address', '[{"name":"south","address":"https://east.example.com:8200"}]', 'VAULT_PERFORMANCE_SECONDARIES[0].address', /east's/],
  ])('refuses %s, naming the field', (_what, value, field, problem) => {
    const found = problems(value);
    expect(found.map((p) => p.field)).toContain(field);
    expect(found.find((p) => p.field === field)?.problem).toMatch(problem);
  });

  it('is not written when empty, so the function\'s default applies', () => {
    const input = { clusters: pair, caFile: '/ca.pem', awsAuthRole: 'r', secretId: 's', minTokenRemainingSeconds: 600, leaseTableName: 'l' };
    expect(drOperationsEnvironment(input).VAULT_PERFORMANCE_SECONDARIES).toBeUndefined();
    expect(drOperationsEnvironment({ ...input, performanceSecondaries: [] }).VAULT_PERFORMANCE_SECONDARIES).toBeUndefined();
    const written = drOperationsEnvironment({ ...input, performanceSecondaries: [south] });
    expect(JSON.parse(written.VAULT_PERFORMANCE_SECONDARIES as string)).toEqual([south]);
  });
});

describe('the performanceSecondary event field', () => {
  it('is taken by link', () => {
    expect(parseOperationEvent({ operation: 'link', performanceSecondary: 'south' }).performanceSecondary).toBe('south');
    expect(parseOperationEvent({ operation: 'link', performanceSecondary: 'south', dryRun: true })).toMatchObject({ performanceSecondary: 'south', dryRun: true });
    expect(parseOperationEvent({ operation: 'link' }).performanceSecondary).toBeUndefined();
  });

  it.each([
    [{ operation: 'failover', performanceSecondary: 'south' }, /only accepted by the link operation/],
    [{ operation: 'status', performanceSecondary: 'south' }, /only accepted by the link operation/],
    [{ operation: 'link', performanceSecondary: 'south', demote: 'east' }, /leave out demote, force and drOperationToken/],
    [{ operation: 'link', performanceSecondary: 'south', force: true }, /leave out demote, force and drOperationToken/],
    [{ operation: 'link', performanceSecondary: 'south', drOperationToken: 'hvb.x' }, /never a DR operation token/],
    [{ operation: 'link', performanceSecondary: '' }, /non-empty string/],
    [{ operation: 'link', performanceSecondary: 3 }, /non-empty string/],
    [{ operation: 'link', performanceSecondaries: ['south'] }, /not a known field/],
  ])('refuses %j, naming the field', (event, problem) => {
    expect(() => parseOperationEvent(event)).toThrow(problem);
    try {
      parseOperationEvent(event);
    } catch (err) {
      expect((err as SettingsError).issues.map((i) => i.field)).toEqual([expect.stringMatching(/^performanceSecondar/)]);
    }
  });
});
