import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Token } from '../internal/cdktf';
import { CLOUDWATCH_LOG_RETENTION_DAYS } from '../shared/log-retention';
import { PropsValidationError } from '../shared/props-validation-error';
import { hostOfHttpsUrl, validateClusterPair } from '../shared/vault-cluster-endpoint';
import { isWorldOpen, parseCidr } from '../vault-cluster/cidr';
import { defaultFunctionBundlesDirectory } from './private/package-root';
import { BUNDLE_FILE_NAME, DR_AUTOMATION_DEFAULTS } from './defaults';
import { DR_FUNCTION_NAMES, type DrAutomationProps, type DrFunctionName } from './dr-automation-props';
import { awsNamesWithLimits, drResourceNames, type DrResourceNames } from './names';

/** The props with every default filled in, and what follows from them. */
export interface ResolvedDrAutomationProps
  extends Required<
    Omit<
      DrAutomationProps,
      | 'vpcPlacement'
      | 'kmsKeyArn'
      | 'breakGlassRoleArn'
      | 'keyAdministratorArns'
      | 'logLevel'
      | 'awsProvider'
      | 'vaultProvider'
      | 'archiveProvider'
    >
  > {
  readonly vpcPlacement: DrAutomationProps['vpcPlacement'];
  readonly kmsKeyArn: DrAutomationProps['kmsKeyArn'];
  readonly breakGlassRoleArn: DrAutomationProps['breakGlassRoleArn'];
  readonly keyAdministratorArns: DrAutomationProps['keyAdministratorArns'];
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

/** An IAM role ARN (`arn:aws:iam::<account>:role/<name>`), not a session or user. */
function checkRoleArn(prop: string, value: string): void {
  if (Token.isUnresolved(value)) return;
  if (!/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@\/-]+$/.test(value)) {
    fail(prop, `must be an IAM role ARN such as arn:aws:iam::111111111111:role/vault-dr-break-glass (got "${value}")`);
  }
}

/** The functions' subnet CIDRs: what their Vault tokens are bound to. */
function checkSubnetCidrs(value: unknown): string[] {
  const prop = 'vpcPlacement.subnetCidrs';
  if (!Array.isArray(value) || value.length === 0) {
    fail(prop, 'must give the CIDRs of the functions\' subnets: Vault binds their tokens to them (token_bound_cidrs)');
  }
  for (const cidr of value as unknown[]) {
    if (typeof cidr !== 'string') fail(prop, `must be CIDR strings (got ${JSON.stringify(cidr)})`);
    if (Token.isUnresolved(cidr)) continue;
    const parsed = parseCidr(cidr);
    if (!parsed) fail(prop, `has "${cidr}", which is not an IPv4 or IPv6 CIDR (10.0.48.0/24)`);
    if (isWorldOpen(parsed)) fail(prop, `has "${cidr}", which would bind the tokens to every address; give the subnets' own CIDRs`);
  }
  return value as string[];
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
  if (!CLOUDWATCH_LOG_RETENTION_DAYS.includes(logRetentionDays)) {
    fail('logRetentionDays', `must be one of ${CLOUDWATCH_LOG_RETENTION_DAYS.join(', ')} (got ${logRetentionDays})`);
  }

  if (props.vpcPlacement !== undefined) {
    if (!Array.isArray(props.vpcPlacement.subnetIds) || props.vpcPlacement.subnetIds.length === 0) {
      fail('vpcPlacement.subnetIds', 'must name at least one subnet');
    }
    if (!Array.isArray(props.vpcPlacement.securityGroupIds) || props.vpcPlacement.securityGroupIds.length === 0) {
      fail('vpcPlacement.securityGroupIds', 'must name at least one security group');
    }
    checkSubnetCidrs(props.vpcPlacement.subnetCidrs);
  }
  if (props.breakGlassRoleArn !== undefined) checkRoleArn('breakGlassRoleArn', requireString('breakGlassRoleArn', props.breakGlassRoleArn));
  if (props.keyAdministratorArns !== undefined) {
    if (!Array.isArray(props.keyAdministratorArns) || props.keyAdministratorArns.length === 0) {
      fail('keyAdministratorArns', 'must name at least one principal when given (leave it out to use the identity running Terraform)');
    }
    props.keyAdministratorArns.forEach((arn, i) => checkArn(`keyAdministratorArns[${i}]`, requireString(`keyAdministratorArns[${i}]`, arn), 'iam'));
  }
  if (props.kmsKeyArn !== undefined) checkArn('kmsKeyArn', requireString('kmsKeyArn', props.kmsKeyArn), 'kms');
  const alarmActions = props.alarmActions ?? [];
  alarmActions.forEach((arn, i) => checkArn(`alarmActions[${i}]`, requireString(`alarmActions[${i}]`, arn)));

  const vaultAwsAuthMountPath = requirePlainString('vaultAwsAuthMountPath', props.vaultAwsAuthMountPath ?? names.vault.awsAuthMount);
  if (!/^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/.test(vaultAwsAuthMountPath)) {
    fail('vaultAwsAuthMountPath', `must be a mount path of letters, digits, "-", "_" and inner "/" (got "${vaultAwsAuthMountPath}")`);
  }
  // The functions' AWS auth mount is the construct's own: the pipeline's own login mount (usually
  // "aws") must not be taken over, nor its client configuration rewritten.
  if (vaultAwsAuthMountPath === 'aws') {
    fail('vaultAwsAuthMountPath', 'must not be "aws": the construct creates and configures this mount, and "aws" is where Vault\'s own logins (the Terraform pipeline\'s) usually live; leave it out for dr-aws-<environment>-<identifier>');
  }
  const vaultIamServerId = requirePlainString('vaultIamServerId', props.vaultIamServerId ?? vaultRecordName);
  const vaultStsUrl = requirePlainString('vaultStsUrl', props.vaultStsUrl ?? DR_AUTOMATION_DEFAULTS.vaultStsUrl);
  hostOfHttpsUrl(CONSTRUCT, 'vaultStsUrl', vaultStsUrl);
  const vaultStsRegion = requirePlainString('vaultStsRegion', props.vaultStsRegion ?? DR_AUTOMATION_DEFAULTS.vaultStsRegion);
  if (!/^[a-z]{2}(?:-[a-z]+)+-\d$/.test(vaultStsRegion)) fail('vaultStsRegion', `must be an AWS region such as us-east-1 (got "${vaultStsRegion}")`);
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
    vaultIamServerId,
    vaultStsUrl,
    vaultStsRegion,
    breakGlassRoleArn: props.breakGlassRoleArn,
    keyAdministratorArns: props.keyAdministratorArns,
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
