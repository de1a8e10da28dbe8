/**
 * Logs this function in to Vault with the AWS IAM auth method: an STS GetCallerIdentity request
 * signed with the function's own execution-role credentials, posted to `auth/<path>/login` of the
 * one cluster it is about to act on, for its own Vault role (bound to its own IAM role only). The
 * token lives 5 minutes (the role's token_ttl) and is never logged, returned or stored.
 */
import { InputError } from './errors';
import type { Secret } from './secret';
import type { LoginSettings } from './settings/login';
import { signedIamLoginBody, type SigningCredentials } from './sign-caller-identity';
import type { VaultApi } from './vault-api';

export type { SigningCredentials } from './sign-caller-identity';

/** The execution role's credentials, which Lambda puts in the environment. */
export function credentialsFromEnv(env: Readonly<Record<string, string | undefined>>): SigningCredentials {
  const accessKeyId = env.AWS_ACCESS_KEY_ID?.trim();
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY?.trim();
  if (!accessKeyId) throw new InputError('AWS_ACCESS_KEY_ID', 'is not set: the function logs in to Vault with its execution role, whose credentials Lambda sets');
  if (!secretAccessKey) throw new InputError('AWS_SECRET_ACCESS_KEY', 'is not set: the function logs in to Vault with its execution role, whose credentials Lambda sets');
  const sessionToken = env.AWS_SESSION_TOKEN?.trim();
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}) };
}

export interface VaultLogin {
  readonly token: Secret;
  readonly leaseDurationSeconds: number;
  readonly policies: readonly string[];
}

export async function loginWithIam(api: VaultApi, settings: LoginSettings, credentials: SigningCredentials): Promise<VaultLogin> {
  const body = await signedIamLoginBody(
    settings.awsAuthRole,
    { stsUrl: settings.stsUrl, stsRegion: settings.stsRegion, iamServerId: settings.iamServerId },
    credentials,
  );
  const auth = await api.awsIamLogin(settings.awsAuthPath, { ...body });
  return { token: auth.clientToken, leaseDurationSeconds: auth.leaseDurationSeconds, policies: auth.policies };
}

/**
 * One login per cluster per invocation, made when it is first needed (a primary's demote or
 * secondary-token) and not before: a cluster that is never acted on is never logged in to.
 */
export class LoginCache {
  private readonly tokens = new Map<string, Promise<VaultLogin>>();

  constructor(
    private readonly settings: LoginSettings,
    private readonly credentials: () => SigningCredentials,
  ) {}

  get(api: VaultApi): Promise<VaultLogin> {
    let login = this.tokens.get(api.address);
    if (login === undefined) {
      login = loginWithIam(api, this.settings, this.credentials());
      // A failed login is not cached: a later step may try again.
      login.catch(() => this.tokens.delete(api.address));
      this.tokens.set(api.address, login);
    }
    return login;
  }
}
