import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Construct } from 'constructs';
import type { ClusterRef } from '../../functions/shared/settings/clusters';
import * as rules from '../shared/rules';
import { checkClusterPair } from '../shared/vault-cluster-endpoint';
import { awsProviderRegion, PropsValidation } from '../shared/validation';
import { defaultFunctionBundlesDirectory } from './private/package-root';
import { BUNDLE_FILE_NAME, DR_AUTOMATION_DEFAULTS, WATCHDOG_MODES } from './defaults';
import {
  DR_FUNCTION_NAMES,
  DR_VPC_ENDPOINT_SERVICES,
  type DrAutomationProps,
  type DrFunctionName,
  type DrVpcEndpointService,
} from './dr-automation-props';
import { awsNamesWithLimits, drResourceNames, type DrResourceNames } from './names';
import { checkPerformanceSecondaries } from './validate-performance-secondaries';

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
      | 'watchdogPageTopicArn'
      | 'performanceSecondaries'
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
  /** The topic the watchdog pages: the prop, else the first SNS topic of alarmActions, else none. */
  readonly watchdogPageTopicArn: string | undefined;
  /** `performanceSecondaries` as dr-operations reads them (addresses as origins, no `region`). */
  readonly performanceSecondaries: readonly ClusterRef[];
  /** Host of `vaultAddress`: the DNS record the switch moves. */
  readonly vaultRecordName: string;
  readonly names: DrResourceNames;
  /** Absolute path of each function's bundle. */
  readonly bundleFiles: Readonly<Record<DrFunctionName, string>>;
  /** The VPC endpoints to create, with every default filled in; undefined when none are asked for. */
  readonly vpcEndpoints: { readonly vpcId: string; readonly routeTableIds: readonly string[]; readonly services: readonly DrVpcEndpointService[] } | undefined;
}

const CONSTRUCT = 'DrAutomation';
const LOG_LEVELS = ['debug', 'info', 'warn', 'error'];
/** The "token not refreshed" alarm looks back two intervals; a CloudWatch alarm looks back at most a day. */
const MAX_REFRESH_INTERVAL_MINUTES = 720;
/** The most the DR operations function accepts. */
const MAX_MIN_REMAINING_SECONDS = 86_400;
/** A batch token cannot be revoked: its TTL is how long a copy of it can promote a secondary. */
const MAX_DR_TOKEN_TTL_SECONDS = 86_400;
/** The watchdog runs once a minute: a shorter window would be decided by a single run. */
const MIN_WATCHDOG_WINDOW_SECONDS = 60;
const MAX_WATCHDOG_WINDOW_SECONDS = 3600;
/** Identifiers are name labels; the names built from them are checked against AWS's limits below. */
const IDENTIFIER = rules.nameLabel(48);

const oneOf = (values: readonly string[]): rules.Rule => (value) =>
  typeof value === 'string' && values.includes(value) ? undefined : `must be one of ${values.join(', ')} (got ${JSON.stringify(value)})`;

const nonEmptyList = (what: string): rules.Rule => (value) =>
  !rules.known(value) || (Array.isArray(value) && value.length > 0) ? undefined : `must name at least one ${what}`;

function bundleFilesIn(v: PropsValidation, directory: string): Record<DrFunctionName, string> {
  const files = {} as Record<DrFunctionName, string>;
  const missing: string[] = [];
  for (const fn of DR_FUNCTION_NAMES) {
    const file = join(directory, fn, BUNDLE_FILE_NAME);
    if (existsSync(file) && statSync(file).isFile()) files[fn] = file;
    else missing.push(`${fn}/${BUNDLE_FILE_NAME}`);
  }
  if (missing.length > 0) {
    v.report('functionBundlesDirectory', `"${directory}" has no ${missing.join(', ')} (in this repository, run \`npm run build:functions\`)`);
  }
  return files;
}

/**
 * Checks every prop, fills in the defaults, and throws one PropsValidationError that lists every
 * problem, each with the construct's path and the prop.
 */
export function resolveDrAutomationProps(scope: Construct, props: DrAutomationProps): ResolvedDrAutomationProps {
  const v = new PropsValidation(scope, CONSTRUCT);
  const functionsRegion = awsProviderRegion(scope, props.awsProvider);

  // Names: every name the construct gives is `<purpose>-<environment>-<identifier>`.
  const namesOk = v.check('environment', props.environment, rules.environment) && v.check('identifier', props.identifier, IDENTIFIER);
  const names = drResourceNames(props.environment, props.identifier);
  if (namesOk) {
    for (const { kind, name, max } of awsNamesWithLimits(names)) {
      if (name.length > max) {
        v.report('identifier', `together with "environment" it makes the ${kind} "${name}", ${name.length} characters long; AWS allows at most ${max}: shorten "identifier" (or "environment")`);
        break;
      }
    }
    v.claimName('DrAutomation names', `${props.environment}-${props.identifier}`, 'identifier', 'their functions, roles, DR token secret and Vault objects would have the same names; give one of them another identifier');
  }

  // Where things are: the high-level name, the clusters, the regions.
  const addressOk = v.check('vaultAddress', props.vaultAddress, rules.httpsAddress);
  checkClusterPair(v, props.clusters, addressOk ? props.vaultAddress : undefined);
  const performanceSecondaries = checkPerformanceSecondaries(v, props.performanceSecondaries, props.clusters, addressOk ? props.vaultAddress : undefined);
  if (functionsRegion !== undefined) {
    v.check('awsProvider', functionsRegion, (r) => (rules.awsRegion(r) === undefined ? undefined : `has the region "${r}", which does not exist: give the AWS provider an AWS region`));
  }
  v.check('hostedZoneId', props.hostedZoneId, rules.hostedZoneId);

  v.check('vaultCaBundlePem', props.vaultCaBundlePem, rules.plain('it is written into the Lambda archives'), (pem) => {
    const text = pem as string;
    if (!/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.test(text)) return 'must be the PEM text of at least one certificate (the content, not a file path)';
    return /PRIVATE KEY-----/.test(text) ? 'contains a private key: only the CA certificates belong in the Lambda archives' : undefined;
  });

  // The DR token's lifetime and its refresh: upper bounds, and room for two missed refreshes.
  const drTokenTtlSeconds = props.drTokenTtlSeconds ?? DR_AUTOMATION_DEFAULTS.drTokenTtlSeconds;
  const drTokenMinRemainingSeconds = props.drTokenMinRemainingSeconds ?? DR_AUTOMATION_DEFAULTS.drTokenMinRemainingSeconds;
  const refreshIntervalMinutes = props.refreshIntervalMinutes ?? DR_AUTOMATION_DEFAULTS.refreshIntervalMinutes;
  const ttlOk = v.check(
    'drTokenTtlSeconds',
    drTokenTtlSeconds,
    rules.wholeNumber(1, MAX_DR_TOKEN_TTL_SECONDS, 'seconds', 'one day: a batch DR token cannot be revoked, so a copy of it promotes a secondary until it expires'),
  );
  const minOk = v.check(
    'drTokenMinRemainingSeconds',
    drTokenMinRemainingSeconds,
    rules.wholeNumber(0, MAX_MIN_REMAINING_SECONDS, 'seconds', 'one day, the most the DR operations function accepts'),
  );
  const intervalOk = v.check(
    'refreshIntervalMinutes',
    refreshIntervalMinutes,
    rules.wholeNumber(1, MAX_REFRESH_INTERVAL_MINUTES, 'minutes', 'the "token not refreshed" alarm looks back two intervals, and CloudWatch alarms look back at most one day'),
  );
  if (ttlOk && minOk && drTokenMinRemainingSeconds >= drTokenTtlSeconds) {
    v.report('drTokenMinRemainingSeconds', `must be less than drTokenTtlSeconds (${drTokenMinRemainingSeconds} >= ${drTokenTtlSeconds})`);
  } else if (ttlOk && minOk && intervalOk) {
    // A token must survive two failed refreshes and still have the minimum the DR operations
    // function asks for; the "token not refreshed" alarm fires after two missed periods.
    const usableSeconds = drTokenTtlSeconds - drTokenMinRemainingSeconds;
    if (3 * refreshIntervalMinutes * 60 > usableSeconds) {
      v.report(
        'refreshIntervalMinutes',
        `must leave room for two missed refreshes: 3 x ${refreshIntervalMinutes} min is more than drTokenTtlSeconds - drTokenMinRemainingSeconds = ${usableSeconds} s (at most ${Math.floor(usableSeconds / 180)} min)`,
      );
    }
  }

  const logRetentionDays = props.logRetentionDays ?? DR_AUTOMATION_DEFAULTS.logRetentionDays;
  v.check('logRetentionDays', logRetentionDays, rules.logRetentionDays);

  // The network.
  const placement = props.vpcPlacement;
  let vpcEndpoints: ResolvedDrAutomationProps['vpcEndpoints'];
  if (placement !== undefined) {
    if (v.check('vpcPlacement.subnetIds', placement.subnetIds, nonEmptyList('subnet'))) v.each('vpcPlacement.subnetIds', placement.subnetIds, rules.subnetId);
    if (v.check('vpcPlacement.securityGroupIds', placement.securityGroupIds, nonEmptyList('security group'))) {
      v.each('vpcPlacement.securityGroupIds', placement.securityGroupIds, rules.securityGroupId);
    }
    if (
      v.check('vpcPlacement.subnetCidrs', placement.subnetCidrs, (value) =>
        !rules.known(value) || (Array.isArray(value) && value.length > 0)
          ? undefined
          : "must give the CIDRs of the functions' subnets: Vault binds their tokens to them (token_bound_cidrs)",
      )
    ) {
      v.each('vpcPlacement.subnetCidrs', placement.subnetCidrs, (cidr) => {
        const problem = rules.cidr(true, '10.0.48.0/24')(cidr);
        if (problem !== undefined) return problem;
        return cidr === '0.0.0.0/0' || (typeof cidr === 'string' && /\/0$/.test(cidr))
          ? `has "${cidr}", which would bind the tokens to every address; give the subnets' own CIDRs`
          : undefined;
      });
    }
    const endpoints = placement.awsApiEndpoints;
    if (endpoints !== undefined) {
      const services = endpoints.services ?? [...DR_VPC_ENDPOINT_SERVICES];
      v.check('vpcPlacement.awsApiEndpoints.vpcId', endpoints.vpcId, rules.vpcId);
      v.each('vpcPlacement.awsApiEndpoints.services', services, oneOf(DR_VPC_ENDPOINT_SERVICES));
      if (Array.isArray(services) && new Set(services).size !== services.length) {
        v.report('vpcPlacement.awsApiEndpoints.services', 'lists a service twice; give each once');
      }
      const routeTableIds = endpoints.routeTableIds ?? [];
      v.each('vpcPlacement.awsApiEndpoints.routeTableIds', routeTableIds, rules.routeTableId);
      if (services.includes('dynamodb') && rules.known(routeTableIds) && routeTableIds.length === 0) {
        v.report(
          'vpcPlacement.awsApiEndpoints.routeTableIds',
          "must name the route tables of the functions' subnets: the DynamoDB endpoint is a gateway endpoint, reached through a route (or leave dynamodb out of services)",
        );
      }
      vpcEndpoints = { vpcId: endpoints.vpcId, routeTableIds, services };
    }
  }

  // Principals, keys and topics.
  v.optional('breakGlassRoleArn', props.breakGlassRoleArn, rules.iamRoleArn);
  if (props.keyAdministratorArns !== undefined) {
    if (
      v.check('keyAdministratorArns', props.keyAdministratorArns, (value) =>
        Array.isArray(value) && value.length === 0 ? 'must name at least one principal when given (leave it out to use the identity running Terraform)' : undefined,
      )
    ) {
      v.each('keyAdministratorArns', props.keyAdministratorArns, rules.iamPrincipalArn);
    }
  }
  if (props.kmsKeyArn !== undefined && v.check('kmsKeyArn', props.kmsKeyArn, rules.kmsKeyArn)) {
    const keyRegion = rules.regionOfArn(props.kmsKeyArn);
    if (functionsRegion !== undefined && keyRegion !== undefined && keyRegion !== functionsRegion) {
      v.report('kmsKeyArn', `is a key of ${keyRegion}, but the functions, their logs and queue are in ${functionsRegion}: they can only use a key of their own region; give a key of ${functionsRegion}`);
    }
  }
  const alarmActions = props.alarmActions ?? [];
  if (v.each('alarmActions', alarmActions, rules.arn())) {
    v.each('alarmActions', alarmActions, (action) => rules.alarmActionRegionProblem(action, functionsRegion));
  }

  // The watchdog: what it may do, how long it waits, whom it pages, and the lag it accepts.
  const watchdogMode = props.watchdogMode ?? DR_AUTOMATION_DEFAULTS.watchdogMode;
  v.check('watchdogMode', watchdogMode, oneOf(WATCHDOG_MODES));
  const switchDnsAfterPromotion = props.switchDnsAfterPromotion ?? DR_AUTOMATION_DEFAULTS.switchDnsAfterPromotion;
  if (watchdogMode === 'auto' && !switchDnsAfterPromotion) {
    v.report(
      'watchdogMode',
      'is "auto", but switchDnsAfterPromotion is false: an automatic failover would promote the DR cluster and leave clients on the dead one; set switchDnsAfterPromotion to true, or use "notify"',
    );
  }
  const watchdogWindowSeconds = props.watchdogWindowSeconds ?? DR_AUTOMATION_DEFAULTS.watchdogWindowSeconds;
  v.check(
    'watchdogWindowSeconds',
    watchdogWindowSeconds,
    rules.wholeNumber(MIN_WATCHDOG_WINDOW_SECONDS, MAX_WATCHDOG_WINDOW_SECONDS, 'seconds', 'an hour: the watchdog keeps its runs of the window in one DynamoDB item'),
  );
  const maxReplicationWalGap = props.maxReplicationWalGap ?? DR_AUTOMATION_DEFAULTS.maxReplicationWalGap;
  v.check('maxReplicationWalGap', maxReplicationWalGap, rules.wholeNumber(0, 1_000_000_000, 'WAL entries', 'a billion'));
  let watchdogPageTopicArn = props.watchdogPageTopicArn;
  if (watchdogPageTopicArn !== undefined) {
    v.check('watchdogPageTopicArn', watchdogPageTopicArn, rules.arn('sns', 'arn:aws:sns:us-west-2:111111111111:vault-dr-alerts'), (arn) =>
      rules.known(arn) && functionsRegion !== undefined && rules.regionOfArn(arn) !== functionsRegion
        ? `is a topic of ${rules.regionOfArn(arn)}, but the watchdog runs in ${functionsRegion} and pages a topic of its own region (as the alarms do); give the ${functionsRegion} copy (got "${arn}")`
        : undefined,
    );
  } else {
    watchdogPageTopicArn = alarmActions.find((a) => typeof a === 'string' && /^arn:aws[a-z-]*:sns:/.test(a));
  }

  // Vault and the functions' settings.
  const vaultAwsAuthMountPath = props.vaultAwsAuthMountPath ?? names.vault.awsAuthMount;
  v.check('vaultAwsAuthMountPath', vaultAwsAuthMountPath, rules.plain('it names the Vault objects'), (path) => {
    if (!/^[A-Za-z0-9_-]+(?:\/[A-Za-z0-9_-]+)*$/.test(path as string)) {
      return `must be a mount path of letters, digits, "-", "_" and inner "/" (got "${path}")`;
    }
    // The functions' AWS auth mount is the construct's own: the pipeline's own login mount (usually
    // "aws") must not be taken over, nor its client configuration rewritten.
    return path === 'aws'
      ? 'must not be "aws": the construct creates and configures this mount, and "aws" is where Vault\'s own logins (the Terraform pipeline\'s) usually live; leave it out for dr-aws-<environment>-<identifier>'
      : undefined;
  });
  const vaultRecordName = addressOk ? rules.hostOf(props.vaultAddress) : '';
  const vaultIamServerId = props.vaultIamServerId ?? vaultRecordName;
  if (addressOk || props.vaultIamServerId !== undefined) v.check('vaultIamServerId', vaultIamServerId, rules.plain('the functions sign it into every login'));
  const vaultStsUrl = props.vaultStsUrl ?? DR_AUTOMATION_DEFAULTS.vaultStsUrl;
  v.check('vaultStsUrl', vaultStsUrl, rules.plain('Vault replays the logins to it'), (url) => {
    const parsed = rules.parseHttpsAddress(url);
    // An STS endpoint may be named by IP (an interface endpoint's address); the rest of the rule holds.
    return typeof parsed === 'string' && !/by IP address/.test(parsed) ? parsed : undefined;
  });
  const vaultStsRegion = props.vaultStsRegion ?? DR_AUTOMATION_DEFAULTS.vaultStsRegion;
  v.check('vaultStsRegion', vaultStsRegion, rules.awsRegion);
  v.optional('logLevel', props.logLevel, oneOf(LOG_LEVELS));

  const functionBundlesDirectory = props.functionBundlesDirectory ?? defaultFunctionBundlesDirectory();
  const bundleFiles = bundleFilesIn(v, functionBundlesDirectory);

  v.throwIfInvalid();
  return {
    environment: props.environment,
    identifier: props.identifier,
    vaultAddress: props.vaultAddress,
    clusters: props.clusters,
    performanceSecondaries,
    hostedZoneId: props.hostedZoneId,
    vaultCaBundlePem: props.vaultCaBundlePem,
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
    switchDnsAfterPromotion,
    watchdogMode,
    watchdogWindowSeconds,
    watchdogPageTopicArn,
    maxReplicationWalGap,
    logLevel: props.logLevel,
    functionBundlesDirectory,
    awsProvider: props.awsProvider,
    vaultProvider: props.vaultProvider,
    archiveProvider: props.archiveProvider,
    vaultRecordName,
    names,
    bundleFiles,
    vpcEndpoints,
  };
}
