/**
 * Reading request body fields the way Vault's framework coerces them: strings, booleans given as
 * JSON booleans or "true"/"false", lists given as arrays or comma-separated strings, durations.
 * A wrong type answers 400, as Vault does.
 */
import { parseDurationSeconds } from './duration';
import { badRequest } from './envelope';

export type Body = Readonly<Record<string, unknown>>;

export function optionalString(body: Body, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw badRequest(`error converting input for field "${key}": expected a string`);
}

export function optionalBool(body: Body, key: string): boolean | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === '1' || value === 1) return true;
  if (value === 'false' || value === '0' || value === 0) return false;
  throw badRequest(`error converting input for field "${key}": expected a boolean`);
}

export function optionalList(body: Body, key: string): string[] | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  }
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return [...(value as string[])];
  throw badRequest(`error converting input for field "${key}": expected a list of strings`);
}

/** Seconds, from a duration string or a number of seconds. */
export function optionalDuration(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) throw badRequest(`error converting input for field "${key}": invalid duration "${String(value)}"`);
  return seconds;
}
