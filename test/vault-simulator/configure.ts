/**
 * configureDr and createDrBatchToken: what the DR automation construct creates with Terraform,
 * done here through the simulator's own HTTP API with the root token on the current primary, so
 * the objects go through the same validation as any client's. Names, paths and capabilities follow
 * docs/contracts.md exactly.
 */
import { vaultRequest } from './http-client';
import type { ConfigureDrOptions, ConfiguredDrNames } from './types';

export interface ConfigureTarget {
  readonly caPem: string;
  readonly rootToken: string;
  readonly stsEndpoint: string | undefined;
  readonly iamServerIdHeaderValue: string | undefined;
  /** Address of the cluster that answers as the DR primary now. */
  readonly primaryAddress: () => string;
  /** Address of a cluster by name (ConfigureDrOptions.cluster). */
  readonly clusterAddress: (name: string) => string;
}

/** The functions' login tokens live 300 s, at most 600 s (docs/contracts.md). */
const LOGIN_TOKEN_TTL_SECONDS = 300;
const LOGIN_TOKEN_MAX_TTL_SECONDS = 600;

export function drNames(environment: string, identifier: string): ConfiguredDrNames {
  const name = (purpose: string) => `${purpose}-${environment}-${identifier}`;
  return {
    drPolicy: name('dr-operation'),
    tokenCreatorPolicy: name('dr-token-creator'),
    primaryOpsPolicy: name('dr-primary-ops'),
    bootstrapPolicy: name('dr-bootstrap'),
    tokenRole: name('dr-batch'),
    generatorAuthRole: name('dr-token-generator'),
    operationsAuthRole: name('dr-operations'),
    awsAuthMount: name('dr-aws'),
  };
}

/** HCL of a policy: each exact path with its capabilities. */
export function policyText(paths: Readonly<Record<string, readonly string[]>>): string {
  return Object.entries(paths)
    .map(([path, caps]) => `path "${path}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}`)
    .join('\n');
}

/** The paths of docs/contracts.md. */
export function drPolicies(names: ConfiguredDrNames): Record<string, Record<string, readonly string[]>> {
  return {
    [names.drPolicy]: {
      'sys/replication/dr/secondary/promote': ['update'],
      'sys/replication/dr/secondary/update-primary': ['update'],
    },
    [names.tokenCreatorPolicy]: { [`auth/token/create/${names.tokenRole}`]: ['update'] },
    [names.primaryOpsPolicy]: {
      // Vault requires sudo on secondary-token only (README.md, "Who may call what"), as the construct grants it.
      'sys/replication/dr/primary/demote': ['update'],
      'sys/replication/dr/primary/secondary-token': ['update', 'sudo'],
    },
    // bootstrap: enable DR replication on a primary whose replication is disabled (no sudo: not among Vault's sudo paths).
    [names.bootstrapPolicy]: { 'sys/replication/dr/primary/enable': ['update'] },
  };
}

async function write(target: ConfigureTarget, path: string, body: unknown, method = 'POST'): Promise<unknown> {
  const response = await vaultRequest(target.primaryAddress(), target.caPem, {
    method,
    path,
    token: target.rootToken,
    body,
  });
  if (response.status >= 300) {
    throw new Error(`configureDr: ${method} ${path} answered ${response.status} ${JSON.stringify(response.body)}`);
  }
  return response.body;
}

export async function configureDr(base: ConfigureTarget, options: ConfigureDrOptions): Promise<ConfiguredDrNames> {
  const names = drNames(options.environment ?? 'dev', options.identifier ?? 'test');
  const named = options.cluster;
  const target: ConfigureTarget = named === undefined ? base : { ...base, primaryAddress: () => base.clusterAddress(named) };
  for (const [policy, paths] of Object.entries(drPolicies(names))) {
    await write(target, `sys/policies/acl/${policy}`, { policy: policyText(paths) }, 'PUT');
  }
  await write(target, `auth/token/roles/${names.tokenRole}`, {
    allowed_policies: [names.drPolicy],
    orphan: true,
    renewable: false,
    token_type: 'batch',
    token_no_default_policy: true,
  });

  const mounts = await vaultRequest(target.primaryAddress(), target.caPem, { path: 'sys/auth', token: target.rootToken });
  if (mounts.body?.data?.[`${names.awsAuthMount}/`] === undefined) {
    await write(target, `sys/auth/${names.awsAuthMount}`, { type: 'aws', description: 'DR functions' });
  }
  if (target.stsEndpoint !== undefined || target.iamServerIdHeaderValue !== undefined) {
    await write(target, `auth/${names.awsAuthMount}/config/client`, {
      ...(target.stsEndpoint === undefined ? {} : { sts_endpoint: target.stsEndpoint, sts_region: 'us-east-1' }),
      ...(target.iamServerIdHeaderValue === undefined ? {} : { iam_server_id_header_value: target.iamServerIdHeaderValue }),
    });
  }
  // One role per function, bound to that function's IAM role only, with only its own policies.
  const roles: [string, string, string[]][] = [
    [names.generatorAuthRole, options.generatorRoleArn, [names.tokenCreatorPolicy]],
    [names.operationsAuthRole, options.operationsRoleArn, [names.primaryOpsPolicy, names.bootstrapPolicy]],
  ];
  for (const [role, principal, policies] of roles) {
    await write(target, `auth/${names.awsAuthMount}/role/${role}`, {
      auth_type: 'iam',
      bound_iam_principal_arns: [principal],
      resolve_aws_unique_ids: false,
      token_ttl: LOGIN_TOKEN_TTL_SECONDS,
      token_max_ttl: LOGIN_TOKEN_MAX_TTL_SECONDS,
      token_policies: policies,
      token_no_default_policy: true,
    });
  }
  return names;
}

/** Issues a batch token through auth/token/create/<role> and returns it. */
export async function createDrBatchToken(target: ConfigureTarget, tokenRole: string, ttl: string): Promise<string> {
  const body = (await write(target, `auth/token/create/${tokenRole}`, { ttl })) as { auth: { client_token: string } };
  return body.auth.client_token;
}
