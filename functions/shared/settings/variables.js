"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.SettingsError = void 0;
exports.required = required;
exports.optional = optional;
exports.withDefault = withDefault;
exports.fieldPath = fieldPath;
exports.issuesOf = issuesOf;
exports.parseVariables = parseVariables;
exports.problemsWith = problemsWith;
exports.parseInput = parseInput;
exports.integerRule = integerRule;
exports.textRule = textRule;
exports.choiceRule = choiceRule;
exports.httpsOriginRule = httpsOriginRule;
exports.urlRule = urlRule;
exports.durationSeconds = durationSeconds;
exports.durationRule = durationRule;
exports.jsonRule = jsonRule;
exports.documentation = documentation;
exports.writeVariables = writeVariables;
/**
 * Environment variables as declared data: each one has a name, a default (or none), one line of
 * meaning for the README, and a valibot rule that turns the raw string into a typed value. A
 * function's settings module lists its variables once; the handler parses them at its edge, the
 * construct writes them, and a test checks the README tables against the same list.
 *
 * This module is imported by the construct library: valibot only, no AWS SDK, no file system.
 */
const v = __importStar(require("valibot"));
const errors_1 = require("../errors");
/**
 * Invalid configuration or event. Every problem is listed, each with its field; `field` is the
 * first one's, so callers that look at one field still can.
 */
class SettingsError extends errors_1.InputError {
    issues;
    constructor(issues) {
        const [first, ...rest] = issues;
        super(first.field, rest.length ? `${first.problem}; ${rest.map((i) => `${i.field}: ${i.problem}`).join('; ')}` : first.problem);
        this.issues = issues;
    }
}
exports.SettingsError = SettingsError;
function required(name, rule, meaning) {
    return { name, defaultRaw: undefined, required: true, defaultText: 'required', meaning, rule };
}
function optional(name, rule, meaning, defaultText = 'none') {
    return { name, defaultRaw: undefined, required: false, defaultText, meaning, rule };
}
function withDefault(name, rule, defaultRaw, meaning, defaultText = `\`${defaultRaw}\``) {
    return { name, defaultRaw, required: false, defaultText, meaning, rule };
}
/** `VAULT_CLUSTERS` + [0, 'name'] -> `VAULT_CLUSTERS[0].name`. */
function fieldPath(root, issue) {
    let path = root;
    for (const item of issue.path ?? []) {
        const key = item.key;
        if (typeof key === 'number')
            path += `[${key}]`;
        else if (typeof key === 'string')
            path = path ? `${path}.${key}` : key;
    }
    return path;
}
/** The issues of one parse, each named by its path under `root`. */
function issuesOf(root, issues) {
    return issues.map((issue) => ({ field: fieldPath(root, issue), problem: issue.message }));
}
/** Parses every variable of `specs` from `env` and reports every problem at once. */
function parseVariables(specs, env) {
    const out = {};
    const issues = [];
    for (const [key, spec] of Object.entries(specs)) {
        const given = env[spec.name]?.trim();
        const raw = given ? given : spec.defaultRaw;
        if (raw === undefined) {
            if (spec.required)
                issues.push({ field: spec.name, problem: `is required and was not set: ${spec.meaning}` });
            out[key] = undefined;
            continue;
        }
        const result = v.safeParse(spec.rule, raw);
        if (result.success)
            out[key] = result.output;
        else
            issues.push(...issuesOf(spec.name, result.issues));
    }
    if (issues.length)
        throw new SettingsError(issues);
    return out;
}
/** Checks one raw value against its variable's rule: the problems, or [] when it is good. */
function problemsWith(spec, raw) {
    const result = v.safeParse(spec.rule, raw.trim());
    return result.success ? [] : issuesOf(spec.name, result.issues);
}
/** Parses an event (or any JSON input) with a valibot schema; problems name the event field. */
function parseInput(schema, input) {
    const result = v.safeParse(schema, input);
    if (result.success)
        return result.output;
    const issues = issuesOf('', result.issues).map((i) => ({ field: i.field || 'event', problem: i.problem }));
    throw new SettingsError(issues);
}
const quoted = (input) => (typeof input === 'string' ? JSON.stringify(input) : String(input));
/** A whole number in [min, max], written as digits. */
function integerRule(min, max, unit = '') {
    const what = `must be a whole number from ${min} to ${max}${unit ? ` (${unit})` : ''}`;
    return v.pipe(v.string(), v.regex(/^\d+$/, (issue) => `${what}, got ${quoted(issue.input)}`), v.transform(Number), v.minValue(min, (issue) => `${what}, got ${issue.input}`), v.maxValue(max, (issue) => `${what}, got ${issue.input}`));
}
/** Any non-empty text (names, ARNs, ids: AWS checks their shape on use). */
function textRule(what) {
    return v.pipe(v.string(), v.minLength(1, `must be ${what}`));
}
function choiceRule(choices) {
    return v.picklist(choices, (issue) => `must be one of ${choices.join(', ')}, got ${quoted(issue.input)}`);
}
/** An https:// URL, kept as its origin (`https://host:port`): TLS is always on. */
function httpsOriginRule(example) {
    return v.pipe(v.string(), v.check((raw) => URL.canParse(raw) && new URL(raw).protocol === 'https:', (issue) => `must be an https:// URL such as ${example} (TLS is always on), got ${quoted(issue.input)}`), v.transform((raw) => new URL(raw).origin));
}
/** A URL of any scheme (the STS URL a request is signed for: Vault's sts_endpoint may be a test double). */
function urlRule(example) {
    return v.pipe(v.string(), v.check((raw) => URL.canParse(raw), (issue) => `must be a URL such as ${example}, got ${quoted(issue.input)}`));
}
const DURATION = /^(\d+)(s|m|h)?$/;
const UNIT_SECONDS = { s: 1, m: 60, h: 3600 };
/** Seconds in a Vault duration string such as `8h`, `30m`, `90s` or `3600`; NaN when it is not one. */
function durationSeconds(raw) {
    const match = DURATION.exec(raw.trim());
    return match ? Number(match[1]) * UNIT_SECONDS[(match[2] ?? 's')] : NaN;
}
/** A Vault duration, kept as written (Vault reads it), checked to be positive. */
function durationRule() {
    return v.pipe(v.string(), v.check((raw) => durationSeconds(raw) > 0, (issue) => `must be a duration such as "8h", "30m" or "3600s", got ${quoted(issue.input)}`));
}
/** JSON text whose parsed value must satisfy `schema`; problems inside name their path. */
function jsonRule(schema, example) {
    return v.pipe(v.string(), v.rawTransform(({ dataset, addIssue, NEVER }) => {
        try {
            return JSON.parse(dataset.value);
        }
        catch {
            addIssue({ message: `must be JSON: ${example}` });
            return NEVER;
        }
    }), schema);
}
/** What the README documents for each variable, in the order given. */
function documentation(specs) {
    return specs.map((s) => ({ name: s.name, defaultText: s.defaultText, meaning: s.meaning }));
}
/**
 * The environment for `specs` from raw values: only the variables given a value are written, so a
 * function's own default applies to every other one.
 */
function writeVariables(specs, raw) {
    const env = {};
    for (const [key, spec] of Object.entries(specs)) {
        const value = raw[key];
        if (value !== undefined)
            env[spec.name] = value;
    }
    return env;
}
