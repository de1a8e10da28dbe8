/**
 * dr-token-generator's configuration: every variable with its default and rule, parsed once by the
 * handler and written by the DR automation construct (modules/dr-automation). Dependency-light:
 * valibot only.
 */
import { COMMON_VARIABLES, commonValues, type CommonEnvironmentInput } from '../shared/settings/common';
import { LOGIN_VARIABLES, loginValues, type LoginEnvironmentInput } from '../shared/settings/login';
import { durationRule, parseVariables, required, textRule, withDefault, writeVariables, type Env, type Values } from '../shared/settings/variables';

/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
export const GENERATOR_LOCAL_BUDGET_MS = 60_000;

/** The CloudWatch Embedded Metric each successful refresh prints; the construct's alarm watches it. */
export const DR_TOKEN_METRIC = {
  namespace: 'VaultDR',
  metricName: 'DrTokenRefreshSucceeded',
  secondsToExpiryMetricName: 'DrTokenSecondsToExpiry',
  dimension: 'Environment',
} as const;

export const GENERATOR_OWN_VARIABLES = {
  tokenRole: required('DR_TOKEN_ROLE', textRule('a Vault token role name'), 'Token role of `auth/token/create/<role>` (batch, orphan, not renewable).'),
  ttl: withDefault('DR_TOKEN_TTL', durationRule(), '8h', 'TTL asked for (`8h`, `30m`, `3600s`).'),
  secretId: required('DR_TOKEN_SECRET_ID', textRule('a Secrets Manager secret name or ARN'), 'The Secrets Manager secret the token is stored in.'),
  metricEnvironment: withDefault('DR_ENVIRONMENT', textRule('a name'), 'unknown', 'The `Environment` dimension of its metric.'),
} as const;

export const GENERATOR_VARIABLES = { ...COMMON_VARIABLES, ...LOGIN_VARIABLES, ...GENERATOR_OWN_VARIABLES } as const;

export type GeneratorSettings = Values<typeof GENERATOR_VARIABLES>;

export function parseGeneratorSettings(env: Env): GeneratorSettings {
  return parseVariables(GENERATOR_VARIABLES, env);
}

/** What the construct knows; undefined optional values leave the function's default. */
export interface GeneratorEnvironmentInput extends CommonEnvironmentInput, LoginEnvironmentInput {
  readonly tokenRole: string;
  readonly ttlSeconds: number;
  readonly secretId: string;
  readonly metricEnvironment: string;
}

export function generatorEnvironment(input: GeneratorEnvironmentInput): Record<string, string> {
  return writeVariables(GENERATOR_VARIABLES, {
    ...commonValues(input),
    ...loginValues(input),
    tokenRole: input.tokenRole,
    ttl: `${input.ttlSeconds}s`,
    secretId: input.secretId,
    metricEnvironment: input.metricEnvironment,
  });
}
