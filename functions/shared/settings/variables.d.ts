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
export declare class SettingsError extends InputError {
    readonly issues: readonly SettingIssue[];
    constructor(issues: readonly SettingIssue[]);
}
export declare function required<T>(name: string, rule: RawRule<T>, meaning: string): Variable<T>;
export declare function optional<T>(name: string, rule: RawRule<T>, meaning: string, defaultText?: string): Variable<T | undefined>;
export declare function withDefault<T>(name: string, rule: RawRule<T>, defaultRaw: string, meaning: string, defaultText?: string): Variable<T>;
/** `VAULT_CLUSTERS` + [0, 'name'] -> `VAULT_CLUSTERS[0].name`. */
export declare function fieldPath(root: string, issue: v.BaseIssue<unknown>): string;
/** The issues of one parse, each named by its path under `root`. */
export declare function issuesOf(root: string, issues: readonly v.BaseIssue<unknown>[]): SettingIssue[];
export type Values<S extends Readonly<Record<string, Variable<unknown>>>> = {
    readonly [K in keyof S]: S[K] extends Variable<infer T> ? T : never;
};
/** Parses every variable of `specs` from `env` and reports every problem at once. */
export declare function parseVariables<S extends Readonly<Record<string, Variable<unknown>>>>(specs: S, env: Env): Values<S>;
/** Checks one raw value against its variable's rule: the problems, or [] when it is good. */
export declare function problemsWith(spec: Variable<unknown>, raw: string): SettingIssue[];
/** Parses an event (or any JSON input) with a valibot schema; problems name the event field. */
export declare function parseInput<T>(schema: v.GenericSchema<unknown, T>, input: unknown): T;
/** A whole number in [min, max], written as digits. */
export declare function integerRule(min: number, max: number, unit?: string): RawRule<number>;
/** Any non-empty text (names, ARNs, ids: AWS checks their shape on use). */
export declare function textRule(what: string): RawRule<string>;
export declare function choiceRule<const T extends string>(choices: readonly T[]): RawRule<T>;
/** An https:// URL, kept as its origin (`https://host:port`): TLS is always on. */
export declare function httpsOriginRule(example: string): RawRule<string>;
/** A URL of any scheme (the STS URL a request is signed for: Vault's sts_endpoint may be a test double). */
export declare function urlRule(example: string): RawRule<string>;
/** Seconds in a Vault duration string such as `8h`, `30m`, `90s` or `3600`; NaN when it is not one. */
export declare function durationSeconds(raw: string): number;
/** A Vault duration, kept as written (Vault reads it), checked to be positive. */
export declare function durationRule(): RawRule<string>;
/** JSON text whose parsed value must satisfy `schema`; problems inside name their path. */
export declare function jsonRule<T>(schema: v.GenericSchema<unknown, T>, example: string): RawRule<T>;
/** What the README documents for each variable, in the order given. */
export declare function documentation(specs: readonly Variable<unknown>[]): {
    name: string;
    defaultText: string;
    meaning: string;
}[];
/**
 * The environment for `specs` from raw values: only the variables given a value are written, so a
 * function's own default applies to every other one.
 */
export declare function writeVariables<S extends Readonly<Record<string, Variable<unknown>>>>(specs: S, raw: {
    readonly [K in keyof S]?: string | undefined;
}): Record<string, string>;
