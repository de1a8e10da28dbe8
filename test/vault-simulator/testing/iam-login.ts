/**
 * Test helper: builds the auth/aws/login body a client like the vault-login function sends, i.e.
 * a SigV4-signed sts:GetCallerIdentity request encoded as Vault expects, plus moto credentials
 * for an assumed role.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Credentials for `roleArn` from moto's STS (moto accepts any caller key). */
export async function assumeRoleOnMoto(motoEndpoint: string, roleArn: string): Promise<AwsCredentials> {
  const sts = new STSClient({
    endpoint: motoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY' },
  });
  try {
    const answer = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'vault-login-test' }));
    const credentials = answer.Credentials;
    if (credentials?.AccessKeyId === undefined || credentials.SecretAccessKey === undefined) {
      throw new Error('moto AssumeRole returned no credentials');
    }
    return {
      accessKeyId: credentials.AccessKeyId,
      secretAccessKey: credentials.SecretAccessKey,
      sessionToken: credentials.SessionToken,
    };
  } finally {
    sts.destroy();
  }
}

export interface LoginBodyOptions {
  readonly role: string;
  readonly credentials: AwsCredentials;
  /** Value of X-Vault-AWS-IAM-Server-ID; omitted when undefined. */
  readonly serverId?: string;
  /** Add the server-id header after signing (so it is present but not signed). @default false */
  readonly serverIdUnsigned?: boolean;
  /** @default 'Action=GetCallerIdentity&Version=2011-06-15' */
  readonly requestBody?: string;
}

const STS_URL = 'https://sts.amazonaws.com/';

export async function iamLoginBody(options: LoginBodyOptions): Promise<Record<string, string>> {
  const requestBody = options.requestBody ?? 'Action=GetCallerIdentity&Version=2011-06-15';
  const url = new URL(STS_URL);
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (options.serverId !== undefined && options.serverIdUnsigned !== true) {
    headers['x-vault-aws-iam-server-id'] = options.serverId;
  }
  const signer = new SignatureV4({ credentials: options.credentials, region: 'us-east-1', service: 'sts', sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({ method: 'POST', protocol: 'https:', hostname: url.hostname, path: url.pathname, headers, body: requestBody }),
  );
  const sentHeaders: Record<string, string> = { ...signed.headers };
  if (options.serverId !== undefined && options.serverIdUnsigned === true) {
    sentHeaders['x-vault-aws-iam-server-id'] = options.serverId;
  }
  const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');
  return {
    role: options.role,
    iam_http_request_method: 'POST',
    iam_request_url: b64(STS_URL),
    iam_request_body: b64(requestBody),
    iam_request_headers: b64(JSON.stringify(sentHeaders)),
  };
}
