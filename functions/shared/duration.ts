import { InputError } from './errors';

const DURATION = /^(\d+)(s|m|h)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** Seconds in a Vault duration string such as `8h`, `30m`, `90s` or `3600`. */
export function durationSeconds(field: string, raw: string): number {
  const match = DURATION.exec(raw.trim());
  const seconds = match ? Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS] : NaN;
  if (!(seconds > 0)) throw new InputError(field, `must be a duration such as "8h", "30m" or "3600s", got ${JSON.stringify(raw)}`);
  return seconds;
}
