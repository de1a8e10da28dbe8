/**
 * Reading the functions' environment variables (docs/contracts.md). Every problem names the
 * variable and says what a good value looks like, so a misconfigured deployment fails on its first
 * invocation with a message an operator can act on.
 */
import { InputError } from './errors';

export type Env = Readonly<Record<string, string | undefined>>;

export function requiredString(env: Env, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new InputError(name, 'is required and was not set');
  return value;
}

export function optionalString(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

export function optionalInteger(env: Env, name: string, fallback: number, bounds: { min: number; max: number }): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new InputError(name, `must be a whole number from ${bounds.min} to ${bounds.max}, got ${JSON.stringify(raw)}`);
  }
  return value;
}

export function httpsUrl(name: string, raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(name, `must be an https:// URL, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'https:') throw new InputError(name, `must be an https:// URL (TLS is always on), got ${JSON.stringify(raw)}`);
  return url.origin;
}
