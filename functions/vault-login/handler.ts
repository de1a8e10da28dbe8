/**
 * vault-login: logs in to Vault with the AWS IAM auth method and returns a short-lived token to the
 * function that invoked it. Event `{ role, vaultAddress? }`; answer
 * `{ token, leaseDurationSeconds, policies }` (docs/contracts.md).
 */
import { optionalString, requiredString, httpsUrl, type Env } from '../shared/env';
import { InputError } from '../shared/errors';
import { eventObject, optionalText, requiredText } from '../shared/event-fields';
import { createLogger } from '../shared/log';
import { VaultApi } from '../shared/vault-api';
import { readVaultSettings } from '../shared/vault-config';
import { VaultHttpClient } from '../shared/vault-http';
import { signedIamLoginBody, type SigningCredentials } from './sign-caller-identity';

export interface LoginAnswer {
  readonly token: string;
  readonly leaseDurationSeconds: number;
  readonly policies: readonly string[];
}

const MOUNT_PATH = /^[A-Za-z0-9][A-Za-z0-9_/-]*$/;

/** The execution role's credentials, which Lambda puts in the environment. */
function lambdaCredentials(env: Env): SigningCredentials {
  const sessionToken = optionalString(env, 'AWS_SESSION_TOKEN');
  return {
    accessKeyId: requiredString(env, 'AWS_ACCESS_KEY_ID'),
    secretAccessKey: requiredString(env, 'AWS_SECRET_ACCESS_KEY'),
    ...(sessionToken === undefined ? {} : { sessionToken }),
  };
}

function httpsOrHttpUrl(name: string, raw: string): void {
  try {
    new URL(raw);
  } catch {
    throw new InputError(name, `must be a URL such as https://sts.us-east-1.amazonaws.com/, got ${JSON.stringify(raw)}`);
  }
}

/** The Lambda entry point. */
export async function handler(event: unknown): Promise<LoginAnswer> {
  return login(event, process.env);
}

export async function login(event: unknown, env: Env): Promise<LoginAnswer> {
  const log = createLogger({ function: 'vault-login' });
  const fields = eventObject(event, ['role', 'vaultAddress'], false);
  const role = requiredText(fields, 'role');
  const settings = readVaultSettings(env);
  const defaultAddress = httpsUrl('VAULT_ADDR', requiredString(env, 'VAULT_ADDR'));
  const mountPath = optionalString(env, 'VAULT_AWS_AUTH_PATH') ?? 'aws';
  if (!MOUNT_PATH.test(mountPath)) throw new InputError('VAULT_AWS_AUTH_PATH', `must be a mount path like "aws", got ${JSON.stringify(mountPath)}`);

  // A signed GetCallerIdentity is a credential: it only goes to an address the configuration names.
  const requested = optionalText(fields, 'vaultAddress');
  const allowed = [defaultAddress, ...settings.clusters.map((c) => c.address)];
  const address = requested === undefined ? defaultAddress : httpsUrl('vaultAddress', requested);
  if (!allowed.includes(address)) {
    throw new InputError('vaultAddress', `must be VAULT_ADDR or one of the VAULT_CLUSTERS addresses (${allowed.join(', ')}), got ${JSON.stringify(requested)}`);
  }

  const stsUrl = optionalString(env, 'VAULT_STS_URL') ?? 'https://sts.amazonaws.com/';
  httpsOrHttpUrl('VAULT_STS_URL', stsUrl);
  const body = await signedIamLoginBody(
    role,
    { stsUrl, stsRegion: optionalString(env, 'VAULT_STS_REGION') ?? 'us-east-1', iamServerId: optionalString(env, 'VAULT_IAM_SERVER_ID') },
    lambdaCredentials(env),
  );
  const http = new VaultHttpClient(settings.http, settings.caPem);
  try {
    const auth = await new VaultApi(http, address).awsIamLogin(mountPath, { ...body });
    log.info('logged in to Vault', { role, vaultAddress: address, leaseDurationSeconds: auth.lease_duration, policies: auth.policies ?? [] });
    return { token: auth.client_token, leaseDurationSeconds: auth.lease_duration, policies: auth.policies ?? [] };
  } catch (err) {
    log.error('Vault login failed', { role, vaultAddress: address, error: err });
    throw err;
  } finally {
    await http.close();
  }
}
