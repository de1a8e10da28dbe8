import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Token } from '../internal/cdktf';
import { PropsValidationError } from '../shared/props-validation-error';
import { hostOfHttpsUrl, validateClusterPair } from '../shared/vault-cluster-endpoint';
import { defaultFunctionBundlesDirectory } from './private/package-root';
import { BUNDLE_FILE_NAME, DR_AUTOMATION_DEFAULTS } from './defaults';
import { DR_FUNCTION_NAMES, type DrAutomationProps, type DrFunctionName } from './dr-automation-props';
import { awsNamesWithLimits, drResourceNames, type DrResourceNames } from './names';

/** The props with every default filled in, and what follows from them. */
export interface ResolvedDrAutomationProps
  extends Required<
    Omit<
      DrAutomationProps,
      'vpcPlacement' | 'kmsKeyArn' | 'vaultIamServerId' | 'vaultStsUrl' | 'vaultStsRegion' | 'logLevel' | 'awsProvider' | 'vaultProvider' | 'archiveProvider'
    >
  > {
  readonly vpcPlacement: DrAutomationProps['vpcPlacement'];
  readonly kmsKeyArn: DrAutomationProps['kmsKeyArn'];
  readonly vaultIamServerId: DrAutomationProps['vaultIamServerId'];
  readonly vaultStsUrl: DrAutomationProps['vaultStsUrl'];
  readonly vaultStsRegion: DrAutomationProps['vaultStsRegion'];
  readonly logLevel: DrAutomationProps['logLevel'];
  readonly awsProvider: DrAutomationProps['awsProvider'];
  readonly vaultProvider: DrAutomationProps['vaultProvider'];
  readonly archiveProvider: DrAutomationProps['archiveProvider'];
  /** Host of `vaultAddress`: the DNS record the switch moves. */
  readonly vaultRecordName: string;
  readonly names: DrResourceNames;
  /** Absolute path of each function's bundle. */
  readonly bundleFiles: Readonly<Record<DrFunctionName, string>>;
}

const CONSTRUCT = 'DrAutomation';
// Lambda and IAM accept more, but the names also become Vault policy and role names and parts of
// ARNs: lowercase letters, digits and single hyphens are safe everywhere.
const NAME_PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// The values CloudWatch Logs accepts for retention_in_days.
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
const MAX_REFRESH_INTERVAL_MINUTES = 720;
const MAX_MIN_REMAINING_SECONDS = 86_400;

function fail(prop: string, problem: string): never {
  throw new PropsValidationError(CONSTRUCT, prop, problem);
}

function requirePlainString(prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(prop, 'is required and must be a non-empty string');
  if (Token.isUnresolved(value)) fail(prop, 'must be a plain string, not a Terraform reference: names are computed from it');
  return value;
}

function requireNamePart(prop: string, value: unknown): string {
  const text = requirePlainString(prop, value);
  if (!NAME_PART.test(text)) fail(prop, `must be lowercase letters, digits and single hyphens (got "${text}")`);
  return text;
}

/** A required string that may be a Terraform reference (an id or ARN from another resource). */
function requireString(prop: string, value: unknown): string {
  if (typeof value !== 'string' || value.length === 0) fail(prop, 'is required and must be a non-empty string');
  return value;
}

function wholeNumber(prop: string, value: number, min: number, unit: string): number {
  if (!Number.isInteger(value) || value < min) fail(prop, `must be a whole number of ${unit}, at least ${min} (got ${value})`);
  return value;
}

function checkArn(prop: string, value: string, service?: string): void {
  if (Token.isUnresolved(value)) return;
  const parts = value.split(':');
  if (parts.length < 6 || parts[0] !== 'arn' || (service !== undefined && parts[2] !== service)) {
    fail(prop, `must be ${service ? `a ${service} ` : 'an '}ARN (got "${value}")`);
  }
}

function bundleFilesIn(directory: string, prop: string): Record<DrFunctionName, string> {
  const files = {} as Record<DrFunctionName, string>;
  const missing: string[] = [];
  for (const fn of DR_FUNCTION_NAMES) {
    const file = join(directory, fn, BUNDLE_FILE_NAME);
    if (existsSync(file) && statSync(file).isFile()) files[fn] = file;
    else missing.push(`${fn}/${BUNDLE_FILE_NAME}`);
  }
  if (missing.length > 0) {
    fail(prop, `"${directory}" has no ${missing.join(', ')} (in this repository, run \`npm run build:functions\`)`);
  }
  return files;
}

/** Checks the props, fills in the defaults, and throws a PropsValidationError naming the prop. */
export function resolveDrAutomationProps(props: DrAutomationProps): ResolvedDrAutomationProps {
  const environment = requireNamePart('environment', props.environment);
  const identifier = requireNamePart('identifier', props.identifier);
  const names = drResourceNames(environment, identifier);
  for (const { kind, name, max } of awsNamesWithLimits(names)) {
    if (name.length > max) {
      fail(
        'environment',
        `together with "identifier" it makes the ${kind} "${name}", ${name.length} characters long; AWS allows at most ${max}: shorten "environment" or "identifier"`,
      );
    }
  }

  const vaultRecordName = hostOfHttpsUrl(CONSTRUCT, 'vaultAddress', props.vaultAddress);
  const clusters = validateClusterPair(CONSTRUCT, props.clusters);
  if ([clusters.primary.address, clusters.dr.address].includes(props.vaultAddress)) {
    fail('vaultAddress', 'must be the high-level address, not one of the clusters\' own addresses');
  }
  const hostedZoneId = requireString('hostedZoneId', props.hostedZoneId);
  if (!Token.isUnresolved(hostedZoneId) && !/^[A-Z0-9]{1,32}$/.test(hostedZoneId)) {
    fail('hostedZoneId', `must be a Route 53 hosted zone id such as Z0123456789ABCDEFGHIJ, without "/hostedzone/" (got "${hostedZoneId}")`);
  }

  const vaultCaBundlePem = requirePlainString('vaultCaBundlePem', props.vaultCaBundlePem);
  if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(vaultCaBundlePem)) {
    fail('vaultCaBundlePem', 'must be the PEM text of at least one certificate (the content, not a file path)');
  }
  if (/PRIVATE KEY-----/.test(vaultCaBundlePem)) {
    fail('vaultCaBundlePem', 'contains a private key: only the CA certificates belong in the Lambda archives');
  }

  const drTokenTtlSeconds = wholeNumber('drTokenTtlSeconds', props.drTokenTtlSeconds ?? DR_AUTOMATION_DEFAULTS.drTokenTtlSeconds, 1, 'seconds');
  const drTokenMinRemainingSeconds = wholeNumber(
    'drTokenMinRemainingSeconds',
    props.drTokenMinRemainingSeconds ?? DR_AUTOMATION_DEFAULTS.drTokenMinRemainingSeconds,
    0,
    'seconds',
  );
  if (drTokenMinRemainingSeconds > MAX_MIN_REMAINING_SECONDS) {
    fail('drTokenMinRemainingSeconds', `must be at most ${MAX_MIN_REMAINING_SECONDS} (one day, the most the DR operations function accepts; got ${drTokenMinRemainingSeconds})`);
  }
  if (drTokenMinRemainingSeconds >= drTokenTtlSeconds) {
    fail('drTokenMinRemainingSeconds', `must be less than drTokenTtlSeconds (${drTokenMinRemainingSeconds} >= ${drTokenTtlSeconds})`);
  }
  const refreshIntervalMinutes = wholeNumber(
    'refreshIntervalMinutes',
    props.refreshIntervalMinutes ?? DR_AUTOMATION_DEFAULTS.refreshIntervalMinutes,
    1,
    'minutes',
  );
  if (refreshIntervalMinutes > MAX_REFRESH_INTERVAL_MINUTES) {
    fail(
      'refreshIntervalMinutes',
      `must be at most ${MAX_REFRESH_INTERVAL_MINUTES} (the "token not refreshed" alarm looks back two intervals, and CloudWatch alarms look back at most one day; got ${refreshIntervalMinutes})`,
    );
  }
  // A token must survive two failed refreshes and still have the minimum the DR operations
  // function asks for; the "token not refreshed" alarm fires after two missed periods.
  const usableSeconds = drTokenTtlSeconds - drTokenMinRemainingSeconds;
  if (3 * refreshIntervalMinutes * 60 > usableSeconds) {
    fail(
      'refreshIntervalMinutes',
      `must leave room for two missed refreshes: 3 x ${refreshIntervalMinutes} min is more than drTokenTtlSeconds - drTokenMinRemainingSeconds = ${usableSeconds} s (at most ${Math.floor(usableSeconds / 180)} min)`,
    );
  }

  const logRetentionDays = props.logRetentionDays ?? DR_AUTOMATION_DEFAULTS.logRetentionDays;
  if (!LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    fail('logRetentionDays', `must be one of ${LOG_RETENTION_DAYS.join(', ')} (got ${logRetentionDays})`);
  }

  if (props.vpcPlacement !== undefined) {
    if (!Array.isArray(props.vpcPlacement.subnetIds) || props.vpcPlacement.subnetIds.length === 0) {
      fail('vpcPlacement.subnetIds', 'must name at least one subnet');
    }
    if (!Array.isArray(props.vpcPlacement.securityGroupIds) || props.vpcPlacement.securityGroupIds.length === 0) {
      fail('vpcPlacement.securityGroupIds', 'must name at least one security group');
    }
  }
  if (props.kmsKeyArn !== undefined) checkArn('kmsKeyArn', requireString('kmsKeyArn', props.kmsKeyArn), 'kms');
  const alarmActions = props.alarmActions ?? [];
  alarmActions.forEach((arn, i) => checkArn(`alarmActions[${i}]`, requireString(`alarmActions[${i}]`, arn)));

  const vaultAwsAuthMountPath = requirePlainString('vaultAwsAuthMountPath', props.vaultAwsAuthMountPath ?? DR_AUTOMATION_DEFAULTS.vaultAwsAuthMountPath);
  if (vaultAwsAuthMountPath.startsWith('/') || vaultAwsAuthMountPath.endsWith('/')) {
    fail('vaultAwsAuthMountPath', `must not start or end with "/" (got "${vaultAwsAuthMountPath}")`);
  }
  if (props.logLevel !== undefined && !LOG_LEVELS.includes(props.logLevel)) {
    fail('logLevel', `must be one of ${LOG_LEVELS.join(', ')} (got "${props.logLevel}")`);
  }

  const functionBundlesDirectory = props.functionBundlesDirectory ?? defaultFunctionBundlesDirectory();
  const bundleFiles = bundleFilesIn(functionBundlesDirectory, 'functionBundlesDirectory');

  return {
    environment,
    identifier,
    vaultAddress: props.vaultAddress,
    clusters,
    hostedZoneId,
    vaultCaBundlePem,
    drTokenTtlSeconds,
    refreshIntervalMinutes,
    drTokenMinRemainingSeconds,
    vpcPlacement: props.vpcPlacement,
    kmsKeyArn: props.kmsKeyArn,
    logRetentionDays,
    alarmActions,
    tags: props.tags ?? {},
    vaultAwsAuthMountPath,
    vaultIamServerId: props.vaultIamServerId,
    vaultStsUrl: props.vaultStsUrl,
    vaultStsRegion: props.vaultStsRegion,
    switchDnsAfterPromotion: props.switchDnsAfterPromotion ?? DR_AUTOMATION_DEFAULTS.switchDnsAfterPromotion,
    logLevel: props.logLevel,
    functionBundlesDirectory,
    awsProvider: props.awsProvider,
    vaultProvider: props.vaultProvider,
    archiveProvider: props.archiveProvider,
    vaultRecordName,
    names,
    bundleFiles,
  };
}
