/**
 * Which deployment vault-dr talks to: the DR functions by name, in a region, with credentials from
 * the AWS SDK's default chain (environment, shared config and credentials files, SSO, a profile,
 * container and instance roles). Names follow the construct's own rule,
 * `<purpose>-<environment>-<identifier>` (modules/dr-automation/names.ts), so `--environment` and
 * `--identifier` find every function; `--function-name` and its siblings name one directly.
 */
import { drResourceNames } from '../modules/dr-automation/names';

export type DrFunction = 'dr-operations' | 'dns-switch' | 'dr-token-generator' | 'dr-watchdog';

/** The flags that say where the deployment is (given on the command line or in the environment). */
export interface TargetFlags {
  readonly environment?: string;
  readonly identifier?: string;
  readonly functionName?: string;
  readonly dnsSwitchFunctionName?: string;
  readonly tokenGeneratorFunctionName?: string;
  readonly watchdogFunctionName?: string;
  readonly region?: string;
  readonly profile?: string;
}

export interface Target {
  readonly flags: TargetFlags;
  /** Each function's name (undefined: not derivable from the flags). */
  readonly functions: Readonly<Record<DrFunction, string | undefined>>;
  readonly region: string | undefined;
  readonly profile: string | undefined;
}

/** A problem with the flags, named by its flag. */
export class FlagError extends Error {
  override readonly name = 'FlagError';
}

// A Lambda function name, or the part of one that the naming rule puts in (letters, digits, -, _).
const NAME_PART = /^[A-Za-z0-9_-]{1,64}$/;

export function resolveTarget(flags: TargetFlags): Target {
  for (const [flag, value] of [
    ['--environment', flags.environment],
    ['--identifier', flags.identifier],
    ['--function-name', flags.functionName],
    ['--dns-switch-function-name', flags.dnsSwitchFunctionName],
    ['--token-generator-function-name', flags.tokenGeneratorFunctionName],
    ['--watchdog-function-name', flags.watchdogFunctionName],
  ] as const) {
    if (value !== undefined && !NAME_PART.test(value)) throw new FlagError(`${flag}: must be 1 to 64 letters, digits, "-" or "_", got ${JSON.stringify(value)}`);
  }
  if ((flags.environment === undefined) !== (flags.identifier === undefined)) {
    throw new FlagError(`${flags.environment === undefined ? '--environment' : '--identifier'}: is required with ${flags.environment === undefined ? '--identifier' : '--environment'} (the functions are named <purpose>-<environment>-<identifier>)`);
  }
  const named = flags.environment !== undefined && flags.identifier !== undefined ? drResourceNames(flags.environment, flags.identifier).functions : undefined;
  return {
    flags,
    functions: {
      'dr-operations': flags.functionName ?? named?.['dr-operations'],
      'dns-switch': flags.dnsSwitchFunctionName ?? named?.['dns-switch'],
      'dr-token-generator': flags.tokenGeneratorFunctionName ?? named?.['dr-token-generator'],
      'dr-watchdog': flags.watchdogFunctionName ?? named?.['dr-watchdog'],
    },
    region: flags.region,
    profile: flags.profile,
  };
}

/** The function's name, or a FlagError that says which flags give it. */
export function functionName(target: Target, fn: DrFunction): string {
  const name = target.functions[fn];
  if (name !== undefined) return name;
  const own = { 'dr-operations': '--function-name', 'dns-switch': '--dns-switch-function-name', 'dr-token-generator': '--token-generator-function-name', 'dr-watchdog': '--watchdog-function-name' }[fn];
  throw new FlagError(`no ${fn} function: give --environment and --identifier (or VAULT_DR_ENVIRONMENT and VAULT_DR_IDENTIFIER), or ${own}`);
}

/** `/aws/lambda/<name>`: where Lambda writes a function's logs (the construct names the group so). */
export const logGroupOf = (name: string): string => `/aws/lambda/${name}`;

/** The flags that reproduce this target on another vault-dr command line. */
export function targetArgs(flags: TargetFlags): string[] {
  const out: string[] = [];
  const add = (flag: string, value: string | undefined) => {
    if (value !== undefined) out.push(flag, value);
  };
  add('--environment', flags.environment);
  add('--identifier', flags.identifier);
  add('--function-name', flags.functionName);
  add('--dns-switch-function-name', flags.dnsSwitchFunctionName);
  add('--token-generator-function-name', flags.tokenGeneratorFunctionName);
  add('--watchdog-function-name', flags.watchdogFunctionName);
  add('--region', flags.region);
  add('--profile', flags.profile);
  return out;
}
