/**
 * The body of a Vault AWS IAM login: an STS GetCallerIdentity request signed with this function's
 * own credentials (SigV4 from the AWS SDK, no hand-rolled crypto). Vault replays it to STS and
 * learns which IAM role signed it; the request itself is never sent to AWS by this function.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';

const GET_CALLER_IDENTITY = 'Action=GetCallerIdentity&Version=2011-06-15';

/** The signing identity: the Lambda execution role's temporary credentials. */
export interface SigningCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface CallerIdentitySigning {
  /** URL the request is signed for (Vault's sts_endpoint must accept it). */
  readonly stsUrl: string;
  /** Region in the signature's scope (Vault's sts_region). */
  readonly stsRegion: string;
  /** Signed into the request as X-Vault-AWS-IAM-Server-ID when set (replay protection across Vaults). */
  readonly iamServerId: string | undefined;
}

export interface IamLoginBody {
  readonly role: string;
  readonly iam_http_request_method: 'POST';
  readonly iam_request_url: string;
  readonly iam_request_body: string;
  readonly iam_request_headers: string;
}

const base64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

export async function signedIamLoginBody(
  role: string,
  signing: CallerIdentitySigning,
  credentials: SigningCredentials,
): Promise<IamLoginBody> {
  const url = new URL(signing.stsUrl);
  const headers: Record<string, string> = {
    host: url.host,
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
  };
  if (signing.iamServerId !== undefined) headers['x-vault-aws-iam-server-id'] = signing.iamServerId;

  const signer = new SignatureV4({ credentials, region: signing.stsRegion, service: 'sts', sha256: Sha256 });
  const signed = await signer.sign(
    new HttpRequest({
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname || '/',
      headers,
      body: GET_CALLER_IDENTITY,
    }),
  );
  return {
    role,
    iam_http_request_method: 'POST',
    iam_request_url: base64(url.href),
    iam_request_body: base64(GET_CALLER_IDENTITY),
    iam_request_headers: base64(JSON.stringify(signed.headers)),
  };
}
