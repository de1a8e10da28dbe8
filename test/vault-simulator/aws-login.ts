/**
 * The AWS auth method's IAM login check, as Vault does it: decode the signed GetCallerIdentity
 * request the client sent, validate the server-id header, replay the request to STS (moto in the
 * tests) with the client's own signature, and turn the caller's ARN into the canonical principal
 * ARN that bound_iam_principal_arns is matched against. Every failure is a 400.
 *
 * Simulator choices: the replay always goes to the pair's `stsEndpoint` option (never to the
 * sts_endpoint written in auth/aws/config/client, which may name real AWS); resolve_aws_unique_ids
 * is accepted but not acted on (there is no IAM to resolve against).
 */
import http from 'node:http';
import https from 'node:https';
import { badRequest } from './envelope';
import { type Body, optionalString } from './params';
import type { AwsRole } from './state';

export const SERVER_ID_HEADER = 'X-Vault-AWS-IAM-Server-ID';
const UPSTREAM_TIMEOUT_MS = 5000;

export interface CallerIdentity {
  readonly arn: string;
  readonly canonicalArn: string;
  readonly accountId: string;
  readonly userId: string;
}

export interface IamLoginInput {
  readonly roleName: string;
  readonly role: AwsRole;
  readonly body: Body;
  readonly stsEndpoint: string | undefined;
  readonly requiredServerId: string | undefined;
}

type HeaderMap = Record<string, string | string[]>;

function decodeField(body: Body, key: string): string {
  const value = optionalString(body, key);
  if (value === undefined || value === '') throw badRequest(`missing ${key}`);
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  if (decoded === '') throw badRequest(`failed to base64 decode ${key}`);
  return decoded;
}

function decodeHeaders(body: Body): HeaderMap {
  let parsed: unknown;
  try {
    parsed = JSON.parse(decodeField(body, 'iam_request_headers'));
  } catch (error) {
    if (error instanceof SyntaxError) throw badRequest('error parsing iam_request_headers: not a JSON object');
    throw error;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('error parsing iam_request_headers: not a JSON object');
  }
  const headers: HeaderMap = {};
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value === 'string') headers[name] = value;
    else if (Array.isArray(value) && value.every((item) => typeof item === 'string')) headers[name] = value as string[];
    else throw badRequest(`error parsing iam_request_headers: header "${name}" is not a string or a list of strings`);
  }
  return headers;
}

function headerValues(headers: HeaderMap, name: string): string[] {
  const wanted = name.toLowerCase();
  return Object.entries(headers)
    .filter(([key]) => key.toLowerCase() === wanted)
    .flatMap(([, value]) => (Array.isArray(value) ? value : [value]));
}

function signedHeaderNames(headers: HeaderMap): string[] {
  const authorization = headerValues(headers, 'authorization')[0] ?? '';
  const match = /SignedHeaders=([^,\s]+)/.exec(authorization);
  return match === null ? [] : (match[1] as string).split(';').map((name) => name.toLowerCase());
}

function validateServerId(headers: HeaderMap, required: string): void {
  const fail = (reason: string): never => {
    throw badRequest(`error validating ${SERVER_ID_HEADER} header: ${reason}`);
  };
  const values = headerValues(headers, SERVER_ID_HEADER);
  if (values.length === 0) fail(`missing header "${SERVER_ID_HEADER}"`);
  if (values.length > 1) fail(`expected a single value for "${SERVER_ID_HEADER}"`);
  if (values[0] !== required) fail(`expected "${required}" but got "${values[0]}"`);
  if (!signedHeaderNames(headers).includes(SERVER_ID_HEADER.toLowerCase())) fail('vault header wasn\'t signed');
}

function validateBody(requestBody: string): void {
  const params = new URLSearchParams(requestBody);
  if (params.getAll('Action').length !== 1 || params.get('Action') !== 'GetCallerIdentity') {
    throw badRequest('error parsing iam_request_body: the request must be an sts:GetCallerIdentity call');
  }
  for (const key of params.keys()) {
    if (key !== 'Action' && key !== 'Version') throw badRequest(`error parsing iam_request_body: unexpected parameter "${key}"`);
  }
}

/** POSTs the client's signed request to `endpoint`, keeping its path, query and headers (Host included). */
function replay(endpoint: string, requestUrl: URL, headers: HeaderMap, requestBody: string): Promise<{ status: number; text: string }> {
  const base = new URL(endpoint);
  const target = new URL(`${requestUrl.pathname}${requestUrl.search}`, base);
  const outgoing: http.OutgoingHttpHeaders = { ...headers };
  if (headerValues(headers, 'content-length').length === 0) outgoing['content-length'] = Buffer.byteLength(requestBody);
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(target, { method: 'POST', headers: outgoing, timeout: UPSTREAM_TIMEOUT_MS }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    request.on('timeout', () => request.destroy(new Error(`no answer from ${base.origin} within ${UPSTREAM_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(requestBody);
  });
}

function xmlField(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/** arn:aws:sts::<acct>:assumed-role/<role>/<session> -> arn:aws:iam::<acct>:role/<role>; others unchanged. */
export function canonicalPrincipalArn(arn: string): string {
  const assumed = /^arn:([^:]+):sts::(\d+):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (assumed !== null) return `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`;
  return arn;
}

export function principalMatches(bound: readonly string[], arn: string): boolean {
  return bound.some((pattern) => (pattern.endsWith('*') ? arn.startsWith(pattern.slice(0, -1)) : arn === pattern));
}

export async function verifyIamLogin(input: IamLoginInput): Promise<CallerIdentity> {
  const { body, role, roleName } = input;
  if (role.auth_type !== 'iam') throw badRequest(`auth method iam not allowed for role ${roleName}`);
  const method = optionalString(body, 'iam_http_request_method');
  if (method === undefined || method === '') throw badRequest('missing iam_http_request_method');
  if (method !== 'POST') throw badRequest(`invalid iam_http_request_method "${method}": only POST is supported`);
  let requestUrl: URL;
  try {
    requestUrl = new URL(decodeField(body, 'iam_request_url'));
  } catch (error) {
    if (error instanceof TypeError) throw badRequest('error parsing iam_request_url');
    throw error;
  }
  const requestBody = decodeField(body, 'iam_request_body');
  const headers = decodeHeaders(body);
  if (input.requiredServerId !== undefined && input.requiredServerId !== '') validateServerId(headers, input.requiredServerId);
  validateBody(requestBody);
  if (input.stsEndpoint === undefined) {
    throw badRequest('error making upstream request: no STS endpoint is configured for the simulator');
  }
  let answer: { status: number; text: string };
  try {
    answer = await replay(input.stsEndpoint, requestUrl, headers, requestBody);
  } catch (error) {
    throw badRequest(`error making upstream request: ${(error as Error).message}`);
  }
  if (answer.status !== 200) {
    throw badRequest(`error making upstream request: received error code ${answer.status} from STS: ${answer.text}`);
  }
  const arn = xmlField(answer.text, 'Arn');
  const accountId = xmlField(answer.text, 'Account');
  if (arn === undefined || accountId === undefined) {
    throw badRequest('error making upstream request: error parsing STS response: no GetCallerIdentityResult');
  }
  const canonicalArn = canonicalPrincipalArn(arn);
  if (!principalMatches(role.bound_iam_principal_arns, canonicalArn)) {
    throw badRequest(`IAM Principal "${canonicalArn}" does not belong to the role "${roleName}"`);
  }
  return { arn, canonicalArn, accountId, userId: xmlField(answer.text, 'UserId') ?? '' };
}
