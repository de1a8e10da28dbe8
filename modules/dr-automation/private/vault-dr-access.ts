import { Construct } from 'constructs';
import type { TerraformProvider } from '../../internal/cdktf';
import { AwsAuthBackendRole, TokenAuthBackendRole, VaultPolicy } from '../../internal/vault';
import { LOGIN_TOKEN_MAX_TTL_SECONDS, LOGIN_TOKEN_TTL_SECONDS } from '../defaults';
import type { DrResourceNames } from '../names';

export interface VaultDrAccessProps {
  readonly names: DrResourceNames['vault'];
  readonly drTokenTtlSeconds: number;
  readonly awsAuthMountPath: string;
  /** The login function's role: the only principal that may log in with the AWS auth role. */
  readonly loginRoleArn: string;
  readonly provider?: TerraformProvider;
}

/** The DR operation token may drive DR replication (promote, demote, update-primary) and nothing else. */
export function drOperationPolicyText(): string {
  return [
    'path "sys/replication/dr/*" {',
    '  capabilities = ["create", "read", "update", "sudo"]',
    '}',
    '',
    'path "sys/storage/raft/autopilot/state" {',
    '  capabilities = ["read", "update"]',
    '}',
    '',
  ].join('\n');
}

/** The login token may only create DR tokens through the batch token role. */
export function tokenCreatorPolicyText(batchTokenRole: string): string {
  return [`path "auth/token/create/${batchTokenRole}" {`, '  capabilities = ["update"]', '}', ''].join('\n');
}

/**
 * The Vault side of the DR automation: the DR token's policy and token role, and the AWS auth
 * role through which the login function gets a token that can create DR tokens and nothing else.
 */
export class VaultDrAccess extends Construct {
  constructor(scope: Construct, id: string, props: VaultDrAccessProps) {
    super(scope, id);
    const { provider, names } = props;

    const drOperationPolicy = new VaultPolicy(this, 'DrOperationPolicy', {
      provider,
      name: names.drOperationPolicy,
      policy: drOperationPolicyText(),
    });
    const tokenCreatorPolicy = new VaultPolicy(this, 'TokenCreatorPolicy', {
      provider,
      name: names.tokenCreatorPolicy,
      policy: tokenCreatorPolicyText(names.batchTokenRole),
    });

    // Batch and orphan: valid on the DR secondary too, and not revoked with its parent. Not
    // renewable: the generator replaces it long before its TTL.
    new TokenAuthBackendRole(this, 'BatchTokenRole', {
      provider,
      roleName: names.batchTokenRole,
      tokenType: 'batch',
      orphan: true,
      renewable: false,
      allowedPolicies: [drOperationPolicy.name],
      tokenMaxTtl: props.drTokenTtlSeconds,
    });

    new AwsAuthBackendRole(this, 'LoginRole', {
      provider,
      backend: props.awsAuthMountPath,
      role: names.awsAuthRole,
      authType: 'iam',
      boundIamPrincipalArns: [props.loginRoleArn],
      // Binds to the role's unique id: a role deleted and recreated with the same name cannot log in.
      resolveAwsUniqueIds: true,
      tokenTtl: LOGIN_TOKEN_TTL_SECONDS,
      tokenMaxTtl: LOGIN_TOKEN_MAX_TTL_SECONDS,
      tokenPolicies: [tokenCreatorPolicy.name],
    });
  }
}
