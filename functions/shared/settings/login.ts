/**
 * How a function logs in to Vault with its own execution role (AWS IAM auth). dr-token-generator
 * and dr-operations each log in with their own Vault role; no other principal can use it.
 */
import * as v from 'valibot';
import { optional, required, textRule, urlRule, withDefault, type RawRule } from './variables';

const MOUNT_PATH: RawRule<string> = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9_/-]*[A-Za-z0-9_-]$|^[A-Za-z0-9]$/, (issue) => `must be a mount path like "aws" (no leading or trailing "/"), got ${JSON.stringify(issue.input)}`),
);

export const LOGIN_VARIABLES = {
  awsAuthPath: withDefault('VAULT_AWS_AUTH_PATH', MOUNT_PATH, 'aws', 'Mount path of the AWS auth method.'),
  awsAuthRole: required('VAULT_AWS_AUTH_ROLE', textRule('the name of a Vault AWS auth role'), "This function's own Vault AWS auth role (bound to its execution role)."),
  iamServerId: optional('VAULT_IAM_SERVER_ID', textRule('the X-Vault-AWS-IAM-Server-ID value'), 'Value of `X-Vault-AWS-IAM-Server-ID`, signed into the login request.'),
  stsUrl: withDefault('VAULT_STS_URL', urlRule('https://sts.us-east-1.amazonaws.com/'), 'https://sts.amazonaws.com/', "URL the login request is signed for (Vault's `sts_endpoint`)."),
  stsRegion: withDefault('VAULT_STS_REGION', textRule('an AWS region such as us-east-1'), 'us-east-1', "Region the login request is signed for (Vault's `sts_region`)."),
} as const;

export interface LoginSettings {
  readonly awsAuthPath: string;
  readonly awsAuthRole: string;
  readonly iamServerId: string | undefined;
  readonly stsUrl: string;
  readonly stsRegion: string;
}

/** What the construct knows of a function's login; an undefined value leaves the function's default. */
export interface LoginEnvironmentInput {
  readonly awsAuthPath?: string;
  readonly awsAuthRole: string;
  readonly iamServerId?: string;
  readonly stsUrl?: string;
  readonly stsRegion?: string;
}

/** The raw values of the login variables the construct writes (for `writeVariables`). */
export function loginValues(input: LoginEnvironmentInput): Record<keyof LoginEnvironmentInput, string | undefined> {
  return { awsAuthPath: input.awsAuthPath, awsAuthRole: input.awsAuthRole, iamServerId: input.iamServerId, stsUrl: input.stsUrl, stsRegion: input.stsRegion };
}
