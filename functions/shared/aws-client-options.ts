/**
 * Timeouts and retries for the AWS SDK clients, bounded by the invocation's deadline. Endpoints
 * are the SDK's own settings (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>), which is how the tests
 * reach moto.
 */
import type { Deadline } from './deadline';
import type { AwsBounds } from './settings/common';

export interface AwsClientOptions {
  readonly maxAttempts: number;
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number };
}

/** `requestTimeoutMs` overrides the per-attempt bound (a Lambda invoke must outlast its callee). */
export function awsClientOptions(bounds: AwsBounds, deadline: Deadline, requestTimeoutMs = bounds.requestTimeoutMs): AwsClientOptions {
  return {
    maxAttempts: bounds.maxAttempts,
    requestHandler: {
      connectionTimeout: Math.max(1, deadline.bound(bounds.connectTimeoutMs)),
      requestTimeout: Math.max(1, deadline.bound(requestTimeoutMs)),
    },
  };
}

/** Options for one `client.send`: aborted when the deadline passes, retries included. */
export function untilDeadline(deadline: Deadline): { abortSignal: AbortSignal } {
  return { abortSignal: deadline.signal() };
}
