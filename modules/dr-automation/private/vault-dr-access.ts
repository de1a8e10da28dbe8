import { Construct } from 'constructs';
import { dependable, type ITerraformDependable, type TerraformProvider } from '../../internal/cdktf';
import { AuthBackend, AwsAuthBackendClient, AwsAuthBackendRole, TokenAuthBackendRole, VaultPolicy } from '../../internal/vault';
import { LOGIN_TOKEN_MAX_TTL_SECONDS, LOGIN_TOKEN_TTL_SECONDS } from '../defaults';
import type { VaultLoginFunctionName } from '../dr-automation-props';
import type { DrResourceNames } from '../names';
import { bootstrapPolicyText, drOperationPolicyText, performanceOperationsPolicyText, primaryOperationsPolicyText, tokenCreatorPolicyText } from './vault-policy-text';

// The simulator's tests import the texts from here.
export { bootstrapPolicyText, drOperationPolicyText, performanceOperationsPolicyText, primaryOperationsPolicyText, tokenCreatorPolicyText };

export interface VaultDrAccessProps {
  readonly names: DrResourceNames['vault'];
  /** Mount path of the AWS auth method this construct creates. */
  readonly awsAuthMountPath: string;
  /** The mount's client configuration: what the functions sign their logins for. */
  readonly stsEndpoint: string;
  readonly stsRegion: string;
  readonly iamServerId: string;
  /** Each logging-in function's IAM role: the only principal its Vault role accepts. */
  readonly loginRoleArns: Readonly<Record<VaultLoginFunctionName, string>>;
  /**
   * CIDRs the tokens are bound to (`token_bound_cidrs`): the functions' subnets.
   * @default - not bound (the functions run outside a VPC, from addresses nobody can name)
   */
  readonly tokenBoundCidrs?: readonly string[];
  /** The topology has performance secondaries: dr-operations' login also gets performanceOperationsPolicyText. */
  readonly performanceOperations: boolean;
  readonly provider?: TerraformProvider;
}

/**
 * The Vault side of the DR automation: the functions' own AWS auth method (mount, client
 * configuration, one role per logging-in function, each bound to that function's IAM role only),
 * the batch DR token's policy and token role, and the login tokens' policies (dr-operations' with a
 * second one for bootstrap).
 *
 * Every token here carries no `default` policy, so it can do exactly what its policy names.
 */
export class VaultDrAccess extends Construct {
  private readonly authRoles: AwsAuthBackendRole[];

  constructor(scope: Construct, id: string, props: VaultDrAccessProps) {
    super(scope, id);
    const { provider, names } = props;
    const bound = props.tokenBoundCidrs !== undefined && props.tokenBoundCidrs.length > 0 ? { tokenBoundCidrs: [...props.tokenBoundCidrs] } : {};

    const mount = new AuthBackend(this, 'AwsAuthMount', {
      provider,
      type: 'aws',
      path: props.awsAuthMountPath,
      description: 'AWS IAM logins of the Vault DR functions (one role per function)',
    });
    // No credentials: Vault calls STS and IAM with its nodes' instance role. Logins are replayed to
    // sts_endpoint, so it must be what the functions sign for; the server id header must be signed
    // into every login, so a login made for this Vault cannot be replayed to another.
    const client = new AwsAuthBackendClient(this, 'AwsAuthClient', {
      provider,
      backend: mount.path,
      stsEndpoint: props.stsEndpoint,
      stsRegion: props.stsRegion,
      iamServerIdHeaderValue: props.iamServerId,
    });

    const policy = (constructId: string, name: string, text: string) => new VaultPolicy(this, constructId, { provider, name, policy: text });
    const drOperationPolicy = policy('DrOperationPolicy', names.drOperationPolicy, drOperationPolicyText());
    const tokenCreatorPolicy = policy('TokenCreatorPolicy', names.tokenCreatorPolicy, tokenCreatorPolicyText(names.batchTokenRole));
    const primaryOperationsPolicy = policy('PrimaryOperationsPolicy', names.primaryOperationsPolicy, primaryOperationsPolicyText());
    const bootstrapPolicy = policy('BootstrapPolicy', names.bootstrapPolicy, bootstrapPolicyText());
    // Only with performance secondaries: a two-cluster deployment's login gets nothing it never uses.
    const performancePolicies = props.performanceOperations
      ? [policy('PerformanceOperationsPolicy', names.performanceOperationsPolicy, performanceOperationsPolicyText())]
      : [];

    // Batch and orphan: valid on the DR secondary too, and not revoked with its parent. Not
    // renewable: the generator replaces it long before its TTL. No TTL field here: a token role
    // takes only token_bound_cidrs, token_explicit_max_ttl (refused for batch tokens), token_period,
    // token_type, token_no_default_policy and token_num_uses (vault/token_store.go, the role path's
    // token fields allow-list), so token_ttl/token_max_ttl would be ignored. The TTL is what the
    // generator asks for, capped by the token store mount's max_lease_ttl (VaultConfiguration).
    new TokenAuthBackendRole(this, 'BatchTokenRole', {
      provider,
      roleName: names.batchTokenRole,
      tokenType: 'batch',
      orphan: true,
      renewable: false,
      allowedPolicies: [drOperationPolicy.name],
      tokenNoDefaultPolicy: true,
      ...bound,
    });

    const loginRole = (constructId: string, role: string, roleArn: string, tokenPolicies: readonly VaultPolicy[]) =>
      new AwsAuthBackendRole(this, constructId, {
        provider,
        backend: mount.path,
        role,
        authType: 'iam',
        boundIamPrincipalArns: [roleArn],
        // Binds to the role's unique id: a role deleted and recreated with the same name cannot
        // log in. Vault resolves it with iam:GetRole when the role is written (the clusters'
        // node roles hold that permission on exactly these ARNs).
        resolveAwsUniqueIds: true,
        tokenTtl: LOGIN_TOKEN_TTL_SECONDS,
        tokenMaxTtl: LOGIN_TOKEN_MAX_TTL_SECONDS,
        tokenPolicies: tokenPolicies.map((p) => p.name),
        tokenNoDefaultPolicy: true,
        ...bound,
        dependsOn: [client],
      });
    this.authRoles = [
      loginRole('TokenGeneratorLoginRole', names.tokenGeneratorAuthRole, props.loginRoleArns['dr-token-generator'], [tokenCreatorPolicy]),
      // Two policies: what every operation needs on a primary, and what only bootstrap needs.
      loginRole('OperationsLoginRole', names.operationsAuthRole, props.loginRoleArns['dr-operations'], [primaryOperationsPolicy, bootstrapPolicy, ...performancePolicies]),
    ];
  }

  /**
   * Makes the AWS auth roles wait for `dependables`: writing a role with resolve_aws_unique_ids
   * makes Vault call iam:GetRole, so the permission that allows it must exist first.
   */
  dependOn(...dependables: ITerraformDependable[]): void {
    for (const role of this.authRoles) role.dependsOn = [...(role.dependsOn ?? []), ...dependables.map((d) => dependable(d))];
  }
}
