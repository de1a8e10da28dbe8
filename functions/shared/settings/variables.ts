/**
 * Environment variables as declared data: each one has a name, a default (or none), one line of
 * meaning for the README, and a valibot rule that turns the raw string into a typed value. A
 * function's settings module lists its variables once; the handler parses them at its edge, the
 * construct writes them, and a test checks the README tables against the same list.
 *
 * This module is imported by the construct library: valibot only, no AWS SDK, no file system.
 */
import * as v from 'valibot';
import { InputError } from '../errors';

export type Env = Readonly<Record<string, string | undefined>>;

/** A rule for a raw (trimmed, non-empty) string. Its messages say what a good value looks like. */
export type RawRule<T> = v.GenericSchema<string, T>;

export interface Variable<T> {
  readonly name: string;
  /** The raw default; undefined when there is none (required, or optional without a default). */
  readonly defaultRaw: string | undefined;
  readonly required: boolean;
  /** What the README's default column shows. */
  readonly defaultText: string;
  /** One line for the README's meaning column. */
  readonly meaning: string;
  readonly rule: RawRule<T>;
}

/** One problem with a setting or an event field: where it is and what to do about it. */
export interface SettingIssue {
  /** `VAULT_MAX_ATTEMPTS`, `VAULT_CLUSTERS[1].name`, `operation`, ... */
  readonly field: string;
  readonly problem: string;
}

/**
 * Invalid configuration or event. Every problem is listed, each with its field; `field` is the
 * first one's, so callers that look at one field still can.
 */
export class SettingsError extends InputError {
  readonly issues: readonly SettingIssue[];
  constructor(issues: readonly SettingIssue[]) {
    const [first, ...rest] = issues as [SettingIssue, ...SettingIssue[]];
    super(first.field, rest.length ? `${first.problem}; ${rest.map((i) => `${i.field}: ${i.problem}`).join('; ')}` : first.problem);
    this.issues = issues;
  }
}

export function required<T>(name: string, rule: RawRule<T>, meaning: string): Variable<T> {
  return { name, defaultRaw: undefined, required: true, defaultText: 'required', meaning, rule };
}

export function optional<T>(name: string, rule: RawRule<T>, meaning: string, defaultText = 'none'): Variable<T | undefined> {
  return { name, defaultRaw: undefined, required: false, defaultText, meaning, rule };
}

export function withDefault<T>(name: string, rule: RawRule<T>, defaultRaw: string, meaning: string, defaultText = `\`${defaultRaw}\``): Variable<T> {
  return { name, defaultRaw, required: false, defaultText, meaning, rule };
}

/** `VAULT_CLUSTERS` + [0, 'name'] -> `VAULT_CLUSTERS[0].name`. */
export function fieldPath(root: string, issue: v.BaseIssue<unknown>): string {
  let path = root;
  for (const item of issue.path ?? []) {
    const key = (item as { key?: unknown }).key;
    if (typeof key === 'number') path += `[${key}]`;
    else if (typeof key === 'string') path = path ? `${path}.${key}` : key;
  }
  return path;
}

/** The issues of one parse, each named by its path under `root`. */
export function issuesOf(root: string, issues: readonly v.BaseIssue<unknown>[]): SettingIssue[] {
  return issues.map((issue) => ({ field: fieldPath(root, issue), problem: issue.message }));
}

export type Values<S extends Readonly<Record<string, Variable<unknown>>>> = { readonly [K in keyof S]: S[K] extends Variable<infer T> ? T : never };

/** Parses every variable of `specs` from `env` and reports every problem at once. */
export function parseVariables<S extends Readonly<Record<string, Variable<unknown>>>>(specs: S, env: Env): Values<S> {
  const out: Record<string, unknown> = {};
  const issues: SettingIssue[] = [];
  for (const [key, spec] of Object.entries(specs)) {
    const given = env[spec.name]?.trim();
    const raw = given ? given : spec.defaultRaw;
    if (raw === undefined) {
      if (spec.required) issues.push({ field: spec.name, problem: `is required and was not set: ${spec.meaning}` });
      out[key] = undefined;
      continue;
    }
    const result = v.safeParse(spec.rule, raw);
    if (result.success) out[key] = result.output;
    else issues.push(...issuesOf(spec.name, result.issues));
  }
  if (issues.length) throw new SettingsError(issues);
  return out as Values<S>;
}

/** Parses an event (or any JSON input) with a valibot schema; problems name the event field. */
export function parseInput<T>(schema: v.GenericSchema<unknown, T>, input: unknown): T {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issues = issuesOf('', result.issues).map((i) => ({ field: i.field || 'event', problem: i.problem }));
  throw new SettingsError(issues);
}

const quoted = (input: unknown): string => (typeof input === 'string' ? JSON.stringify(input) : String(input));

/** A whole number in [min, max], written as digits. */
export function integerRule(min: number, max: number, unit = ''): RawRule<number> {
  const what = `must be a whole number from ${min} to ${max}${unit ? ` (${unit})` : ''}`;
  return v.pipe(
    v.string(),
    v.regex(/^\d+$/, (issue) => `${what}, got ${quoted(issue.input)}`),
    v.transform(Number),
    v.minValue(min, (issue) => `${what}, got ${issue.input}`),
    v.maxValue(max, (issue) => `${what}, got ${issue.input}`),
  );
}

/** Any non-empty text (names, ARNs, ids: AWS checks their shape on use). */
export function textRule(what: string): RawRule<string> {
  return v.pipe(v.string(), v.minLength(1, `must be ${what}`));
}

export function choiceRule<const T extends string>(choices: readonly T[]): RawRule<T> {
  return v.picklist(choices, (issue) => `must be one of ${choices.join(', ')}, got ${quoted(issue.input)}`);
}

/** An https:// URL, kept as its origin (`https://host:port`): TLS is always on. */
export function httpsOriginRule(example: string): RawRule<string> {
  return v.pipe(
    v.string(),
    v.check((raw) => URL.canParse(raw) && new URL(raw).protocol === 'https:', (issue) => `must be an https:// URL such as ${example} (TLS is always on), got ${quoted(issue.input)}`),
    v.transform((raw) => new URL(raw).origin),
  );
}

/** A URL of any scheme (the STS URL a request is signed for: Vault's sts_endpoint may be a test double). */
export function urlRule(example: string): RawRule<string> {
  return v.pipe(
    v.string(),
    v.check((raw) => URL.canParse(raw), (issue) => `must be a URL such as ${example}, got ${quoted(issue.input)}`),
  );
}

const DURATION = /^(\d+)(s|m|h)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 } as const;

/** Seconds in a Vault duration string such as `8h`, `30m`, `90s` or `3600`; NaN when it is not one. */
export function durationSeconds(raw: string): number {
  const match = DURATION.exec(raw.trim());
  return match ? Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's') as keyof typeof UNIT_SECONDS] : NaN;
}

/** A Vault duration, kept as written (Vault reads it), checked to be positive. */
export function durationRule(): RawRule<string> {
  return v.pipe(
    v.string(),
    v.check((raw) => durationSeconds(raw) > 0, (issue) => `must be a duration such as "8h", "30m" or "3600s", got ${quoted(issue.input)}`),
  );
}

/** JSON text whose parsed value must satisfy `schema`; problems inside name their path. */
export function jsonRule<T>(schema: v.GenericSchema<unknown, T>, example: string): RawRule<T> {
  return v.pipe(
    v.string(),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      try {
        return JSON.parse(dataset.value) as unknown;
      } catch {
        addIssue({ message: `must be JSON: ${example}` });
        return NEVER;
      }
    }),
    schema,
  );
}

/** What the README documents for each variable, in the order given. */
export function documentation(specs: readonly Variable<unknown>[]): { name: string; defaultText: string; meaning: string }[] {
  return specs.map((s) => ({ name: s.name, defaultText: s.defaultText, meaning: s.meaning }));
}

/**
 * The environment for `specs` from raw values: only the variables given a value are written, so a
 * function's own default applies to every other one.
 */
export function writeVariables<S extends Readonly<Record<string, Variable<unknown>>>>(specs: S, raw: { readonly [K in keyof S]?: string | undefined }): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, spec] of Object.entries(specs)) {
    const value = raw[key as keyof S];
    if (value !== undefined) env[spec.name] = value;
  }
  return env;
}
