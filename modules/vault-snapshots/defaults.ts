import type { VaultSnapshotLifecycle } from './types';

/** Every default of VaultSnapshotBucket and VaultSnapshotSchedule, in one place. */
export const VAULT_SNAPSHOT_DEFAULTS = Object.freeze({
  pathPrefix: 'raft-snapshots/',
  accessLogRetentionDays: 365,
  forceDestroy: false,
  intervalSeconds: 3600,
  retain: 168,
  lifecycle: Object.freeze({
    transitionToGlacierDays: 30,
    noncurrentTransitionToGlacierDays: 7,
    noncurrentExpirationDays: 365,
  }) as Readonly<Required<Omit<VaultSnapshotLifecycle, 'currentExpirationDays'>>>,
  /** Incomplete multipart uploads (a snapshot cut off mid-upload) are cleaned after this. */
  abortIncompleteUploadDays: 7,
});
