/**
 * sys/policies/acl/* and sys/auth/*: the configuration configureDr (and the construct, through
 * Terraform) writes. Both require sudo in the simulator, as the brief for the project fixes.
 */
import { ACL_SUDO } from '../auth';
import { VaultError, badRequest, envelope, noContent, ok } from '../envelope';
import { optionalString } from '../params';
import { PolicyParseError } from '../policy';
import { ROOT_POLICY } from '../policy-store';
import { type Route, exact, withParam } from '../router';

export const policyRoute: Route = {
  match: withParam('sys/policies/acl/', 'name'),
  auth: () => ACL_SUDO,
  operations: {
    update: ({ state, params, body }) => {
      const name = params['name'] as string;
      if (name === ROOT_POLICY || name === 'default') throw badRequest(`cannot update "${name}" policy`);
      const text = optionalString(body, 'policy');
      if (text === undefined || text.trim() === '') throw badRequest("'policy' parameter not supplied or empty");
      try {
        state.policies.write(name, text);
      } catch (error) {
        if (error instanceof PolicyParseError) throw badRequest(`failed to parse policy: ${error.message}`);
        throw error;
      }
      return noContent();
    },
    read: ({ state, params }) => {
      const name = params['name'] as string;
      const text = state.policies.read(name);
      if (text === undefined) throw new VaultError(404);
      return ok({ data: { name, policy: text } });
    },
    delete: ({ state, params }) => {
      const name = params['name'] as string;
      if (name === ROOT_POLICY || name === 'default') throw badRequest(`cannot delete "${name}" policy`);
      state.policies.delete(name);
      return noContent();
    },
  },
};

export const policyListRoute: Route = {
  match: exact('sys/policies/acl'),
  auth: () => ACL_SUDO,
  operations: {
    list: ({ state }) => ok({ data: { keys: state.policies.names() } }),
  },
};

export const authMountRoute: Route = {
  match: withParam('sys/auth/', 'path'),
  auth: () => ACL_SUDO,
  operations: {
    update: ({ state, params, body }) => {
      const path = (params['path'] as string).replace(/\/+$/, '');
      const type = optionalString(body, 'type');
      if (type === undefined || type === '') throw badRequest('plugin not found in the catalog: ');
      if (state.authMounts.has(path)) throw badRequest(`path is already in use at ${path}/`);
      state.mountAuth(path, type, optionalString(body, 'description') ?? '');
      return noContent();
    },
    delete: ({ state, params }) => {
      const path = (params['path'] as string).replace(/\/+$/, '');
      if (path === 'token') throw badRequest('token credential backend cannot be disabled');
      state.authMounts.delete(path);
      return noContent();
    },
  },
};

export const authListRoute: Route = {
  match: exact('sys/auth'),
  auth: () => ACL_SUDO,
  operations: {
    read: ({ state }) => {
      const data = Object.fromEntries(
        [...state.authMounts.values()].map((mount) => [
          `${mount.path}/`,
          { type: mount.type, description: mount.description, accessor: mount.accessor, local: false, seal_wrap: false },
        ]),
      );
      return { status: 200, body: { ...data, ...envelope({ data }) } };
    },
  },
};
