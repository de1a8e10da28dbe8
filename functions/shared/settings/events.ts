/**
 * Rules for invocation events. Unknown fields are refused rather than ignored: a typo such as
 * `dryrun` must not turn a rehearsal into a real failover. Every problem names its field.
 */
import * as v from 'valibot';

const quoted = (input: unknown): string => JSON.stringify(input) ?? String(input);

/** A strict object: unknown fields and missing required ones are named. */
export function eventObject<const E extends v.ObjectEntries>(entries: E, requiredHint: Partial<Record<keyof E, string>> = {}) {
  const known = Object.keys(entries).join(', ');
  const notAnObject = `must be a JSON object with the fields ${known}`;
  const object = v.strictObject(entries, (issue) => {
    if (issue.expected === 'never') return `is not a known field; the known fields are ${known}`;
    const key = issue.expected?.startsWith('"') ? issue.expected.slice(1, -1) : undefined;
    if (key !== undefined) return `is required${requiredHint[key as keyof E] ? `: ${requiredHint[key as keyof E]}` : ''}`;
    return notAnObject;
  });
  return v.pipe(v.custom<Record<string, unknown>>((x) => x !== null && typeof x === 'object' && !Array.isArray(x), notAnObject), object);
}

export const flag = () => v.optional(v.boolean((issue) => `must be true or false, got ${quoted(issue.input)}`), false);

export const name = () =>
  v.optional(
    v.pipe(
      v.string((issue) => `must be a non-empty string, got ${quoted(issue.input)}`),
      v.trim(),
      v.minLength(1, 'must be a non-empty string'),
    ),
  );

export const choice = <const T extends string>(choices: readonly T[]) =>
  v.picklist(choices, (issue) => `must be one of ${choices.join(', ')}, got ${quoted(issue.input)}`);

/** A missing or null event is `{}` (a scheduler or a test may send none). */
export const orEmpty = <T extends v.GenericSchema>(schema: T) => v.pipe(v.nullish(v.unknown(), {}), schema);
