/**
 * dns-switch's configuration: every variable with its default and rule, parsed once by the
 * handler and written by the DR automation construct (modules/dr-automation). Dependency-light:
 * valibot only.
 */
import * as v from 'valibot';
import { COMMON_VARIABLES, LEASE_VARIABLES, commonValues, type CommonEnvironmentInput } from '../shared/settings/common';
import { integerRule, parseVariables, required, textRule, withDefault, writeVariables, type Env, type RawRule, type Values } from '../shared/settings/variables';

/** Outside Lambda (no context), the time an invocation allows itself: the construct's timeout. */
export const DNS_SWITCH_LOCAL_BUDGET_MS = 60_000;

const HOSTED_ZONE_ID: RawRule<string> = v.pipe(
  v.string(),
  v.transform((raw) => raw.replace(/^\/hostedzone\//, '')),
  v.regex(/^[A-Z0-9]{1,32}$/, (issue) => `must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, got ${JSON.stringify(issue.input)}`),
);

export const DNS_SWITCH_OWN_VARIABLES = {
  hostedZoneId: required('HOSTED_ZONE_ID', HOSTED_ZONE_ID, 'The hosted zone, by id (never found by name).'),
  recordName: required('DNS_RECORD_NAME', textRule('a DNS name'), 'The high-level name whose two weighted records are switched (set identifiers = cluster names).'),
  recordType: withDefault('DNS_RECORD_TYPE', textRule('a record type such as CNAME'), 'CNAME', 'Type of the weighted records.'),
  syncTimeoutMs: withDefault('DNS_SYNC_TIMEOUT_MS', integerRule(0, 600_000, 'ms'), '30000', 'Longest wait for Route 53 to report the change INSYNC, in ms (also bounded by the deadline).'),
  syncPollMs: withDefault('DNS_SYNC_POLL_MS', integerRule(10, 60_000, 'ms'), '1000', 'Interval between GetChange calls, in ms.'),
  ...LEASE_VARIABLES,
} as const;

export const DNS_SWITCH_VARIABLES = { ...COMMON_VARIABLES, ...DNS_SWITCH_OWN_VARIABLES } as const;

export type DnsSwitchSettings = Values<typeof DNS_SWITCH_VARIABLES>;

export function parseDnsSwitchSettings(env: Env): DnsSwitchSettings {
  return parseVariables(DNS_SWITCH_VARIABLES, env);
}

export interface DnsSwitchEnvironmentInput extends CommonEnvironmentInput {
  readonly hostedZoneId: string;
  readonly recordName: string;
  readonly recordType: string;
  readonly leaseTableName: string;
}

export function dnsSwitchEnvironment(input: DnsSwitchEnvironmentInput): Record<string, string> {
  return writeVariables(DNS_SWITCH_VARIABLES, {
    ...commonValues(input),
    hostedZoneId: input.hostedZoneId,
    recordName: input.recordName,
    recordType: input.recordType,
    leaseTableName: input.leaseTableName,
  });
}
