/**
 * The aws auth method at whatever path it was enabled on (sys/auth/<path> with type "aws"):
 * config/client, role/<role>, roles, and login (IAM only).
 */
import { randomUUID } from 'node:crypto';
import { ACL, NO_AUTH } from '../auth';
import { verifyIamLogin } from '../aws-login';
import { VaultError, badRequest, noContent, ok } from '../envelope';
import { type Body, optionalBool, optionalDuration, optionalList, optionalString } from '../params';
import type { Route } from '../router';
import type { AwsBackend, AwsClientConfig, AwsRole, SharedState } from '../state';
import { SYSTEM_MAX_TTL_SECONDS } from '../token-store';

/** Matches auth/<aws mount>/<rest> where `rest` satisfies `test`; the mount is resolved per call. */
function awsPath(test: (rest: string) => Record<string, string> | undefined) {
  return (path: string, state: SharedState): Readonly<Record<string, string>> | undefined => {
    const found = state.awsMountFor(path);
    if (found === undefined) return undefined;
    const params = test(found.rest);
    return params === undefined ? undefined : { ...params, mount: found.mount.path };
  };
}

function backend(state: SharedState, mount: string | undefined): AwsBackend {
  const aws = mount === undefined ? undefined : state.authMounts.get(mount)?.aws;
  if (aws === undefined) throw new VaultError(404);
  return aws;
}

function configFromBody(body: Body, existing: AwsClientConfig | undefined): AwsClientConfig {
  return {
    sts_endpoint: optionalString(body, 'sts_endpoint') ?? existing?.sts_endpoint ?? '',
    sts_region: optionalString(body, 'sts_region') ?? existing?.sts_region ?? '',
    iam_server_id_header_value: optionalString(body, 'iam_server_id_header_value') ?? existing?.iam_server_id_header_value ?? '',
  };
}

function roleFromBody(body: Body, existing: AwsRole | undefined): AwsRole {
  const authType = optionalString(body, 'auth_type') ?? existing?.auth_type ?? 'iam';
  if (authType !== 'iam' && authType !== 'ec2') throw badRequest(`unrecognized auth_type: ${authType}`);
  const role: AwsRole = {
    role_id: existing?.role_id ?? randomUUID(),
    auth_type: authType,
    bound_iam_principal_arns:
      optionalList(body, 'bound_iam_principal_arns') ?? optionalList(body, 'bound_iam_principal_arn') ?? existing?.bound_iam_principal_arns ?? [],
    resolve_aws_unique_ids: optionalBool(body, 'resolve_aws_unique_ids') ?? existing?.resolve_aws_unique_ids ?? true,
    token_ttl: optionalDuration(body, 'token_ttl') ?? optionalDuration(body, 'ttl') ?? existing?.token_ttl ?? 0,
    token_max_ttl: optionalDuration(body, 'token_max_ttl') ?? optionalDuration(body, 'max_ttl') ?? existing?.token_max_ttl ?? 0,
    token_policies: optionalList(body, 'token_policies') ?? optionalList(body, 'policies') ?? existing?.token_policies ?? [],
  };
  if (role.auth_type === 'iam' && role.bound_iam_principal_arns.length === 0) {
    throw badRequest('at least one bound parameter should be specified on the role');
  }
  return role;
}

export const awsClientConfigRoute: Route = {
  match: awsPath((rest) => (rest === 'config/client' ? {} : undefined)),
  auth: () => ACL,
  operations: {
    update: ({ state, params, body }) => {
      const aws = backend(state, params['mount']);
      aws.config = configFromBody(body, aws.config);
      return noContent();
    },
    read: ({ state, params }) => {
      const aws = backend(state, params['mount']);
      if (aws.config === undefined) throw new VaultError(404);
      return ok({ data: { ...aws.config } });
    },
    delete: ({ state, params }) => {
      backend(state, params['mount']).config = undefined;
      return noContent();
    },
  },
};

export const awsRoleRoute: Route = {
  match: awsPath((rest) => (rest.startsWith('role/') && rest.length > 'role/'.length ? { role: rest.slice('role/'.length) } : undefined)),
  auth: () => ACL,
  operations: {
    update: ({ state, params, body }) => {
      const aws = backend(state, params['mount']);
      const name = (params['role'] as string).toLowerCase();
      aws.roles.set(name, roleFromBody(body, aws.roles.get(name)));
      return noContent();
    },
    read: ({ state, params }) => {
      const role = backend(state, params['mount']).roles.get((params['role'] as string).toLowerCase());
      if (role === undefined) throw new VaultError(404);
      return ok({ data: { ...role, policies: role.token_policies } });
    },
    delete: ({ state, params }) => {
      backend(state, params['mount']).roles.delete((params['role'] as string).toLowerCase());
      return noContent();
    },
  },
};

export const awsRolesListRoute: Route = {
  match: awsPath((rest) => (rest === 'role' || rest === 'roles' ? {} : undefined)),
  auth: () => ACL,
  operations: {
    list: ({ state, params }) => {
      const names = [...backend(state, params['mount']).roles.keys()].sort();
      if (names.length === 0) throw new VaultError(404);
      return ok({ data: { keys: names } });
    },
  },
};

export const awsLoginRoute: Route = {
  match: awsPath((rest) => (rest === 'login' ? {} : undefined)),
  auth: () => NO_AUTH,
  operations: {
    update: async ({ state, params, body }) => {
      const aws = backend(state, params['mount']);
      const roleName = optionalString(body, 'role');
      if (roleName === undefined || roleName === '') throw badRequest('missing role');
      const role = aws.roles.get(roleName.toLowerCase());
      if (role === undefined) throw badRequest(`entry for role "${roleName}" not found`);
      const configured = aws.config?.iam_server_id_header_value;
      const identity = await verifyIamLogin({
        roleName,
        role,
        body,
        stsEndpoint: state.settings.stsEndpoint,
        requiredServerId: configured !== undefined && configured !== '' ? configured : state.settings.iamServerIdHeaderValue,
      });
      const policies = ['default', ...role.token_policies.filter((policy) => policy !== 'default')];
      let ttl = role.token_ttl > 0 ? role.token_ttl : SYSTEM_MAX_TTL_SECONDS;
      if (role.token_max_ttl > 0) ttl = Math.min(ttl, role.token_max_ttl);
      const entry = state.tokens.issue({
        type: 'service',
        policies,
        ttlSeconds: ttl,
        maxTtlSeconds: role.token_max_ttl,
        renewable: true,
        orphan: true,
        displayName: `aws-${identity.canonicalArn.split('/').pop() ?? roleName}`,
        path: `auth/${params['mount'] as string}/login`,
        meta: {
          account_id: identity.accountId,
          auth_type: 'iam',
          canonical_arn: identity.canonicalArn,
          client_arn: identity.arn,
          client_user_id: identity.userId,
          inferred_aws_region: '',
          inferred_entity_id: '',
          inferred_entity_type: '',
          role_id: role.role_id,
        },
      });
      return ok({ auth: state.tokens.authBlock(entry) });
    },
  },
};
