/**
 * The requests the conformance test sends, identically, to the simulator and to OpenBao: the part of
 * Vault's API that open-source Vault shares with Enterprise and that this project relies on. Each
 * scenario records every answer (normalised, compare.ts); setup requests whose answers carry no
 * information of their own are sent with `quiet`.
 *
 * Names are unique per scenario so the scenarios can share one server of each kind.
 */
import { type Exchange, record } from './compare';
import type { RawRequest, RawResponse, Target } from './targets';

/** `token: null` sends no token; undefined sends the root token. */
type CallOptions = Omit<RawRequest, 'method' | 'path' | 'token'> & { readonly token?: string | null };

export class Session {
  readonly exchanges: Exchange[] = [];

  constructor(readonly target: Target) {}

  private request(method: string, path: string, options: CallOptions): RawRequest {
    const { token, ...rest } = options;
    const sent = token === null ? undefined : (token ?? this.target.rootToken);
    return { method, path, ...rest, ...(sent === undefined ? {} : { token: sent }) };
  }

  /** Sends and records the answer under `label`. */
  async call(label: string, method: string, path: string, options: CallOptions = {}): Promise<RawResponse> {
    const response = await this.target.send(this.request(method, path, options));
    this.exchanges.push(record(label, `${method} ${path}`, response));
    return response;
  }

  /** Sends without recording; fails loudly when set-up itself fails. */
  async quiet(method: string, path: string, options: CallOptions = {}): Promise<RawResponse> {
    const response = await this.target.send(this.request(method, path, options));
    if (response.status >= 400) {
      throw new Error(`${this.target.name}: set-up ${method} ${path} answered ${response.status} ${JSON.stringify(response.body)}`);
    }
    return response;
  }
}

export interface Scenario {
  readonly name: string;
  run(session: Session): Promise<void>;
}

/** The token an answer carries; when it carries none the scenario goes on with one that is invalid, and the diff shows why. */
const clientToken = (response: RawResponse): string =>
  (response.body as { auth?: { client_token?: string } } | undefined)?.auth?.client_token ?? 'hvs.no-token-was-issued';

const policy = (...blocks: Array<[path: string, capabilities: string[]]>): string =>
  blocks.map(([path, caps]) => `path "${path}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}\n`).join('\n');

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'health',
    async run(s) {
      await s.call('plain GET', 'GET', 'sys/health', { token: null });
      await s.call('HEAD', 'HEAD', 'sys/health', { token: null });
      await s.call('standbyok=true', 'GET', 'sys/health?standbyok=true', { token: null });
      await s.call('bare standbyok', 'GET', 'sys/health?standbyok', { token: null });
      await s.call('perfstandbyok=true', 'GET', 'sys/health?perfstandbyok=true', { token: null });
      await s.call('activecode=299', 'GET', 'sys/health?activecode=299', { token: null });
      await s.call('HEAD activecode=299', 'HEAD', 'sys/health?activecode=299', { token: null });
      await s.call('standbycode and drsecondarycode do not apply to an active node', 'GET', 'sys/health?standbycode=201&drsecondarycode=202', { token: null });
      await s.call('bad bool standbyok=maybe', 'GET', 'sys/health?standbyok=maybe', { token: null });
      await s.call('bad code activecode=abc', 'GET', 'sys/health?activecode=abc', { token: null });
      await s.call('bad code sealedcode=1.5', 'GET', 'sys/health?sealedcode=1.5', { token: null });
      await s.call('HEAD with a bad code', 'HEAD', 'sys/health?activecode=abc', { token: null });
      await s.call('POST is not allowed', 'POST', 'sys/health', { token: null, body: {} });
    },
  },
  {
    name: 'seal status',
    async run(s) {
      await s.call('GET', 'GET', 'sys/seal-status', { token: null });
    },
  },
  {
    name: 'token roles',
    async run(s) {
      const batchRole = {
        allowed_policies: ['conf-role-b', 'conf-role-a'],
        orphan: true,
        renewable: false,
        token_type: 'batch',
        token_ttl: '1h',
        token_max_ttl: '2h',
      };
      await s.call('write a batch role', 'POST', 'auth/token/roles/conf-batch', { body: batchRole });
      await s.call('read the batch role', 'GET', 'auth/token/roles/conf-batch');
      await s.call('write a service role', 'POST', 'auth/token/roles/conf-service', {
        body: { allowed_policies: 'conf-role-a', renewable: true, token_ttl: 1800, token_max_ttl: '1h', path_suffix: 'conf-v1' },
      });
      await s.call('read the service role', 'GET', 'auth/token/roles/conf-service');
      await s.call('write a role that disallows a policy', 'POST', 'auth/token/roles/conf-deny', { body: { disallowed_policies: ['conf-role-x'] } });
      await s.call('list roles', 'LIST', 'auth/token/roles');
      await s.call('list roles with ?list=true', 'GET', 'auth/token/roles?list=true');
      await s.call('read an unknown role', 'GET', 'auth/token/roles/conf-none');
      await s.call('batch role that is not orphan', 'POST', 'auth/token/roles/conf-bad', { body: { token_type: 'batch' } });
      await s.call('batch role that is renewable', 'POST', 'auth/token/roles/conf-bad', { body: { token_type: 'batch', orphan: true } });
      await s.call('unknown token_type', 'POST', 'auth/token/roles/conf-bad', { body: { token_type: 'weird' } });

      await s.call('create against the batch role', 'POST', 'auth/token/create/conf-batch', { body: { ttl: '30m' } });
      await s.call('create against the batch role with the role TTL', 'POST', 'auth/token/create/conf-batch', { body: {} });
      await s.call('create against the batch role beyond its max TTL', 'POST', 'auth/token/create/conf-batch', { body: { ttl: '3h' } });
      await s.call('create against the batch role with an allowed policy', 'POST', 'auth/token/create/conf-batch', { body: { policies: ['conf-role-a'] } });
      await s.call('create against the batch role with a policy it does not allow', 'POST', 'auth/token/create/conf-batch', {
        body: { policies: ['conf-role-x'] },
      });
      const service = await s.call('create against the service role', 'POST', 'auth/token/create/conf-service', { body: {} });
      await s.call('look the role token up', 'POST', 'auth/token/lookup', { body: { token: clientToken(service) } });
      await s.call('create against the denying role with the denied policy', 'POST', 'auth/token/create/conf-deny', {
        body: { policies: ['conf-role-x'] },
      });
      await s.call('create against an unknown role', 'POST', 'auth/token/create/conf-none', { body: {} });

      const orphan = await s.call('create an orphan, non-renewable token with explicit max TTL', 'POST', 'auth/token/create', {
        body: { policies: ['Conf-Role-A', 'conf-role-a', ' conf-role-b '], ttl: '10m', explicit_max_ttl: '20m', renewable: false, no_parent: true, meta: { team: 'dr' } },
      });
      await s.call('look the orphan up', 'POST', 'auth/token/lookup', { body: { token: clientToken(orphan) } });
      await s.call('create-orphan', 'POST', 'auth/token/create-orphan', { body: { policies: ['conf-role-a'], ttl: '5m' } });
      await s.call('create a batch token without a role', 'POST', 'auth/token/create', { body: { type: 'batch', policies: ['conf-role-a'], no_parent: true, ttl: '5m' } });
      await s.call('create with an invalid ttl', 'POST', 'auth/token/create', { body: { ttl: 'bogus' } });
      await s.call('create with an invalid type', 'POST', 'auth/token/create', { body: { type: 'weird' } });
      await s.call('delete the batch role', 'DELETE', 'auth/token/roles/conf-batch');
      await s.call('read the deleted role', 'GET', 'auth/token/roles/conf-batch');
    },
  },
  {
    name: 'batch tokens',
    async run(s) {
      await s.quiet('POST', 'auth/token/roles/conf-b2', { body: { allowed_policies: ['conf-batch-p'], orphan: true, renewable: false, token_type: 'batch' } });
      await s.quiet('PUT', 'sys/policies/acl/conf-batch-p', { body: { policy: policy(['conf/batch/*', ['read', 'list']]) } });
      const created = await s.call('create', 'POST', 'auth/token/create/conf-b2', { body: { ttl: '30m' } });
      const token = clientToken(created);
      await s.call('lookup-self', 'GET', 'auth/token/lookup-self', { token });
      await s.call('lookup by root', 'POST', 'auth/token/lookup', { body: { token } });
      await s.call('renew-self is refused', 'POST', 'auth/token/renew-self', { token, body: {} });
      await s.call('revoke-self is refused', 'POST', 'auth/token/revoke-self', { token, body: {} });
      await s.call('renew by root is refused', 'POST', 'auth/token/renew', { body: { token } });
      await s.call('revoke by root is refused', 'POST', 'auth/token/revoke', { body: { token } });
      await s.call('still valid after the refused revoke', 'GET', 'auth/token/lookup-self', { token });
      await s.call('its capabilities', 'POST', 'sys/capabilities-self', { token, body: { paths: ['conf/batch/x', 'conf/other'] } });
      await s.call('cannot create tokens', 'POST', 'auth/token/create', { token, body: { policies: ['conf-batch-p'] } });
      const short = clientToken(await s.quiet('POST', 'auth/token/create/conf-b2', { body: { ttl: '1s' } }));
      await s.call('short-lived token while valid', 'GET', 'auth/token/lookup-self', { token: short });
      await s.target.elapse(2_100);
      await s.call('used after its TTL', 'GET', 'auth/token/lookup-self', { token: short });
      await s.call('used after its TTL on an ACL path', 'POST', 'sys/capabilities-self', { token: short, body: { paths: ['conf/batch/x'] } });
    },
  },
  {
    name: 'policies',
    async run(s) {
      const text = policy(['conf/p/*', ['read', 'list']], ['conf/p/admin', ['deny']]);
      await s.call('write', 'PUT', 'sys/policies/acl/conf-pol', { body: { policy: text } });
      await s.call('read', 'GET', 'sys/policies/acl/conf-pol');
      await s.call('write with an upper-case name', 'PUT', 'sys/policies/acl/Conf-Upper', { body: { policy: text } });
      await s.call('read it back lower-cased', 'GET', 'sys/policies/acl/conf-upper');
      await s.call('list with LIST', 'LIST', 'sys/policies/acl');
      await s.call('list with ?list=true', 'GET', 'sys/policies/acl?list=true');
      await s.call('legacy write with policy', 'PUT', 'sys/policy/conf-legacy', { body: { policy: text } });
      await s.call('legacy write with rules', 'PUT', 'sys/policy/conf-legacy2', { body: { rules: text } });
      await s.call('legacy read', 'GET', 'sys/policy/conf-legacy');
      await s.call('legacy list', 'GET', 'sys/policy');
      await s.call('legacy delete', 'DELETE', 'sys/policy/conf-legacy2');
      await s.call('delete', 'DELETE', 'sys/policies/acl/conf-pol');
      await s.call('read a deleted policy', 'GET', 'sys/policies/acl/conf-pol');
      await s.call('delete a policy that does not exist', 'DELETE', 'sys/policies/acl/conf-never');
      await s.call('delete default', 'DELETE', 'sys/policies/acl/default');
      await s.call('delete root', 'DELETE', 'sys/policies/acl/root');
      await s.call('update root', 'PUT', 'sys/policies/acl/root', { body: { policy: text } });
      await s.call('read root', 'GET', 'sys/policies/acl/root');
      await s.call('write without a policy', 'PUT', 'sys/policies/acl/conf-bad', { body: {} });
      await s.call('write an invalid capability', 'PUT', 'sys/policies/acl/conf-bad', { body: { policy: 'path "x" { capabilities = ["fly"] }' } });
      await s.call('write "+*"', 'PUT', 'sys/policies/acl/conf-bad', { body: { policy: policy(['conf/+*', ['read']]) } });
      await s.call('write an unknown key', 'PUT', 'sys/policies/acl/conf-bad', { body: { policy: 'path "x" { capabilities = ["read"]\n  colour = "red" }' } });
      await s.call('write unterminated HCL', 'PUT', 'sys/policies/acl/conf-bad', { body: { policy: 'path "x" { capabilities = ["read"] ' } });
      await s.call('write text that is not HCL', 'PUT', 'sys/policies/acl/conf-bad', { body: { policy: 'nonsense' } });
      await s.call('write the subscribe capability', 'PUT', 'sys/policies/acl/conf-sub', { body: { policy: policy(['conf/events', ['subscribe']]) } });
      await s.call('write without a token', 'PUT', 'sys/policies/acl/conf-anon', { token: null, body: { policy: text } });
    },
  },
  {
    name: 'capabilities',
    async run(s) {
      await s.quiet('PUT', 'sys/policies/acl/conf-cap-1', {
        body: {
          policy: policy(
            ['conf/cap/*', ['read', 'list']],
            ['conf/cap/exact', ['create', 'update']],
            ['conf/cap/+/config', ['read', 'update']],
            ['conf/cap/+/+/deep', ['delete']],
            ['conf/cap/team-*', ['patch']],
            ['conf/cap/denied/*', ['deny']],
            ['conf/admin', ['sudo', 'read']],
            ['conf/literal*star', ['read']],
            ['/conf/leading-slash', ['list']],
          ),
        },
      });
      await s.quiet('PUT', 'sys/policies/acl/conf-cap-2', {
        body: { policy: policy(['conf/cap/exact', ['delete']], ['conf/cap/shared/*', ['update']], ['conf/cap/denied/*', ['read']]) },
      });
      const token = clientToken(await s.quiet('POST', 'auth/token/create', { body: { policies: ['conf-cap-1', 'conf-cap-2'], ttl: '1h' } }));
      const paths = [
        'conf/cap/exact',
        'conf/cap/other',
        'conf/cap/app/config',
        'conf/cap/a/b/deep',
        'conf/cap/team-blue',
        'conf/cap/denied/x',
        'conf/cap/shared/x',
        'conf/admin',
        'conf/admin/child',
        'conf/literal*star',
        'conf/literalXstar',
        'conf/leading-slash',
        'elsewhere',
        'auth/token/lookup-self',
      ];
      await s.call('sys/capabilities for a token', 'POST', 'sys/capabilities', { body: { token, paths } });
      await s.call('sys/capabilities-self', 'POST', 'sys/capabilities-self', { token, body: { paths } });
      await s.call('one path via "path"', 'POST', 'sys/capabilities-self', { token, body: { path: 'conf/cap/exact' } });
      await s.call('one path via "paths"', 'POST', 'sys/capabilities-self', { token, body: { paths: ['conf/cap/app/config'] } });
      await s.call('root', 'POST', 'sys/capabilities-self', { body: { paths: ['anything', 'sys/seal'] } });
      await s.call('sys/capabilities without a token field', 'POST', 'sys/capabilities', { body: { paths: ['conf/x'] } });
      await s.call('sys/capabilities without paths', 'POST', 'sys/capabilities', { body: { token } });
      await s.call('sys/capabilities for an unknown token', 'POST', 'sys/capabilities', { body: { token: 'hvs.CAESIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', paths: ['x'] } });
      await s.call('sys/capabilities by a non-root token', 'POST', 'sys/capabilities', { token, body: { token, paths: ['x'] } });
      await s.call('GET sys/capabilities', 'GET', 'sys/capabilities');
      await s.call('capabilities-self without a token', 'POST', 'sys/capabilities-self', { token: null, body: { paths: ['x'] } });
    },
  },
  {
    name: 'error envelopes',
    async run(s) {
      const limited = clientToken(await s.quiet('POST', 'auth/token/create', { body: { policies: ['default'], ttl: '1h' } }));
      await s.quiet('PUT', 'sys/policies/acl/conf-lookup', { body: { policy: policy(['auth/token/lookup', ['update']]) } });
      const looker = clientToken(await s.quiet('POST', 'auth/token/create', { body: { policies: ['conf-lookup'], ttl: '1h', display_name: 'looker' } }));
      await s.call('unmounted path', 'GET', 'conf-nowhere/x');
      await s.call('unmounted path without a token', 'GET', 'conf-nowhere/x', { token: null });
      await s.call('unknown sys path', 'GET', 'sys/conf-nothing');
      await s.call('unknown sys path without a token', 'GET', 'sys/conf-nothing', { token: null });
      await s.call('unknown token path', 'GET', 'auth/token/conf-nothing');
      await s.call('wrong method', 'GET', 'auth/token/create');
      await s.call('wrong method without a token', 'GET', 'auth/token/create', { token: null });
      await s.call('DELETE on a create path', 'DELETE', 'auth/token/create');
      await s.call('no token', 'POST', 'auth/token/create', { token: null, body: {} });
      await s.call('a token the server never issued', 'GET', 'auth/token/lookup-self', { token: 'hvs.CAESIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' });
      await s.call('a valid token without the capability', 'POST', 'auth/token/create', { token: looker, body: {} });
      await s.call('a valid token on its own lookup', 'GET', 'auth/token/lookup-self', { token: limited });
      await s.call('truncated JSON', 'POST', 'auth/token/create', { rawBody: '{"policies":' });
      await s.call('JSON that is not an object', 'POST', 'auth/token/create', { rawBody: '[1]' });
      await s.call('lookup without its token field looks the caller up', 'POST', 'auth/token/lookup', { token: looker, body: {} });
      await s.call('renew without its token field', 'POST', 'auth/token/renew', { body: {} });
      await s.call('revoke without its token field', 'POST', 'auth/token/revoke', { body: {} });
      await s.call('lookup of an unknown token', 'POST', 'auth/token/lookup', { body: { token: 'hvs.CAESIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    },
  },
];
