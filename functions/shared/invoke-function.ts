/** Synchronous Lambda-to-Lambda calls with JSON in and out, bounded by the caller's deadline. */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { untilDeadline } from './aws-client-options';
import type { Deadline } from './deadline';
import type { ErrorDetails } from './errors';

export class InvokedFunctionError extends Error {
  override readonly name = 'InvokedFunctionError';
  constructor(
    message: string,
    /** The callee's error type (e.g. RefusedError) and its structured details, when it sent them. */
    readonly errorType: string | undefined,
    readonly details: ErrorDetails | undefined,
  ) {
    super(message);
  }
}

/** Splits a DR function's errorMessage into its human text and its JSON details (errors.ts). */
export function splitErrorMessage(text: string): { message: string; details: ErrorDetails | undefined } {
  const at = text.lastIndexOf('\n{');
  if (at < 0) return { message: text, details: undefined };
  try {
    return { message: text.slice(0, at), details: JSON.parse(text.slice(at + 1)) as ErrorDetails };
  } catch {
    return { message: text, details: undefined };
  }
}

export async function invokeJson<T>(client: LambdaClient, functionName: string, payload: unknown, deadline: Deadline): Promise<T> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
    untilDeadline(deadline),
  );
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
  if (out.FunctionError) {
    let errorType: string | undefined;
    let message = text;
    let details: ErrorDetails | undefined;
    try {
      const parsed = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      errorType = parsed.errorType;
      ({ message, details } = splitErrorMessage(parsed.errorMessage ?? text));
    } catch {
      // keep the raw payload
    }
    throw new InvokedFunctionError(`${functionName} failed (${errorType ?? out.FunctionError}): ${message}`, errorType, details);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new InvokedFunctionError(`${functionName} answered with a payload that is not JSON`, undefined, undefined);
  }
}
