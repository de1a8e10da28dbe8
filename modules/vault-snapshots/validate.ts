import type { Construct } from 'constructs';
import * as rules from '../shared/rules';
import { awsProviderRegion, PropsValidation, providerKey } from '../shared/validation';
import { VAULT_SNAPSHOT_DEFAULTS } from './defaults';
import type { VaultSnapshotBucketProps, VaultSnapshotScheduleProps } from './types';

/** `vault-<environment>-<name>` must leave room in S3's 63 characters for the suffixes. */
const MAX_BASE_NAME = 27;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Destination names are name labels (they name buckets and Vault configurations). */
const DESTINATION_NAME = rules.nameLabel(MAX_BASE_NAME);
/** A snapshot a day is the least that still bounds how much a restore loses. */
const MAX_SNAPSHOT_INTERVAL_SECONDS = 86_400;

const known = rules.known;

function wholeDays(min: number): rules.Rule {
  return (value) => (!known(value) || (typeof value === 'number' && Number.isInteger(value) && value >= min) ? undefined : `must be a whole number of at least ${min} (got ${value})`);
}

/** Checks every prop of a VaultSnapshotBucket; throws one PropsValidationError listing every problem. */
export function validateSnapshotBucketProps(scope: Construct, props: VaultSnapshotBucketProps): void {
  const v = new PropsValidation(scope, 'VaultSnapshotBucket');
  if (v.check('environment', props.environment, rules.environment) && v.check('name', props.name, DESTINATION_NAME)) {
    const base = `vault-${props.environment}-${props.name}`;
    if (base.length > MAX_BASE_NAME) {
      v.report('name', `"${base}" (vault-<environment>-<name>) must fit ${MAX_BASE_NAME} characters so the bucket names fit S3's 63; shorten environment or name`);
    } else {
      v.claimName('snapshot bucket names', base, 'name', 'their buckets and keys would have the same names; give one of them another name');
    }
  }
  for (const prop of ['bucketName', 'accessLogBucketName'] as const) {
    const value = props[prop];
    if (value === undefined || !known(value)) continue;
    if (!BUCKET_NAME.test(value) || value.includes('..')) {
      v.report(prop, `"${value}" is not a valid S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens)`);
    } else if (prop === 'bucketName') {
      v.claimName('S3 bucket name', value, prop, 'S3 bucket names are global; give each bucket its own');
    }
  }
  const prefix = props.pathPrefix;
  if (prefix !== undefined && known(prefix) && (prefix.length < 2 || !prefix.endsWith('/') || prefix.startsWith('/'))) {
    v.report('pathPrefix', `must be a key prefix like "raft-snapshots/": not empty, ending in "/", not starting with "/" (got "${prefix}")`);
  }
  const l = props.lifecycle ?? {};
  v.optional('lifecycle.transitionToGlacierDays', l.transitionToGlacierDays, wholeDays(1));
  v.optional('lifecycle.noncurrentTransitionToGlacierDays', l.noncurrentTransitionToGlacierDays, wholeDays(1));
  v.optional('lifecycle.noncurrentExpirationDays', l.noncurrentExpirationDays, wholeDays(1));
  v.optional('lifecycle.currentExpirationDays', l.currentExpirationDays, wholeDays(1));
  v.optional('accessLogRetentionDays', props.accessLogRetentionDays, wholeDays(1));
  v.optional('breakGlassRoleArn', props.breakGlassRoleArn, rules.iamRoleArn);
  if (props.keyAdministratorArns !== undefined && known(props.keyAdministratorArns)) {
    if (props.keyAdministratorArns.length === 0) {
      v.report('keyAdministratorArns', 'must name at least one principal when given (leave it out to use the identity running Terraform)');
    } else {
      v.each('keyAdministratorArns', props.keyAdministratorArns, rules.iamPrincipalArn);
    }
  }
  v.optional(
    'snapshotIntervalSeconds',
    props.snapshotIntervalSeconds,
    rules.wholeNumber(60, MAX_SNAPSHOT_INTERVAL_SECONDS, 'seconds', "a day, VaultSnapshotSchedule's longest interval"),
    (value) => (known(value) && typeof value === 'number' && value % 60 !== 0 ? `must be a whole number of minutes in seconds (a CloudWatch period), got ${value}` : undefined),
  );
  if (props.alarmActions !== undefined) {
    if (v.each('alarmActions', props.alarmActions, rules.arn())) {
      const region = awsProviderRegion(scope, props.provider);
      v.each('alarmActions', props.alarmActions, (action) => rules.alarmActionRegionProblem(action, region));
    }
  }
  if (!v.failed('lifecycle')) {
    const d = VAULT_SNAPSHOT_DEFAULTS.lifecycle;
    expiryAfterTransition(
      v,
      'lifecycle.noncurrentExpirationDays',
      l.noncurrentExpirationDays ?? d.noncurrentExpirationDays,
      l.noncurrentTransitionToGlacierDays ?? d.noncurrentTransitionToGlacierDays,
    );
    expiryAfterTransition(v, 'lifecycle.currentExpirationDays', l.currentExpirationDays, l.transitionToGlacierDays ?? d.transitionToGlacierDays);
  }
  v.throwIfInvalid();
}

/** S3 refuses a rule that expires objects before (or when) it moves them to Glacier. */
function expiryAfterTransition(v: PropsValidation, prop: string, expirationDays: number | undefined, transitionDays: number): void {
  if (expirationDays !== undefined && known(expirationDays) && known(transitionDays) && expirationDays <= transitionDays) {
    v.report(prop, `(${expirationDays}) must be greater than the Glacier transition (${transitionDays} days); raise it or lower the transition`);
  }
}

/** Checks every prop of a VaultSnapshotSchedule; throws one PropsValidationError listing every problem. */
export function validateSnapshotScheduleProps(scope: Construct, props: VaultSnapshotScheduleProps): void {
  const v = new PropsValidation(scope, 'VaultSnapshotSchedule');
  const environmentOk = v.check('environment', props.environment, rules.environment);
  if (!known(props.destinations)) {
    v.report('destinations', 'must be a list known at synth (one configuration per destination)');
  } else if (!Array.isArray(props.destinations) || props.destinations.length === 0) {
    v.report('destinations', "must name at least one snapshot bucket (pass every cluster's VaultSnapshotBucket.destination)");
  } else {
    const seen = new Set<string>();
    props.destinations.forEach((d, i) => {
      if (!v.check(`destinations[${i}].name`, d.name, DESTINATION_NAME)) return;
      if (seen.has(d.name)) v.report(`destinations[${i}].name`, `"${d.name}" is used twice; each destination needs its own name`);
      seen.add(d.name);
      if (environmentOk) {
        v.claimName(
          `Vault snapshot configuration (Vault provider ${providerKey(props.provider)})`,
          `${props.environment}-${d.name}`,
          `destinations[${i}].name`,
          'two schedules would write the same configuration in one Vault; keep one schedule per Vault with every destination',
        );
      }
      v.check(`destinations[${i}].kmsKeyArn`, d.kmsKeyArn, rules.kmsKeyArn);
      v.check(`destinations[${i}].bucketArn`, d.bucketArn, rules.arn('s3', 'arn:aws:s3:::vault-dev-use1-snapshots'));
      if (known(d.region)) v.check(`destinations[${i}].region`, d.region, rules.awsRegion);
    });
  }
  v.optional(
    'intervalSeconds',
    props.intervalSeconds,
    rules.wholeNumber(60, MAX_SNAPSHOT_INTERVAL_SECONDS, 'seconds', 'a day: the interval is how much a restore from the last snapshot loses'),
  );
  v.optional('retain', props.retain, rules.wholeNumber(1, 10_000, 'snapshots'));
  v.throwIfInvalid();
}
