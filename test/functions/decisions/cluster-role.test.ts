/**
 * What a cluster is, from its two answers (sys/health asked with standbyok and perfstandbyok, and
 * sys/replication/dr/status). The expectations are Vault's documented meanings
 * (https://developer.hashicorp.com/vault/api-docs/system/health,
 * https://developer.hashicorp.com/vault/api-docs/system/replication/replication-dr) and the rules an
 * operator relies on: only an active DR primary is a primary, a sealed cluster is sealed (not an
 * error), a secondary is connected only when it says so, a heartbeat's age is by the secondary's
 * own clock.
 */
import {
  assessTopology,
  classify,
  describeView,
  isDemoted,
  isHealthyDrSecondary,
  needsVaultForce,
  primaryLinkOf,
  probeCluster,
  reasonOf,
  roleFromHealth,
  type Answer,
  type ClusterView,
} from '../../../functions/shared/cluster-probe';
import { VaultApiError, type DrStatusData, type HealthAnswer, type VaultApi } from '../../../functions/shared/vault-api';
import { VaultUnreachableError } from '../../../functions/shared/vault-http';
import { demoted, primary, secondary, unreachable } from './clusters';

const west = { name: 'west', address: 'https://west.example.com:8200' };
const NOW_S = Date.parse('2026-03-04T10:06:00Z') / 1000;
const ok = <T>(value: T): Answer<T> => ({ ok: true, value });
const failed = (error: unknown): Answer<never> => ({ ok: false, error });
const health = (status: number, replication_dr_mode?: string, extra: Partial<HealthAnswer> = {}): Answer<HealthAnswer> =>
  ok({ status, ...(replication_dr_mode === undefined ? {} : { replication_dr_mode }), ...extra });
const refused = () => new VaultUnreachableError('https://west.example.com:8200', 'ECONNREFUSED', false);
const http = (status: number, ...errors: string[]) => new VaultApiError('https://west.example.com:8200', 'sys/replication/dr/status', status, errors);

const PRIMARY: DrStatusData = { mode: 'primary', state: 'running', known_secondaries: ['east'] };
/** A DR secondary streaming from its primary; last heartbeat 2 s before NOW_S. */
const streaming = (extra: Partial<DrStatusData> = {}): DrStatusData => ({
  mode: 'secondary',
  state: 'stream-wals',
  connection_state: 'ready',
  known_primary_cluster_addrs: ['https://east.example.com:8201'],
  primaries: [{ api_address: 'https://east.example.com:8200', connection_status: 'connected', last_heartbeat: '2026-03-04T10:05:58Z' }],
  last_remote_wal: 223,
  ...extra,
});
const DEMOTED: DrStatusData = { mode: 'secondary', state: 'idle', connection_state: 'idle', primaries: [], known_primary_cluster_addrs: [], last_remote_wal: 0 };

describe('the role from sys/health (Vault precedence: sealed, DR secondary, standby)', () => {
  it.each([
    [200, 'primary', 'primary'],
    [200, 'secondary', 'dr-secondary'],
    [200, 'disabled', 'standalone'],
    [200, 'bootstrapping', 'standalone'],
    [200, undefined, 'standalone'],
    [472, 'secondary', 'dr-secondary'],
    [472, undefined, 'dr-secondary'],
    [472, 'primary', 'dr-secondary'],
    [474, 'primary', 'no-leader'],
    [429, 'primary', 'no-leader'],
    [503, 'primary', 'sealed'],
    [503, undefined, 'sealed'],
    [500, 'primary', 'error'],
    [501, 'primary', 'error'],
    [530, 'primary', 'error'],
    [473, 'primary', 'error'],
    [400, 'primary', 'error'],
    [201, 'primary', 'error'],
  ] as const)('health %i with DR mode %s is %s', (status, mode, role) => {
    expect(roleFromHealth(status, mode)).toBe(role);
  });
});

describe('classify', () => {
  describe('a role change not every node has learned (sys/health and the DR status name different modes)', () => {
    // The two answers come over separate connections, so from nodes that may disagree: a standby
    // learns a promote or a demote after the active node. Such a cluster is changing role: neither
    // a primary to keep nor a DR secondary to promote; the operations wait for it to settle.
    it('a standby still says DR secondary (472) while the status says primary: changing, not a DR secondary', () => {
      const view = classify(west, health(472, 'secondary'), ok(PRIMARY), NOW_S * 1000);
      expect(view.role).toBe('no-leader');
      expect(view.problem).toBe('sys/health (472) says DR mode secondary but sys/replication/dr/status says primary: a role change not every node has learned yet');
      expect(isHealthyDrSecondary(view)).toBe(false);
    });

    it('a standby still says primary (200) while the status says DR secondary: changing, not a primary', () => {
      const view = classify(west, health(200, 'primary'), ok(DEMOTED), NOW_S * 1000);
      expect(view.role).toBe('no-leader');
      expect(assessTopology([view, secondary('east')]).kind).toBe('no-primary');
    });

    it('a DR-disabled node beside a status that says primary is changing too', () => {
      expect(classify(west, health(200, 'disabled'), ok(PRIMARY), 0).role).toBe('no-leader');
    });

    it('answers that agree keep their role; a health answer without a mode is not a disagreement', () => {
      expect(classify(west, health(472, 'secondary'), ok(streaming()), NOW_S * 1000).role).toBe('dr-secondary');
      expect(classify(west, health(200, 'primary'), ok(PRIMARY), 0).role).toBe('primary');
      expect(classify(west, health(200), ok(PRIMARY), 0).role).toBe('primary');
      expect(classify(west, health(472), ok(streaming()), NOW_S * 1000).role).toBe('dr-secondary');
    });

    it('a cluster sys/health already calls sealed or leaderless keeps that role, whatever the modes', () => {
      expect(classify(west, health(503, 'secondary'), ok(PRIMARY), 0)).toEqual(expect.objectContaining({ role: 'sealed', problem: 'sys/health answered 503' }));
      expect(classify(west, health(474, 'secondary'), ok(PRIMARY), 0)).toEqual(expect.objectContaining({ role: 'no-leader', problem: 'sys/health answered 474' }));
    });
  });

  it('an active DR primary is a primary, with its replication state and known secondaries', () => {
    expect(classify(west, health(200, 'primary'), ok(PRIMARY), 0)).toEqual({
      ...west,
      role: 'primary',
      reachable: true,
      healthStatus: 200,
      drMode: 'primary',
      drState: 'running',
      knownSecondaries: ['east'],
    });
  });

  it('a 200 is a primary only when the DR mode says so: replication disabled is standalone', () => {
    expect(classify(west, health(200, 'disabled'), ok({ mode: 'disabled' }), 0).role).toBe('standalone');
    expect(classify(west, health(200), ok({}), 0).role).toBe('standalone');
  });

  it('sys/health and the replication status must agree on the DR mode; the health body stands alone only when the status cannot be read', () => {
    expect(classify(west, health(200, 'primary'), ok({ mode: 'disabled' }), 0).role).toBe('no-leader');
    expect(classify(west, health(200, 'disabled'), ok(PRIMARY), 0).role).toBe('no-leader');
    const unread = classify(west, health(200, 'primary'), failed(http(500, 'internal error')), 0);
    expect(unread).toEqual({ ...west, role: 'primary', reachable: true, healthStatus: 200, drMode: 'primary', problem: 'sys/replication/dr/status: HTTP 500: internal error' });
  });

  it('a sealed cluster is sealed and answered: not an error, not unreachable', () => {
    const view = classify(west, health(503, undefined, { sealed: true }), failed(http(503, 'Vault is sealed')), 0);
    expect(view).toEqual({ ...west, role: 'sealed', reachable: true, healthStatus: 503, problem: 'sys/health answered 503' });
  });

  it('a cluster without an active node, or answering 5xx, says which code it answered', () => {
    expect(classify(west, health(474, 'primary'), ok(PRIMARY), 0)).toEqual(expect.objectContaining({ role: 'no-leader', problem: 'sys/health answered 474' }));
    expect(classify(west, health(500), failed(http(500)), 0)).toEqual(expect.objectContaining({ role: 'error', reachable: true, problem: 'sys/health answered 500' }));
  });

  it('no HTTP answer is unreachable; an answer that cannot be used is an error from a cluster that answered', () => {
    expect(classify(west, failed(refused()), failed(refused()), 0)).toEqual({ ...west, role: 'unreachable', reachable: false, problem: 'ECONNREFUSED' });
    expect(classify(west, failed(new SyntaxError('Unexpected token < in JSON')), ok(PRIMARY), 0)).toEqual({
      ...west,
      role: 'error',
      reachable: true,
      problem: 'Unexpected token < in JSON',
    });
  });

  it('keeps the cluster address it was given, and adds none when there is none', () => {
    const withPort = { ...west, clusterAddress: 'https://west.example.com:8201' };
    expect(classify(withPort, health(200, 'primary'), ok(PRIMARY), 0).clusterAddress).toBe('https://west.example.com:8201');
    expect(classify(withPort, failed(refused()), failed(refused()), 0).clusterAddress).toBe('https://west.example.com:8201');
    expect(Object.keys(classify(west, health(200, 'primary'), ok(PRIMARY), 0))).not.toContain('clusterAddress');
  });

  it('a connected DR secondary: connected, its primary known, its heartbeat aged by its own clock', () => {
    expect(classify(west, health(472, 'secondary', { server_time_utc: NOW_S }), ok(streaming()), 0)).toEqual({
      ...west,
      role: 'dr-secondary',
      reachable: true,
      healthStatus: 472,
      drMode: 'secondary',
      drState: 'stream-wals',
      connectionState: 'ready',
      connectedToPrimary: true,
      hasKnownPrimary: true,
      primaryLink: { connected: true, heartbeatAgeMs: 2000 },
      lastRemoteWal: 223,
    });
  });

  it('a DR secondary whose primary connection is down is never read as connected', () => {
    const down = streaming({
      connection_state: 'transient_failure',
      primaries: [{ api_address: 'https://east.example.com:8200', connection_status: 'disconnected', last_heartbeat: '2026-03-04T10:05:00Z' }],
    });
    const view = classify(west, health(472, 'secondary', { server_time_utc: NOW_S }), ok(down), 0);
    expect(view).toEqual(
      expect.objectContaining({ connectedToPrimary: false, hasKnownPrimary: true, connectionState: 'transient_failure', primaryLink: { connected: false, heartbeatAgeMs: 60_000 } }),
    );
    expect(isHealthyDrSecondary(view)).toBe(true);
  });

  it('a secondary knows its primary from either its primaries or its known primary cluster addresses', () => {
    expect(classify(west, health(472, 'secondary'), ok(streaming({ primaries: [] })), 0)).toEqual(expect.objectContaining({ hasKnownPrimary: true, connectedToPrimary: false }));
    expect(classify(west, health(472, 'secondary'), ok(streaming({ known_primary_cluster_addrs: [] })), 0).hasKnownPrimary).toBe(true);
    expect(classify(west, health(472, 'secondary'), ok(streaming({ known_primary_cluster_addrs: undefined, primaries: undefined })), 0).hasKnownPrimary).toBe(false);
  });

  it('a demoted primary is a DR secondary that knows no primary and has no view of one', () => {
    const view = classify(west, health(472, 'secondary'), ok(DEMOTED), 0);
    expect(view).toEqual({
      ...west,
      role: 'dr-secondary',
      reachable: true,
      healthStatus: 472,
      drMode: 'secondary',
      drState: 'idle',
      connectionState: 'idle',
      connectedToPrimary: false,
      hasKnownPrimary: false,
      lastRemoteWal: 0,
    });
    expect(isDemoted(view)).toBe(true);
    expect(isHealthyDrSecondary(view)).toBe(false);
  });

  it('a DR secondary whose replication status cannot be read is not taken for connected, healthy or demoted', () => {
    const view = classify(west, health(472, 'secondary'), failed(http(500, 'internal error')), 0);
    expect(view).toEqual({ ...west, role: 'dr-secondary', reachable: true, healthStatus: 472, drMode: 'secondary', problem: 'sys/replication/dr/status: HTTP 500: internal error' });
    expect(isHealthyDrSecondary(view)).toBe(false);
    expect(isDemoted(view)).toBe(false);
  });

  it('only a secondary carries a view of a primary: a primary never has "connectedToPrimary" or a WAL index read as a secondary\'s', () => {
    const view = classify(west, health(200, 'primary'), ok({ ...PRIMARY, last_remote_wal: 5, primaries: [{ connection_status: 'disconnected' }] }), 0);
    for (const field of ['connectedToPrimary', 'hasKnownPrimary', 'primaryLink', 'lastRemoteWal']) expect(Object.keys(view)).not.toContain(field);
  });

  it('reads WAL indexes sent as strings, and only whole, non-negative numbers', () => {
    const wal = (last_remote_wal: unknown) => classify(west, health(472, 'secondary'), ok(streaming({ last_remote_wal: last_remote_wal as number })), 0).lastRemoteWal;
    expect(wal('42')).toBe(42);
    expect(wal(' 42 ')).toBe(42);
    expect(wal(0)).toBe(0);
    expect(wal('0')).toBe(0);
    for (const bad of ['x', '', '  ', -1, '-1', 1.5, '1.5', null, true, Number.NaN]) expect(wal(bad)).toBeUndefined();
  });
});

describe('a secondary\'s view of its primary (primaryLinkOf)', () => {
  const link = (primaries: DrStatusData['primaries'], serverTimeSeconds: number | undefined, nowMs = 0) => primaryLinkOf(streaming({ primaries }), serverTimeSeconds, nowMs);

  it('is connected when any primary entry is connected, and disconnected only when none is', () => {
    expect(link([{ connection_status: 'disconnected' }, { connection_status: 'connected' }], undefined)?.connected).toBe(true);
    expect(link([{ connection_status: 'disconnected' }, { connection_status: 'disconnected' }], undefined)?.connected).toBe(false);
    expect(link([{}], undefined)?.connected).toBe(false);
  });

  it('ages the newest heartbeat by the secondary\'s clock (server_time_utc), else by ours', () => {
    const beats = [
      { connection_status: 'disconnected', last_heartbeat: '2026-03-04T10:05:00Z' },
      { connection_status: 'disconnected', last_heartbeat: '2026-03-04T10:05:30Z' },
      { connection_status: 'disconnected', last_heartbeat: '2026-03-04T10:05:10Z' },
    ];
    expect(link(beats, NOW_S, 0)).toEqual({ connected: false, heartbeatAgeMs: 30_000 });
    expect(link(beats, undefined, NOW_S * 1000 + 5000)).toEqual({ connected: false, heartbeatAgeMs: 35_000 });
    expect(link(beats, Number.NaN, NOW_S * 1000 + 5000)).toEqual({ connected: false, heartbeatAgeMs: 35_000 });
  });

  it('a heartbeat within the current (whole) second of the secondary\'s clock is 0 ms old, never negative', () => {
    expect(link([{ connection_status: 'connected', last_heartbeat: '2026-03-04T10:06:00.400Z' }], NOW_S)).toEqual({ connected: true, heartbeatAgeMs: 0 });
  });

  it('has no age without a usable heartbeat time (absent, unparsable, or Go\'s zero time)', () => {
    for (const last_heartbeat of [undefined, 'yesterday', '0001-01-01T00:00:00Z']) {
      expect(link([{ connection_status: 'disconnected', ...(last_heartbeat ? { last_heartbeat } : {}) }], NOW_S)).toEqual({ connected: false, heartbeatAgeMs: undefined });
    }
    expect(link([{ connection_status: 'disconnected', last_heartbeat: 'yesterday' }, { connection_status: 'disconnected', last_heartbeat: '2026-03-04T10:05:00Z' }], NOW_S)?.heartbeatAgeMs).toBe(60_000);
    // Answers come from the network: a heartbeat that is not an RFC 3339 string is no heartbeat time.
    expect(link([{ connection_status: 'disconnected', last_heartbeat: 2026 as unknown as string }], NOW_S)?.heartbeatAgeMs).toBeUndefined();
  });

  it('is absent when the secondary lists no primary', () => {
    expect(link([], NOW_S)).toBeUndefined();
    expect(primaryLinkOf({ mode: 'secondary', state: 'idle' }, NOW_S, 0)).toBeUndefined();
  });
});

describe('secondary health', () => {
  it('a healthy DR secondary streams WALs from a primary it knows, connected or not', () => {
    expect(isHealthyDrSecondary(secondary('west'))).toBe(true);
    expect(isHealthyDrSecondary(secondary('west', { connectedToPrimary: false }))).toBe(true);
  });

  it.each(['merkle-sync', 'merkle-diff', 'idle', undefined])('is not healthy in state %s', (drState) => {
    expect(isHealthyDrSecondary(secondary('west', { drState }))).toBe(false);
  });

  it('is not healthy without a known primary, nor when its health answer says it is not a DR secondary', () => {
    expect(isHealthyDrSecondary(secondary('west', { hasKnownPrimary: false }))).toBe(false);
    expect(isHealthyDrSecondary(secondary('west', { hasKnownPrimary: undefined }))).toBe(false);
    // sys/health and dr/status may land on different nodes: a sealed node's answer wins.
    for (const role of ['sealed', 'no-leader', 'error', 'primary'] as const) expect(isHealthyDrSecondary(secondary('west', { role }))).toBe(false);
  });

  it('needs Vault\'s force only out of sync (merkle-sync, merkle-diff)', () => {
    expect(needsVaultForce(secondary('west', { drState: 'merkle-sync' }))).toBe(true);
    expect(needsVaultForce(secondary('west', { drState: 'merkle-diff' }))).toBe(true);
    expect(needsVaultForce(secondary('west', { drState: 'idle' }))).toBe(false);
    expect(needsVaultForce(secondary('west'))).toBe(false);
  });

  it('a demoted cluster is a DR secondary that knows no primary; nothing else is', () => {
    expect(isDemoted(demoted('west'))).toBe(true);
    expect(isDemoted(secondary('west'))).toBe(false);
    expect(isDemoted({ ...unreachable('west'), hasKnownPrimary: false })).toBe(false);
    expect(isDemoted({ ...primary('west'), hasKnownPrimary: false })).toBe(false);
  });
});

describe('assessTopology', () => {
  it('finds the one primary in either position, with the other cluster', () => {
    expect(assessTopology([primary('east'), secondary('west')])).toEqual({ kind: 'one-primary', primary: primary('east'), other: secondary('west') });
    expect(assessTopology([secondary('east'), primary('west')])).toEqual({ kind: 'one-primary', primary: primary('west'), other: secondary('east') });
  });

  it('two primaries are a split brain; none is no primary', () => {
    expect(assessTopology([primary('east'), primary('west')])).toEqual({ kind: 'split-brain', primaries: [primary('east'), primary('west')] });
    expect(assessTopology([unreachable('east'), secondary('west')])).toEqual({ kind: 'no-primary' });
  });
});

describe('describeView: one line an operator reads', () => {
  it('names the cluster, its address, its role and replication state', () => {
    expect(describeView(primary('east'))).toBe('east (https://east.example.com:8200): primary, state running');
    expect(describeView(secondary('west'))).toBe('west (https://west.example.com:8200): dr-secondary, state stream-wals');
  });

  it('says when a secondary\'s primary connection is down, and when a cluster is demoted', () => {
    expect(describeView(secondary('west', { connectedToPrimary: false }))).toBe('west (https://west.example.com:8200): dr-secondary, state stream-wals, primary connection down');
    expect(describeView(demoted('west'))).toBe('west (https://west.example.com:8200): dr-secondary (demoted, no primary), state idle');
  });

  it('gives the problem of a cluster that did not answer normally', () => {
    expect(describeView(unreachable('east'))).toBe('east (https://east.example.com:8200): unreachable, UND_ERR_CONNECT_TIMEOUT');
  });
});

describe('reasonOf', () => {
  it('says why a call failed in a few words, whatever was thrown', () => {
    expect(reasonOf(new VaultUnreachableError('https://west:8200', 'no answer within 2500 ms', true))).toBe('no answer within 2500 ms');
    expect(reasonOf(http(503, 'Vault is sealed', 'try later'))).toBe('HTTP 503: Vault is sealed; try later');
    expect(reasonOf(http(500))).toBe('HTTP 500');
    expect(reasonOf(new Error('socket hang up'))).toBe('socket hang up');
    expect(reasonOf('plain string')).toBe('plain string');
    expect(reasonOf(null)).toBe('null');
    expect(reasonOf(undefined)).toBe('undefined');
  });
});

describe('probeCluster', () => {
  function fakeApi(answers: { health: () => Promise<HealthAnswer>; drStatus: () => Promise<DrStatusData> }) {
    const calls: string[] = [];
    const api = {
      health: (fresh: boolean) => (calls.push(`health fresh=${fresh}`), answers.health()),
      drStatus: (fresh: boolean) => (calls.push(`drStatus fresh=${fresh}`), answers.drStatus()),
    } as unknown as VaultApi;
    return { api, calls };
  }

  it('asks sys/health and the DR status at once, so a dead cluster costs one timeout', async () => {
    let release: () => void = () => undefined;
    const bothAsked = new Promise<void>((resolve) => (release = resolve));
    const { api, calls } = fakeApi({
      // sys/health answers only once the DR status has been asked too.
      health: async () => (await bothAsked, { status: 472, replication_dr_mode: 'secondary' }),
      drStatus: async () => (release(), streaming()),
    });
    const view = await probeCluster(west, api);
    expect(view).toEqual(expect.objectContaining({ ...west, role: 'dr-secondary', connectedToPrimary: true, hasKnownPrimary: true }));
    expect(calls).toEqual(['health fresh=false', 'drStatus fresh=false']);
  });

  it('a confirmation probe asks both on new connections', async () => {
    const { api, calls } = fakeApi({ health: async () => ({ status: 200, replication_dr_mode: 'primary' }), drStatus: async () => PRIMARY });
    expect((await probeCluster(west, api, true)).role).toBe('primary');
    expect(calls).toEqual(['health fresh=true', 'drStatus fresh=true']);
  });

  it('turns failed calls into the view of a cluster that did not answer', async () => {
    const { api } = fakeApi({ health: async () => Promise.reject(refused()), drStatus: async () => Promise.reject(refused()) });
    expect(await probeCluster(west, api)).toEqual({ ...west, role: 'unreachable', reachable: false, problem: 'ECONNREFUSED' });
    const halfway = fakeApi({ health: async () => ({ status: 472, replication_dr_mode: 'secondary' }), drStatus: async () => Promise.reject(http(500, 'internal error')) });
    expect(await probeCluster(west, halfway.api)).toEqual(expect.objectContaining({ role: 'dr-secondary', problem: 'sys/replication/dr/status: HTTP 500: internal error' }));
  });

  it('ages a heartbeat against the time of the probe when the secondary gives no clock', async () => {
    const beat = new Date(Date.now() - 60_000).toISOString();
    const { api } = fakeApi({
      health: async () => ({ status: 472, replication_dr_mode: 'secondary' }),
      drStatus: async () => streaming({ primaries: [{ connection_status: 'disconnected', last_heartbeat: beat }] }),
    });
    const age = (await probeCluster(west, api)).primaryLink?.heartbeatAgeMs as number;
    expect(age).toBeGreaterThanOrEqual(60_000);
    expect(age).toBeLessThan(70_000);
  });
});

/** Keeps the fixtures honest: they are what classify makes of the answers they stand for. */
describe('the decision tests\' cluster fixtures', () => {
  const same = (view: ClusterView, fixture: ClusterView) => {
    for (const field of ['role', 'reachable', 'drState', 'connectedToPrimary', 'hasKnownPrimary'] as const) expect(view[field]).toEqual(fixture[field]);
  };
  it('match the classification of the answers they describe', () => {
    same(classify(west, health(200, 'primary'), ok(PRIMARY), 0), primary('west'));
    same(classify(west, health(472, 'secondary'), ok(streaming()), 0), secondary('west'));
    same(classify(west, health(472, 'secondary'), ok(DEMOTED), 0), demoted('west'));
    same(classify(west, failed(refused()), failed(refused()), 0), unreachable('west'));
  });
});
