/**
 * Validation of invocation events. Unknown fields are refused rather than ignored: a typo such as
 * `dryrun` must not turn a rehearsal into a real failover.
 */
import { InputError } from './errors';

export type EventObject = Readonly<Record<string, unknown>>;

/** The event as an object with only `allowed` keys. A missing event is `{}` when `emptyOk`. */
export function eventObject(event: unknown, allowed: readonly string[], emptyOk: boolean): EventObject {
  if ((event === undefined || event === null) && emptyOk) return {};
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    throw new InputError('event', `must be a JSON object with the fields ${allowed.join(', ')}`);
  }
  for (const key of Object.keys(event)) {
    if (!allowed.includes(key)) throw new InputError(key, `is not a known field; the known fields are ${allowed.join(', ')}`);
  }
  return event as EventObject;
}

export function optionalBoolean(event: EventObject, field: string): boolean {
  const value = event[field];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') throw new InputError(field, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

export function optionalText(event: EventObject, field: string): string | undefined {
  const value = event[field];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !value.trim()) throw new InputError(field, `must be a non-empty string, got ${JSON.stringify(value)}`);
  return value.trim();
}

export function requiredText(event: EventObject, field: string): string {
  const value = optionalText(event, field);
  if (value === undefined) throw new InputError(field, 'is required');
  return value;
}

export function requiredChoice<T extends string>(event: EventObject, field: string, choices: readonly T[]): T {
  const value = event[field];
  if (value === undefined) throw new InputError(field, `is required: one of ${choices.join(', ')}`);
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    throw new InputError(field, `must be one of ${choices.join(', ')}, got ${JSON.stringify(value)}`);
  }
  return value as T;
}
