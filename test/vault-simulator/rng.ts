/**
 * The seeded pseudo-random numbers behind every choice the simulator makes on its own (which node
 * a load balancer gives a connection, which standby wins an election), so that a run replays from
 * its seed. mulberry32: small, fast, and good enough to spread connections.
 */
import { randomInt } from 'node:crypto';

export const SEED_ENV = 'VAULT_SIM_SEED';

/** The seed to use: the option, else VAULT_SIM_SEED, else a fresh random one. */
export function chooseSeed(option: number | undefined): number {
  if (option !== undefined) return checkedSeed(option, 'seed');
  const fromEnv = process.env[SEED_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return checkedSeed(Number(fromEnv), SEED_ENV);
  return randomInt(0, 2 ** 31);
}

function checkedSeed(seed: number, field: string): number {
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new RangeError(`${field} must be a whole number >= 0 (it replays a run), got ${seed}`);
  }
  return seed >>> 0;
}

export class SeededRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  pick<T>(items: readonly T[]): T | undefined {
    if (items.length === 0) return undefined;
    return items[Math.floor(this.next() * items.length)];
  }

  /** An independent stream, so that one consumer's draws do not shift another's. */
  fork(label: string): SeededRandom {
    let hash = 2166136261;
    for (const char of label) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
    return new SeededRandom((this.state ^ hash) >>> 0);
  }
}
