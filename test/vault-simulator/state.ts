/**
 * Everything the two clusters share because DR replication copies it: tokens, policies, token
 * roles, auth mounts and their configuration, the simulated clock, and the replication record.
 */
import { randomBytes } from 'node:crypto';
import { SimulatedClock } from './clock';
import type { ClusterNode } from './node';
import { PolicyStore } from './policy-store';
import { Replication } from './replication';
import { SecretLog } from './secrets';
import { type TokenEntry, TokenStore } from './token-store';

export interface SimulatorSettings {
  readonly stsEndpoint: string | undefined;
  readonly iamServerIdHeaderValue: string | undefined;
  readonly transitionMs: number;
}

export interface TokenRole {
  readonly name: string;
  readonly allowed_policies: readonly string[];
  readonly disallowed_policies: readonly string[];
  readonly orphan: boolean;
  readonly renewable: boolean;
  readonly token_type: 'service' | 'batch' | 'default-service' | 'default-batch';
  readonly token_ttl: number;
  readonly token_max_ttl: number;
  readonly token_explicit_max_ttl: number;
  readonly token_no_default_policy: boolean;
  readonly path_suffix: string;
}

export interface AwsClientConfig {
  readonly sts_endpoint: string;
  readonly sts_region: string;
  readonly iam_server_id_header_value: string;
}

export interface AwsRole {
  readonly role_id: string;
  readonly auth_type: 'iam' | 'ec2';
  readonly bound_iam_principal_arns: readonly string[];
  readonly resolve_aws_unique_ids: boolean;
  readonly token_ttl: number;
  readonly token_max_ttl: number;
  readonly token_policies: readonly string[];
}

export interface AwsBackend {
  config: AwsClientConfig | undefined;
  readonly roles: Map<string, AwsRole>;
}

export interface AuthMount {
  /** Without the trailing slash, e.g. "aws". */
  readonly path: string;
  readonly type: string;
  readonly description: string;
  readonly accessor: string;
  /** Present for type "aws". */
  readonly aws: AwsBackend | undefined;
}

export class SharedState {
  readonly clock = new SimulatedClock();
  readonly secrets = new SecretLog();
  readonly tokens = new TokenStore(this.clock, this.secrets);
  readonly policies = new PolicyStore();
  readonly tokenRoles = new Map<string, TokenRole>();
  readonly authMounts = new Map<string, AuthMount>();
  readonly replication: Replication;
  readonly root: TokenEntry;

  constructor(
    readonly settings: SimulatorSettings,
    nodes: readonly ClusterNode[],
  ) {
    this.replication = new Replication(nodes, this.clock, this.secrets, settings.transitionMs);
    this.root = this.tokens.issueRoot();
    this.mountAuth('token', 'token', 'token based credentials');
  }

  mountAuth(path: string, type: string, description: string): AuthMount {
    const mount: AuthMount = {
      path,
      type,
      description,
      accessor: `auth_${type}_${randomBytes(4).toString('hex')}`,
      aws: type === 'aws' ? { config: undefined, roles: new Map() } : undefined,
    };
    this.authMounts.set(path, mount);
    return mount;
  }

  /** The aws auth mount a path such as "auth/aws/login" belongs to, with the rest of the path. */
  awsMountFor(path: string): { mount: AuthMount & { aws: AwsBackend }; rest: string } | undefined {
    if (!path.startsWith('auth/')) return undefined;
    const inner = path.slice('auth/'.length);
    for (const mount of this.authMounts.values()) {
      if (mount.aws === undefined) continue;
      if (inner.startsWith(`${mount.path}/`)) {
        return { mount: mount as AuthMount & { aws: AwsBackend }, rest: inner.slice(mount.path.length + 1) };
      }
    }
    return undefined;
  }
}
