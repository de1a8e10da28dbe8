/**
 * The failover fault matrix: primary {healthy, sealed, refused, blackholed, 500, slow} x secondary
 * {healthy DR secondary, down, already primary} x DR token {valid, expired, missing} x Route 53
 * {ok, throttled once}. Each row runs a real failover (with the DNS switch chained, the confirmation
 * window and the lease) and asserts the final roles, the weights, that there was never more than one
 * primary, that the operation either left DNS on the one active primary or named a next command, that
 * the lease was given back, and the time bound.
 *
 * The expectations are written as a table of rules an operator would state, not derived from the
 * planner, so a planner bug shows up as a row that fails.
 */
import { runOperation, type OperationAnswer } from '../../../functions/dr-operations/handler';
import { RefusedError, type DrError } from '../../../functions/shared/errors';
import type { ClusterFault } from '../../vault-simulator';
import { createDrWorld, FAST_BOUNDS, FAST_LIVENESS, type AwsDoubles } from '../../support/dr-harness';
import { captureStdout } from '../../support/log-capture';

export const PRIMARY_STATES = ['healthy', 'sealed', 'refused', 'blackholed', '500', 'slow'] as const;
export const SECONDARY_STATES = ['healthy DR secondary', 'down', 'already primary'] as const;
export const TOKEN_STATES = ['valid', 'expired', 'missing'] as const;
export type PrimaryState = (typeof PRIMARY_STATES)[number];
export type SecondaryState = (typeof SECONDARY_STATES)[number];
export type TokenState = (typeof TOKEN_STATES)[number];

export interface Row {
  readonly primary: PrimaryState;
  readonly secondary: SecondaryState;
  readonly token: TokenState;
  readonly route53Throttled: boolean;
}

export interface Expectation {
  /** What the failover returns: a refusal (with why), a no-op, or a promotion of west. */
  readonly result: { kind: 'refused'; why: RegExp } | { kind: 'no-op' } | { kind: 'promoted' };
  /** The clusters answering as primary afterwards. */
  readonly answeringPrimaries: readonly string[];
  /** The cluster the DNS name points at afterwards. */
  readonly dnsPointsAt: 'east' | 'west';
}

const FAULT: Record<PrimaryState, ClusterFault> = { healthy: 'none', sealed: 'sealed', refused: 'down', blackholed: 'blackhole', '500': 'error500', slow: 'slow' };

/**
 * The operator's rules:
 * - A primary that answers as one is alive: with its healthy secondary there is nothing to fail
 *   over from; beside an already promoted west it is a split brain.
 * - A slow primary answers too late for the functions, but its secondary still hears it: it may be
 *   alive, so failover refuses (and says force is the way if the operator knows better).
 * - A sealed, refusing, blackholed or failing primary is down once the window confirms it and the
 *   secondary agrees; then west is promoted, unless the DR token is missing or expired, which is
 *   refused first.
 * - With west down and east not answering as primary, nothing can be promoted.
 * - With west already primary, failover is a no-op that makes sure DNS points at west.
 */
export function expectationFor(row: Row): Expectation {
  const primaryAlive = row.primary === 'healthy';
  // Alive for the functions (it answers as primary in time) or for its secondary (slow).
  const primaryHeard = primaryAlive || row.primary === 'slow';
  switch (row.secondary) {
    case 'already primary':
      // A previous failover promoted west: east still answering as primary is a split brain.
      return primaryAlive
        ? { result: { kind: 'refused', why: /split brain/ }, answeringPrimaries: ['east', 'west'], dnsPointsAt: 'east' }
        : { result: { kind: 'no-op' }, answeringPrimaries: row.primary === 'slow' ? ['east', 'west'] : ['west'], dnsPointsAt: 'west' };
    case 'down':
      return primaryAlive
        ? { result: { kind: 'no-op' }, answeringPrimaries: ['east'], dnsPointsAt: 'east' }
        : { result: { kind: 'refused', why: /neither cluster answers|none is a DR secondary/ }, answeringPrimaries: row.primary === 'slow' ? ['east'] : [], dnsPointsAt: 'east' };
    case 'healthy DR secondary':
      if (primaryAlive) return { result: { kind: 'refused', why: /healthy active primary/ }, answeringPrimaries: ['east'], dnsPointsAt: 'east' };
      if (row.token !== 'valid') {
        return { result: { kind: 'refused', why: /DR operation token (is missing|expired)/ }, answeringPrimaries: primaryHeard ? ['east'] : [], dnsPointsAt: 'east' };
      }
      if (primaryHeard) return { result: { kind: 'refused', why: /the primary may be alive: west still reports its connection to the primary as connected/ }, answeringPrimaries: ['east'], dnsPointsAt: 'east' };
      return { result: { kind: 'promoted' }, answeringPrimaries: ['west'], dnsPointsAt: 'west' };
  }
}

export function rows(route53Throttled: boolean): Row[] {
  return PRIMARY_STATES.flatMap((primary) =>
    SECONDARY_STATES.flatMap((secondary) => TOKEN_STATES.map((token) => ({ primary, secondary, token, route53Throttled }))),
  );
}

/**
 * Worst case with FAST_BOUNDS and FAST_LIVENESS: the first probe of a dead cluster (2 attempts of
 * the 600 ms total), the confirmation probes (one attempt each) over the window, the promotion, and
 * the SDK's back-off after a throttled Route 53 call.
 */
export const TIME_BOUND_MS =
  Number(FAST_BOUNDS.VAULT_MAX_ATTEMPTS) * Number(FAST_BOUNDS.VAULT_REQUEST_TIMEOUT_MS) +
  (Number(FAST_LIVENESS.PRIMARY_DOWN_PROBES) - 1) * Number(FAST_BOUNDS.VAULT_REQUEST_TIMEOUT_MS) +
  Number(FAST_LIVENESS.PRIMARY_DOWN_WINDOW_MS) +
  1500;

export async function runRow(aws: AwsDoubles, row: Row): Promise<void> {
  const expected = expectationFor(row);
  // A slow cluster answers after 1.5 s: past the 600 ms bound of every probe.
  const w = await createDrWorld(aws, { createSecret: row.token !== 'missing', slowMs: 1500 });
  try {
    if (row.token === 'valid') await w.storeDrToken({ ttl: '1h' });
    if (row.token === 'expired') await w.storeDrToken({ ttl: '1h', expiresAt: new Date(Date.now() - 1000) });
    // Set-up for "already primary": west promoted behind the functions' back (east is still a primary).
    if (row.secondary === 'already primary') await w.promoteDirectly('west');
    await w.vault.cluster('east').setFault(FAULT[row.primary]);
    if (row.secondary === 'down') await w.vault.cluster('west').setFault('down');
    aws.route53Proxy.clear();
    if (row.route53Throttled) aws.route53Proxy.throttle(/^POST .*\/rrset/, 1);
    const transitionsBefore = w.vault.transitions().length;
    // The simulator's observer sees every moment: a split-brain row starts with two writable
    // clusters (the set-up made it), every other row with one.
    const overlapsBefore = w.vault.observer.overlaps();
    expect(overlapsBefore).toHaveLength(row.secondary === 'already primary' ? 1 : 0);
    const runStartedAt = w.vault.now();

    const started = Date.now();
    const { result, error } = await captureStdout(() => runOperation({ operation: 'failover' }, w.env.operations));
    const elapsed = Date.now() - started;

    if (expected.result.kind === 'refused') {
      expect(error).toBeInstanceOf(RefusedError);
      expect((error as Error).message).toMatch(expected.result.why);
      expect((error as DrError).details?.changed).toEqual([]);
      expect(w.vault.transitions()).toHaveLength(transitionsBefore);
    } else {
      expect(error).toBeUndefined();
      expect((result as OperationAnswer).outcome).toBe(expected.result.kind === 'promoted' ? 'succeeded' : 'no-op');
    }
    // No dead end: DNS points at the one answering primary, or the outcome names what to run next.
    const primaries = w.vault.answeringPrimaryNames();
    const next = error ? (error as DrError).details?.next : (result as OperationAnswer).next;
    const dnsOnThePrimary = primaries.length === 1 && (await w.weights())[primaries[0] as string] === 255;
    expect(dnsOnThePrimary || next !== null).toBe(true);
    expect(await w.lease()).toBeUndefined();
    expect(w.vault.answeringPrimaryNames().sort()).toEqual(expected.answeringPrimaries);
    if (expected.result.kind === 'promoted') expect(w.vault.transitions().filter((t) => t.to === 'primary')).toHaveLength(1);
    // Never more than one primary: the run itself opened no period with two writable clusters
    // (a split-brain row's period opened before it, at the set-up's promote).
    expect(w.vault.observer.overlaps().filter((o) => o.from >= runStartedAt)).toEqual([]);
    expect(w.vault.observer.overlaps().map((o) => o.from)).toEqual(overlapsBefore.map((o) => o.from));
    expect(await w.weights()).toEqual(expected.dnsPointsAt === 'west' ? { east: 0, west: 255 } : { east: 255, west: 0 });
    expect(elapsed).toBeLessThan(TIME_BOUND_MS);
  } finally {
    await w.stop();
  }
}

export const rowName = (row: Row): string =>
  `primary ${row.primary}, secondary ${row.secondary}, token ${row.token}, Route 53 ${row.route53Throttled ? 'throttled once' : 'ok'}`;
