import { Token } from '../internal/cdktf';
import { PropsValidationError } from '../shared/props-validation-error';
import { VAULT_SNAPSHOT_DEFAULTS } from './defaults';
import type { VaultSnapshotBucketProps, VaultSnapshotScheduleProps } from './types';

const NAME = /^[a-z][a-z0-9-]*$/;
/** `vault-<environment>-<name>` must leave room in S3's 63 characters for the suffixes. */
const MAX_BASE_NAME = 27;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const known = (value: unknown): boolean => !Token.isUnresolved(value);

function checkName(construct: string, prop: string, value: string): void {
  if (known(value) && !NAME.test(value)) {
    throw new PropsValidationError(construct, prop, `must be lowercase letters, digits and hyphens, starting with a letter (got "${value}")`);
  }
}

function checkInteger(construct: string, prop: string, value: number | undefined, min: number): void {
  if (value === undefined || !known(value)) return;
  if (!Number.isInteger(value) || value < min) {
    throw new PropsValidationError(construct, prop, `must be a whole number of at least ${min} (got ${value})`);
  }
}

export function validateSnapshotBucketProps(props: VaultSnapshotBucketProps): void {
  const c = 'VaultSnapshotBucket';
  checkName(c, 'environment', props.environment);
  checkName(c, 'name', props.name);
  if (known(props.environment) && known(props.name)) {
    const base = `vault-${props.environment}-${props.name}`;
    if (base.length > MAX_BASE_NAME) {
      throw new PropsValidationError(c, 'name', `"${base}" (vault-<environment>-<name>) must fit ${MAX_BASE_NAME} characters so the bucket names fit S3's 63; shorten environment or name`);
    }
  }
  for (const prop of ['bucketName', 'accessLogBucketName'] as const) {
    const value = props[prop];
    if (value !== undefined && known(value) && (!BUCKET_NAME.test(value) || value.includes('..'))) {
      throw new PropsValidationError(c, prop, `"${value}" is not a valid S3 bucket name (3 to 63 lowercase letters, digits, dots and hyphens)`);
    }
  }
  const prefix = props.pathPrefix;
  if (prefix !== undefined && known(prefix) && (prefix.length < 2 || !prefix.endsWith('/') || prefix.startsWith('/'))) {
    throw new PropsValidationError(c, 'pathPrefix', `must be a key prefix like "raft-snapshots/": not empty, ending in "/", not starting with "/" (got "${prefix}")`);
  }
  const l = props.lifecycle ?? {};
  checkInteger(c, 'lifecycle.transitionToGlacierDays', l.transitionToGlacierDays, 1);
  checkInteger(c, 'lifecycle.noncurrentTransitionToGlacierDays', l.noncurrentTransitionToGlacierDays, 1);
  checkInteger(c, 'lifecycle.noncurrentExpirationDays', l.noncurrentExpirationDays, 1);
  checkInteger(c, 'lifecycle.currentExpirationDays', l.currentExpirationDays, 1);
  checkInteger(c, 'accessLogRetentionDays', props.accessLogRetentionDays, 1);
  if (props.breakGlassRoleArn !== undefined && known(props.breakGlassRoleArn) && !/^arn:aws[a-z-]*:iam::\d{12}:role\/.+/.test(props.breakGlassRoleArn)) {
    throw new PropsValidationError(c, 'breakGlassRoleArn', `must be an IAM role ARN (arn:aws:iam::<account>:role/<name>), got "${props.breakGlassRoleArn}"`);
  }
  if (props.keyAdministratorArns !== undefined && known(props.keyAdministratorArns) && props.keyAdministratorArns.length === 0) {
    throw new PropsValidationError(c, 'keyAdministratorArns', 'must name at least one principal when given (leave it out to use the identity running Terraform)');
  }
  const d = VAULT_SNAPSHOT_DEFAULTS.lifecycle;
  checkExpiryAfterTransition(
    'lifecycle.noncurrentExpirationDays',
    l.noncurrentExpirationDays ?? d.noncurrentExpirationDays,
    l.noncurrentTransitionToGlacierDays ?? d.noncurrentTransitionToGlacierDays,
  );
  checkExpiryAfterTransition('lifecycle.currentExpirationDays', l.currentExpirationDays, l.transitionToGlacierDays ?? d.transitionToGlacierDays);
}

/** S3 refuses a rule that expires objects before (or when) it moves them to Glacier. */
function checkExpiryAfterTransition(prop: string, expirationDays: number | undefined, transitionDays: number): void {
  if (expirationDays !== undefined && known(expirationDays) && known(transitionDays) && expirationDays <= transitionDays) {
    throw new PropsValidationError(
      'VaultSnapshotBucket',
      prop,
      `(${expirationDays}) must be greater than the Glacier transition (${transitionDays} days); raise it or lower the transition`,
    );
  }
}

export function validateSnapshotScheduleProps(props: VaultSnapshotScheduleProps): void {
  const c = 'VaultSnapshotSchedule';
  checkName(c, 'environment', props.environment);
  if (!known(props.destinations)) {
    throw new PropsValidationError(c, 'destinations', 'must be a list known at synth (one configuration per destination)');
  }
  if (props.destinations.length === 0) {
    throw new PropsValidationError(c, 'destinations', 'must name at least one snapshot bucket (pass every cluster\'s VaultSnapshotBucket.destination)');
  }
  const seen = new Set<string>();
  props.destinations.forEach((d, i) => {
    if (!known(d.name) || !NAME.test(d.name)) {
      throw new PropsValidationError(c, `destinations[${i}].name`, `must be lowercase letters, digits and hyphens known at synth (got "${d.name}")`);
    }
    if (seen.has(d.name)) {
      throw new PropsValidationError(c, `destinations[${i}].name`, `"${d.name}" is used twice; each destination needs its own name`);
    }
    seen.add(d.name);
  });
  checkInteger(c, 'intervalSeconds', props.intervalSeconds, 60);
  checkInteger(c, 'retain', props.retain, 1);
}
