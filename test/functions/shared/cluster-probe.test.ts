/**
 * The classification of a cluster from its two answers (sys/health with standbyok, and
 * sys/replication/dr/status), written as a table of what Vault's documentation says each answer
 * means (https://developer.hashicorp.com/vault/api-docs/system/health,
 * https://developer.hashicorp.com/vault/api-docs/system/replication/replication-dr), not derived
 * from the code under test.
 */
import { classify, isDemoted, isHealthyDrSecondary, needsVaultForce, primaryLinkOf, roleFromHealth, type Answer } from '../../../functions/shared/cluster-probe';
import { VaultApiError, type DrStatusData, type HealthAnswer } from '../../../functions/shared/vault-api';
import { VaultUnreachableError } from '../../../functions/shared/vault-http';

const east = { name: 'east', address: 'https://east.example.com:8200' };
const NOW = Date.parse('2026-03-04T10:06:00Z');
const ok = <T>(value: T): Answer<T> => ({ ok: true, value });
const failed = (error: unknown): Answer<never> => ({ ok: false, error });
const health = (status: number, mode?: string, extra: Partial<HealthAnswer> = {}): Answer<HealthAnswer> => ok({ status, ...(mode ? { replication_dr_mode: mode } : {}), ...extra });

const PRIMARY_STATUS: DrStatusData = { mode: 'primary', state: 'running', known_secondaries: ['w1'] };
const secondaryStatus = (extra: Partial<DrStatusData> = {}): DrStatusData => ({
  mode: 'secondary',
  state: 'stream-wals',
  connection_state: 'ready',
  known_primary_cluster_addrs: ['https://east:8201'],
  primaries: [{ api_address: 'https://east:8200', connection_status: 'connected', last_heartbeat: '2026-03-04T10:05:58Z' }],
  last_remote_wal: 223,
  ...extra,
});

describe('roleFromHealth', () => {
  it.each([
    [200, 'primary', 'primary'],
    [200, 'secondary', 'dr-secondary'],
    [200, 'disabled', 'standalone'],
    [200, undefined, 'standalone'],
    [472, 'secondary', 'dr-secondary'],
    [472, undefined, 'dr-secondary'],
    [474, 'primary', 'no-leader'],
    [429, 'primary', 'no-leader'],
    [503, 'unknown', 'sealed'],
    [503, 'primary', 'sealed'],
    [500, 'primary', 'error'],
    [501, undefined, 'error'],
    [530, 'primary', 'error'],
    [473, 'primary', 'error'],
  ])('health %i with DR mode %s is %s', (status, mode, role) => {
    expect(roleFromHealth(status, mode)).toBe(role);
  });
});

describe('classify', () => {
  it('a 200 is a primary only when the DR mode says primary', () => {
    expect(classify(east, health(200, 'primary'), ok(PRIMARY_STATUS), NOW).role).toBe('primary');
    expect(classify(east, health(200, 'disabled'), ok({ mode: 'disabled' }), NOW).role).toBe('standalone');
    expect(classify(east, health(200), failed(new VaultApiError('a', 'p', 500, [])), NOW).role).toBe('standalone');
  });

  it('when dr/status and the health body name different DR modes (a standby not caught up), the cluster is changing role', () => {
    expect(classify(east, health(200, 'primary'), ok(secondaryStatus()), NOW).role).toBe('no-leader');
    expect(classify(east, health(472, 'secondary'), ok(PRIMARY_STATUS), NOW).role).toBe('no-leader');
  });

  it('a sealed cluster is sealed and reachable, not an error', () => {
    const view = classify(east, health(503, 'unknown', { sealed: true }), failed(new VaultApiError('a', 'p', 503, ['Vault is sealed'])), NOW);
    expect(view).toEqual(expect.objectContaining({ role: 'sealed', reachable: true, healthStatus: 503, problem: 'sys/health answered 503' }));
  });

  it('no HTTP answer is unreachable; an answer that fails otherwise is an error that answered', () => {
    expect(classify(east, failed(new VaultUnreachableError('a', 'ECONNREFUSED', false)), failed(new Error('x')), NOW)).toEqual({
      ...east,
      role: 'unreachable',
      reachable: false,
      problem: 'ECONNREFUSED',
    });
    expect(classify(east, failed(new Error('parse')), failed(new Error('x')), NOW)).toEqual(expect.objectContaining({ role: 'error', reachable: true }));
  });

  it('a connected secondary is connected; a disconnected one is not', () => {
    const connected = classify(east, health(472, 'secondary', { server_time_utc: NOW / 1000 }), ok(secondaryStatus()), NOW);
    expect(connected).toEqual(
      expect.objectContaining({ role: 'dr-secondary', drState: 'stream-wals', connectedToPrimary: true, hasKnownPrimary: true, lastRemoteWal: 223, primaryLink: { connected: true, heartbeatAgeMs: 2000 } }),
    );
    const down = classify(
      east,
      health(472, 'secondary', { server_time_utc: NOW / 1000 }),
      ok(secondaryStatus({ connection_state: 'transient_failure', primaries: [{ connection_status: 'disconnected', last_heartbeat: '2026-03-04T10:05:00Z' }] })),
      NOW,
    );
    expect(down).toEqual(expect.objectContaining({ connectedToPrimary: false, hasKnownPrimary: true, primaryLink: { connected: false, heartbeatAgeMs: 60_000 } }));
  });

  it('a demoted cluster knows no primary and has no view of one', () => {
    const view = classify(east, health(472, 'secondary'), ok({ mode: 'secondary', state: 'idle', connection_state: 'idle', primaries: [], known_primary_cluster_addrs: [], last_remote_wal: 0 }), NOW);
    expect(view).toEqual(expect.objectContaining({ role: 'dr-secondary', hasKnownPrimary: false, connectedToPrimary: false }));
    expect(view.primaryLink).toBeUndefined();
    expect(isDemoted(view)).toBe(true);
    expect(isHealthyDrSecondary(view)).toBe(false);
  });

  it('reads WAL indexes sent as strings, and ignores ones that are not whole numbers', () => {
    expect(classify(east, health(472, 'secondary'), ok(secondaryStatus({ last_remote_wal: '42' })), NOW).lastRemoteWal).toBe(42);
    expect(classify(east, health(472, 'secondary'), ok(secondaryStatus({ last_remote_wal: 'x' })), NOW).lastRemoteWal).toBeUndefined();
    expect(classify(east, health(472, 'secondary'), ok(secondaryStatus({ last_remote_wal: -1 })), NOW).lastRemoteWal).toBeUndefined();
  });
});

describe('primaryLinkOf', () => {
  it('ages the newest heartbeat by the secondary\'s own clock when it reports one', () => {
    const status = secondaryStatus({
      primaries: [
        { connection_status: 'disconnected', last_heartbeat: '2026-03-04T10:05:00Z' },
        { connection_status: 'disconnected', last_heartbeat: '2026-03-04T10:05:30Z' },
      ],
    });
    expect(primaryLinkOf(status, NOW / 1000, 0)).toEqual({ connected: false, heartbeatAgeMs: 30_000 });
    expect(primaryLinkOf(status, undefined, NOW + 5000)).toEqual({ connected: false, heartbeatAgeMs: 35_000 });
  });

  it('is connected when any primary entry is, has no age without a heartbeat time, and is absent without primaries', () => {
    expect(primaryLinkOf(secondaryStatus({ primaries: [{ connection_status: 'disconnected' }, { connection_status: 'connected' }] }), undefined, NOW)).toEqual({ connected: true, heartbeatAgeMs: undefined });
    expect(primaryLinkOf(secondaryStatus({ primaries: [{ connection_status: 'disconnected', last_heartbeat: '0001-01-01T00:00:00Z' }] }), undefined, NOW)).toEqual({ connected: false, heartbeatAgeMs: undefined });
    expect(primaryLinkOf(secondaryStatus({ primaries: [] }), undefined, NOW)).toBeUndefined();
  });
});

describe('secondary health', () => {
  const base = classify(east, health(472, 'secondary'), ok(secondaryStatus()), NOW);
  it('is healthy streaming from a known primary, connected or not', () => {
    expect(isHealthyDrSecondary(base)).toBe(true);
    expect(isHealthyDrSecondary({ ...base, connectedToPrimary: false })).toBe(true);
  });
  it.each(['merkle-sync', 'merkle-diff', 'idle'])('is not healthy in %s', (state) => {
    expect(isHealthyDrSecondary({ ...base, drState: state })).toBe(false);
  });
  it('needs Vault\'s force only out of sync', () => {
    expect(needsVaultForce({ ...base, drState: 'merkle-sync' })).toBe(true);
    expect(needsVaultForce({ ...base, drState: 'merkle-diff' })).toBe(true);
    expect(needsVaultForce({ ...base, drState: 'idle' })).toBe(false);
    expect(needsVaultForce(base)).toBe(false);
  });
});
