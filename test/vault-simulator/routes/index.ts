/** Every route a simulated cluster serves (sys/health is answered by the node itself, in cluster.ts). */
import type { Route } from '../router';
import { awsClientConfigRoute, awsLoginRoute, awsRoleRoute, awsRolesListRoute } from './aws-auth';
import { leaderRoute, sealStatusRoute } from './health';
import {
  primaryDemoteRoute,
  primaryDisableRoute,
  primaryEnableRoute,
  revokeSecondaryRoute,
  secondaryTokenRoute,
} from './replication-primary';
import {
  generatePublicKeyRoute,
  promoteRoute,
  secondaryDisableRoute,
  secondaryEnableRoute,
  updatePrimaryRoute,
} from './replication-secondary';
import { kvRoute } from './kv';
import { drStatusRoute, replicationStatusRoute } from './replication-status';
import {
  deleteOperationTokenRoute,
  generateOperationTokenAttemptRoute,
  generateOperationTokenUpdateRoute,
} from './dr-operation-token';
import {
  authListRoute,
  authMountRoute,
  capabilitiesRoute,
  capabilitiesSelfRoute,
  legacyPolicyListRoute,
  legacyPolicyRoute,
  mountsListRoute,
  policyListRoute,
  policyRoute,
} from './sys-config';
import {
  lookupRoute,
  lookupSelfRoute,
  renewRoute,
  renewSelfRoute,
  revokeRoute,
  revokeSelfRoute,
  tokenCreateRoute,
  tokenCreateWithRoleRoute,
  tokenRoleRoute,
  tokenRolesListRoute,
} from './tokens';

export const ROUTES: readonly Route[] = [
  sealStatusRoute,
  leaderRoute,
  replicationStatusRoute,
  drStatusRoute,
  primaryEnableRoute,
  primaryDemoteRoute,
  primaryDisableRoute,
  secondaryTokenRoute,
  revokeSecondaryRoute,
  promoteRoute,
  updatePrimaryRoute,
  secondaryDisableRoute,
  generatePublicKeyRoute,
  secondaryEnableRoute,
  generateOperationTokenAttemptRoute,
  generateOperationTokenUpdateRoute,
  deleteOperationTokenRoute,
  tokenCreateRoute,
  tokenCreateWithRoleRoute,
  tokenRoleRoute,
  tokenRolesListRoute,
  lookupSelfRoute,
  lookupRoute,
  renewSelfRoute,
  renewRoute,
  revokeSelfRoute,
  revokeRoute,
  policyRoute,
  policyListRoute,
  legacyPolicyRoute,
  legacyPolicyListRoute,
  capabilitiesRoute,
  capabilitiesSelfRoute,
  authMountRoute,
  authListRoute,
  mountsListRoute,
  awsClientConfigRoute,
  awsRoleRoute,
  awsRolesListRoute,
  awsLoginRoute,
  kvRoute,
];
