import { Construct } from 'constructs';
import { dependable, type ITerraformDependable, type TerraformProvider } from '../../internal/cdktf';
import { AuthBackend, AwsAuthBackendClient, AwsAuthBackendRole, TokenAuthBackendRole, VaultPolicy } from '../../internal/vault';
import { LOGIN_TOKEN_MAX_TTL_SECONDS, LOGIN_TOKEN_TTL_SECONDS } from '../defaults';
import type { VaultLoginFunctionName } from '../dr-automation-props';
import type { DrResourceNames } from '../names';

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
  readonly performanceReplication: boolean;
  readonly provider?: TerraformProvider;
}

/** A Vault ACL policy in HCL, one block per path, in the given order. */
function policyText(paths: ReadonlyArray<readonly [path: string, capabilities: readonly string[]]>): string {
  return paths.map(([path, capabilities]) => [`path "${path}" {`, `  capabilities = [${capabilities.map((c) => `"${c}"`).join(', ')}]`, '}', ''].join('\n')).join('\n');
}

/**
 * The batch DR operation token: the two DR-secondary operations, by exact path, and nothing else.
 *
 * On a DR secondary Vault authorizes promote and update-primary by the `dr_operation_token` in the
 * body (replication-dr API docs, "Promote DR Secondary", "Update DR Secondary's Primary"; DR
 * operation tokens doc, "Operations that need a DR operation token"). generate-public-key is not
 * among the operations that take one (same two pages: it takes an ordinary X-Vault-Token), so it
 * is not here; operations on a primary (demote, secondary-token) use dr-operations' own short-lived
 * login token instead (primaryOperationsPolicyText).
 * https://developer.hashicorp.com/vault/api-docs/system/replication/replication-dr
 * https://developer.hashicorp.com/vault/docs/enterprise/replication/disaster-recovery/operation-token
 */
export function drOperationPolicyText(): string {
  return policyText([
    ['sys/replication/dr/secondary/promote', ['update']],
    ['sys/replication/dr/secondary/update-primary', ['update']],
  ]);
}

/** dr-token-generator's login token may only create DR tokens through the batch token role. */
export function tokenCreatorPolicyText(batchTokenRole: string): string {
  return policyText([[`auth/token/create/${batchTokenRole}`, ['update']]]);
}

/**
 * dr-operations' login token: what a re-link needs on the primary. Vault requires sudo on
 * secondary-token (its system backend lists `replication/dr/primary/secondary-token` among the root
 * paths; API docs: "This endpoint requires 'sudo' capability"), not on demote (not a root path).
 * https://github.com/hashicorp/vault/blob/main/vault/logical_system.go (PathsSpecial.Root)
 */
export function primaryOperationsPolicyText(): string {
  return policyText([
    ['sys/replication/dr/primary/demote', ['update']],
    ['sys/replication/dr/primary/secondary-token', ['update', 'sudo']],
  ]);
}

/**
 * dr-operations' login, for bootstrap only: enable DR replication on a primary whose replication is
 * disabled. Its activation token for the new secondary comes from secondary-token, which the
 * primary-operations policy already grants. No sudo: the API docs name none for primary/enable, and
 * neither Vault's client list of sudo paths (api/sudo_paths.go) nor its root paths include it.
 * The would-be secondary is not reached by this role at all: before replication it has its own
 * storage, without the functions' AWS auth method (docs/contracts.md, "Bootstrap").
 * https://developer.hashicorp.com/vault/api-docs/system/replication/replication-dr#enable-dr-primary-replication
 */
export function bootstrapPolicyText(): string {
  return policyText([['sys/replication/dr/primary/enable', ['update']]]);
}

/**
 * dr-operations' login, with performance secondaries: what making a performance secondary follow a
 * new primary takes, by exact path. Performance replication operations take an ordinary token, not
 * a DR operation token ("Manage performance replication": "Performance replication operations use
 * a normal Vault token"), so this is a login-token policy, never the batch DR token's. On the
 * (new) primary: secondary-token, which needs sudo (same page: "The secondary token endpoint also
 * needs sudo"; API: "This endpoint requires 'sudo' capability"). On the performance secondary:
 * update-primary with that activation token (its login token there is its own: tokens are not
 * replicated to performance secondaries, the policy is). The functions that call these come with
 * a later part (README "Topologies").
 * https://developer.hashicorp.com/vault/docs/enterprise/replication/performance/manage
 * https://developer.hashicorp.com/vault/api-docs/system/replication/replication-performance
 */
export function performanceOperationsPolicyText(): string {
  return policyText([
    ['sys/replication/performance/primary/secondary-token', ['update', 'sudo']],
    ['sys/replication/performance/secondary/update-primary', ['update']],
  ]);
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
    const performancePolicies = props.performanceReplication
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
