/**
 * One synchronous invocation of a DR function (Lambda Invoke, RequestResponse) with this run's
 * invocation id in ClientContext (functions/shared/progress.ts), and its answer or error as the
 * functions shape them (functions/shared/errors.ts: the human text, then the details as JSON).
 *
 * Never retried: a failover whose answer is lost must not run twice. A throttle (the construct
 * keeps one concurrent run of each function) is reported as busy: it did not run at all.
 */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import type { ErrorDetails } from '../functions/shared/errors';
import { splitErrorMessage } from '../functions/shared/invoke-function';
import { INVOCATION_ID_KEY } from '../functions/shared/progress';
import type { FunctionAnswer } from './render';

export type InvokeResult =
  | { readonly kind: 'answer'; readonly answer: FunctionAnswer }
  | { readonly kind: 'function-error'; readonly errorType: string; readonly message: string; readonly details: ErrorDetails | undefined };

/** The function could not be invoked (or did not run): `busy` when it was throttled. */
export class InvokeFailedError extends Error {
  override readonly name = 'InvokeFailedError';
  constructor(
    message: string,
    readonly busy: boolean,
  ) {
    super(message);
  }
}

function describeAwsError(err: unknown, functionName: string, region: string | undefined): InvokeFailedError {
  const e = err as { name?: string; message?: string };
  const name = e.name ?? 'Error';
  switch (name) {
    case 'ResourceNotFoundException':
      return new InvokeFailedError(`function ${functionName} not found${region ? ` in ${region}` : ''}: check --environment and --identifier (or --function-name) and --region`, false);
    case 'TooManyRequestsException':
      return new InvokeFailedError(`${functionName} is already running (the construct allows one run at a time): another operation is under way; run status, then try again`, true);
    case 'CredentialsProviderError':
      return new InvokeFailedError(`no AWS credentials: ${e.message ?? ''} (set --profile, run aws sso login, or set AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)`, false);
    case 'AccessDeniedException':
    case 'AccessDenied':
      return new InvokeFailedError(`not allowed to invoke ${functionName}: ${e.message ?? ''} (lambda:InvokeFunction on the function is needed)`, false);
    default:
      return new InvokeFailedError(`could not invoke ${functionName}: ${name}: ${e.message ?? ''}`, false);
  }
}

export async function invokeFunction(client: LambdaClient, functionName: string, event: unknown, invocationId: string, region: string | undefined): Promise<InvokeResult> {
  let out;
  try {
    out = await client.send(
      new InvokeCommand({
        FunctionName: functionName,
        InvocationType: 'RequestResponse',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
        ClientContext: Buffer.from(JSON.stringify({ custom: { [INVOCATION_ID_KEY]: invocationId } }), 'utf8').toString('base64'),
      }),
    );
  } catch (err) {
    throw describeAwsError(err, functionName, region);
  }
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
  if (out.FunctionError) {
    try {
      const parsed = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      const { message, details } = splitErrorMessage(parsed.errorMessage ?? text);
      return { kind: 'function-error', errorType: parsed.errorType ?? out.FunctionError, message, details };
    } catch {
      return { kind: 'function-error', errorType: out.FunctionError, message: text, details: undefined };
    }
  }
  try {
    return { kind: 'answer', answer: JSON.parse(text) as FunctionAnswer };
  } catch {
    throw new InvokeFailedError(`${functionName} answered with a payload that is not JSON`, false);
  }
}
