/**
 * Timeouts and retries for the AWS SDK clients. Endpoints are the SDK's own settings
 * (AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE>), which is how the tests reach moto.
 */
import { type Env, optionalInteger } from './env';

export interface AwsClientOptions {
  readonly maxAttempts: number;
  readonly requestHandler: { readonly connectionTimeout: number; readonly requestTimeout: number };
}

/** `requestTimeoutMs` is the default total time of one attempt; AWS_REQUEST_TIMEOUT_MS overrides it. */
export function awsClientOptions(env: Env, requestTimeoutMs = 5000): AwsClientOptions {
  return {
    maxAttempts: optionalInteger(env, 'AWS_MAX_ATTEMPTS', 3, { min: 1, max: 10 }),
    requestHandler: {
      connectionTimeout: optionalInteger(env, 'AWS_CONNECT_TIMEOUT_MS', 1000, { min: 50, max: 60_000 }),
      requestTimeout: optionalInteger(env, 'AWS_REQUEST_TIMEOUT_MS', requestTimeoutMs, { min: 100, max: 900_000 }),
    },
  };
}
