/**
 * Reading request body fields the way Vault's framework coerces them: strings, booleans given as
 * JSON booleans or "true"/"false", lists given as arrays or comma-separated strings, durations.
 * A wrong type answers 400, as Vault does.
 */
import { parseDurationSeconds } from './duration';
import { VaultError, badRequest } from './envelope';

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

/**
 * A request body as Vault's HTTP layer decodes it (sdk/helper/jsonutil DecodeJSONFromReader into a
 * map): empty is an empty map, JSON null too; anything else that is not an object is refused with
 * Go's encoding/json message. Vault prefixes "failed to parse JSON input: " (http/helpers.go
 * parseJSONRequest).
 */
export function parseJsonBody(raw: string): Body {
  if (raw.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new VaultError(400, `failed to parse JSON input: ${goJsonSyntaxError(raw, error as Error)}`);
  }
  if (parsed === null) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    const kind = Array.isArray(parsed) ? 'array' : typeof parsed === 'boolean' ? 'bool' : typeof parsed;
    throw new VaultError(400, `failed to parse JSON input: json: cannot unmarshal ${kind} into Go value of type map[string]interface {}`);
  }
  return parsed as Body;
}

/** Go's words for the two syntax errors a client really makes: a body cut short, and a stray character. */
function goJsonSyntaxError(raw: string, error: Error): string {
  if (/unexpected end/i.test(error.message)) return 'unexpected EOF';
  const position = /position (\d+)/.exec(error.message)?.[1];
  const character = position === undefined ? raw.trim()[0] : raw[Number(position)];
  return `invalid character '${character ?? ''}' looking for beginning of value`;
}

/**
 * A duration as Vault's parseutil.ParseDurationSecond reads it, failing with Go's time.ParseDuration
 * message (what auth/token/create answers for a bad `ttl` or `explicit_max_ttl`).
 */
export function goDuration(body: Body, key: string): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  const seconds = parseDurationSeconds(value);
  if (seconds === undefined) throw badRequest(`time: invalid duration ${JSON.stringify(String(value))}`);
  return seconds;
}
