/** Synchronous Lambda-to-Lambda calls with JSON in and out. */
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';

export class InvokedFunctionError extends Error {
  override readonly name = 'InvokedFunctionError';
}

export async function invokeJson<T>(client: LambdaClient, functionName: string, payload: unknown): Promise<T> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: functionName,
      InvocationType: 'RequestResponse',
      Payload: new TextEncoder().encode(JSON.stringify(payload)),
    }),
  );
  const text = out.Payload ? new TextDecoder().decode(out.Payload) : '';
  if (out.FunctionError) {
    let message = text;
    try {
      const parsed = JSON.parse(text) as { errorType?: string; errorMessage?: string };
      message = `${parsed.errorType ?? 'Error'}: ${parsed.errorMessage ?? text}`;
    } catch {
      // keep the raw payload
    }
    throw new InvokedFunctionError(`${functionName} failed (${out.FunctionError}): ${message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new InvokedFunctionError(`${functionName} answered with a payload that is not JSON`);
  }
}
