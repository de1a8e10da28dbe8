/**
 * startVaultPair: the project's shape, two clusters (a DR primary and its DR secondary, or a
 * primary and a cluster with DR disabled), built on startVaultWorld; optionally with performance
 * secondaries of the primary beside them.
 */
import type { StartVaultPairOptions, Timings, VaultPair } from './types';
import { startVaultWorld } from './world';

const DEFAULT_NAMES = ['east', 'west'] as const;

export async function startVaultPair(options: StartVaultPairOptions = {}): Promise<VaultPair> {
  const { names = DEFAULT_NAMES, initialState = 'replicating', nodes, versions, transitionMs, slowMs, performanceSecondaries = [], ...world } = options;
  if (names[0] === names[1]) throw new RangeError(`startVaultPair: the two cluster names must differ, got "${names[0]}" twice`);
  if (initialState !== 'replicating' && initialState !== 'primary-only' && initialState !== 'standalone') {
    throw new RangeError(`startVaultPair: initialState must be 'replicating', 'primary-only' or 'standalone', got "${String(initialState)}"`);
  }
  if (!Array.isArray(performanceSecondaries)) {
    throw new RangeError('startVaultPair: performanceSecondaries must be a list of cluster names, e.g. ["south"]');
  }
  const perf = performanceSecondaries.length > 0 && initialState !== 'standalone';
  const sized = nodes === undefined ? {} : { nodes };
  const shorthand: Partial<Timings> = {
    ...(transitionMs === undefined ? {} : { promoteMs: transitionMs, demoteMs: transitionMs }),
    ...(slowMs === undefined ? {} : { slowMs }),
  };
  const started = await startVaultWorld({
    ...world,
    timings: { ...shorthand, ...(world.timings ?? {}) },
    clusters: [
      {
        name: names[0],
        dr: initialState === 'standalone' ? 'disabled' : 'primary',
        ...(perf ? { performance: 'primary' as const } : {}),
        ...sized,
        ...(versions === undefined ? {} : { version: versions[0] }),
      },
      {
        name: names[1],
        dr: initialState === 'replicating' ? { secondaryOf: names[0] } : 'disabled',
        ...sized,
        ...(versions === undefined ? {} : { version: versions[1] }),
      },
      ...performanceSecondaries.map((name) => ({ name, ...(perf ? { performance: { secondaryOf: names[0] } } : {}), ...sized })),
    ],
  });
  return started as VaultPair;
}
