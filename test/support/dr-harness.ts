/**
 * Everything the DR functions talk to, on 127.0.0.1: two simulated Vault Enterprise clusters,
 * moto (Route 53, Secrets Manager, STS), a fault proxy in front of moto's Route 53, and a local
 * Lambda Invoke endpoint running the login and dns-switch handlers. The function tests, the fault
 * matrix, the drill and the benchmark all build on it.
 */
import { CreateHostedZoneCommand, ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { switchDnsToPrimary } from '../../functions/dns-switch/handler';
import { login } from '../../functions/vault-login/handler';
import type { Env } from '../../functions/shared/env';
import { startVaultPair, vaultRequest, type StartVaultPairOptions, type VaultPair } from '../vault-simulator';
import { startAwsFaultProxy, type AwsFaultProxy } from './aws-fault-proxy';
import { startLambdaInvokeEndpoint, type LambdaInvokeEndpoint } from './lambda-invoke-endpoint';
import { startMoto, type MotoServer } from './moto';

export const ENVIRONMENT = 'dev';
export const IDENTIFIER = 'test';
export const LOGIN_FUNCTION = `vault-dr-login-${ENVIRONMENT}-${IDENTIFIER}`;
export const DNS_SWITCH_FUNCTION = `vault-dr-dns-switch-${ENVIRONMENT}-${IDENTIFIER}`;
export const LOGIN_ROLE_ARN = `arn:aws:iam::123456789012:role/vault-dr-login-${ENVIRONMENT}-${IDENTIFIER}`;
const IAM_SERVER_ID = 'vault.dr-test.example.com';

/** Network bounds for tests: small, so that a blackholed cluster costs well under a second. */
export const FAST_BOUNDS = { VAULT_CONNECT_TIMEOUT_MS: '250', VAULT_REQUEST_TIMEOUT_MS: '600', VAULT_MAX_ATTEMPTS: '2' } as const;

/** The shared AWS services: started once per test file. */
export interface AwsDoubles {
  readonly moto: MotoServer;
  readonly route53Proxy: AwsFaultProxy;
  readonly lambda: LambdaInvokeEndpoint;
  stop(): Promise<void>;
}

export async function startAwsDoubles(): Promise<AwsDoubles> {
  const moto = await startMoto();
  const route53Proxy = await startAwsFaultProxy(moto.endpoint);
  const lambda = await startLambdaInvokeEndpoint();
  // The SDK reads these when a client is created; the functions create theirs per invocation.
  Object.assign(process.env, {
    AWS_REGION: 'us-west-2',
    AWS_ACCESS_KEY_ID: 'AKIATESTHARNESS00000',
    AWS_SECRET_ACCESS_KEY: 'harness-secret-key',
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ENDPOINT_URL_ROUTE_53: route53Proxy.endpoint,
    AWS_ENDPOINT_URL_LAMBDA: lambda.endpoint,
    AWS_MAX_ATTEMPTS: '3',
  });
  delete process.env.AWS_SESSION_TOKEN;
  return {
    moto,
    route53Proxy,
    lambda,
    async stop() {
      await Promise.all([moto.stop(), route53Proxy.stop(), lambda.stop()]);
    },
  };
}

export interface DrWorld {
  readonly vault: VaultPair;
  readonly names: readonly [string, string];
  readonly hostedZoneId: string;
  /** The high-level name whose two weighted records the DNS switch moves. */
  readonly recordName: string;
  readonly secretId: string;
  readonly route53: Route53Client;
  readonly secrets: SecretsManagerClient;
  /** Per-function configuration, as the construct would set it. */
  readonly env: { readonly login: Env; readonly generator: Env; readonly operations: Env; readonly dnsSwitch: Env };
  /** Current weights of the two weighted records, by set identifier. */
  weights(): Promise<Record<string, number>>;
  /**
   * Promotes `cluster` through the API with a fresh batch token, without the code under test, and
   * waits for it to be active (set-up for "the secondary is already primary").
   */
  promoteDirectly(cluster: string): Promise<void>;
  /** Creates a batch DR token on the current primary and stores it as dr-token-generator would. */
  storeDrToken(options?: { ttl?: string; expiresAt?: Date }): Promise<string>;
  stop(): Promise<void>;
}

export interface DrWorldOptions extends Pick<StartVaultPairOptions, 'initialState' | 'transitionMs' | 'slowMs'> {
  /** Overrides for every function's environment (timeouts, ...). */
  readonly envOverrides?: Env;
  /** Whether the secret exists (with no value) before any token is stored. @default true */
  readonly createSecret?: boolean;
}

let worldCounter = 0;

/** A fresh pair of clusters (east primary, west its DR secondary), hosted zone and secret. */
export async function createDrWorld(aws: AwsDoubles, options: DrWorldOptions = {}): Promise<DrWorld> {
  const id = `${process.pid}-${++worldCounter}`;
  // The harness talks to moto directly: the fault proxy's call log holds only the functions' calls.
  const clientConfig = { region: 'us-west-2', endpoint: aws.moto.endpoint };
  const sts = new STSClient(clientConfig);
  const route53 = new Route53Client(clientConfig);
  const secrets = new SecretsManagerClient(clientConfig);
  const vault = await startVaultPair({
    names: ['east', 'west'],
    stsEndpoint: aws.moto.endpoint,
    iamServerIdHeaderValue: IAM_SERVER_ID,
    transitionMs: options.transitionMs ?? 50,
    ...(options.slowMs === undefined ? {} : { slowMs: options.slowMs }),
    ...(options.initialState === undefined ? {} : { initialState: options.initialState }),
  });
  const [east, west] = vault.clusters;
  await vault.configureDr({ environment: ENVIRONMENT, identifier: IDENTIFIER, loginRoleArn: LOGIN_ROLE_ARN });
  // Tests assert on what the functions send; the set-up's own requests are not theirs.
  const forgetSetUpRequests = (): void => vault.clusters.forEach((c) => c.clearRequests());
  forgetSetUpRequests();

  const zoneName = `dr-test-${id}.example.com`;
  const recordName = `vault.${zoneName}`;
  const zone = await route53.send(new CreateHostedZoneCommand({ Name: zoneName, CallerReference: id }));
  const hostedZoneId = (zone.HostedZone?.Id ?? '').replace('/hostedzone/', '');
  const record = (setId: string, weight: number, target: string) => ({
    Action: 'CREATE' as const,
    ResourceRecordSet: { Name: recordName, Type: 'CNAME' as const, SetIdentifier: setId, Weight: weight, TTL: 30, ResourceRecords: [{ Value: target }] },
  });
  await route53.send(
    new ChangeResourceRecordSetsCommand({
      HostedZoneId: hostedZoneId,
      ChangeBatch: { Changes: [record('east', 255, 'vault-east.example.com'), record('west', 0, 'vault-west.example.com')] },
    }),
  );

  const secretId = `vault-dr-token-${id}`;
  if (options.createSecret !== false) await secrets.send(new CreateSecretCommand({ Name: secretId }));

  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: LOGIN_ROLE_ARN, RoleSessionName: LOGIN_FUNCTION }));
  const common: Env = {
    VAULT_CLUSTERS: JSON.stringify([
      { name: east.name, address: east.address },
      { name: west.name, address: west.address },
    ]),
    VAULT_CA_FILE: vault.caFile,
    LOG_LEVEL: 'debug',
    ...FAST_BOUNDS,
    ...options.envOverrides,
  };
  const env = {
    login: {
      ...common,
      VAULT_ADDR: east.address,
      VAULT_IAM_SERVER_ID: IAM_SERVER_ID,
      AWS_ACCESS_KEY_ID: assumed.Credentials?.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: assumed.Credentials?.SecretAccessKey,
      AWS_SESSION_TOKEN: assumed.Credentials?.SessionToken,
    },
    generator: {
      ...common,
      LOGIN_FUNCTION_NAME: LOGIN_FUNCTION,
      VAULT_LOGIN_ROLE: `dr-login-${ENVIRONMENT}-${IDENTIFIER}`,
      DR_TOKEN_ROLE: `dr-batch-${ENVIRONMENT}-${IDENTIFIER}`,
      DR_TOKEN_SECRET_ID: secretId,
      DR_ENVIRONMENT: ENVIRONMENT,
    },
    operations: {
      ...common,
      DR_TOKEN_SECRET_ID: secretId,
      VAULT_PROMOTION_TIMEOUT_MS: '5000',
      VAULT_POLL_MS: '25',
      DNS_SWITCH_FUNCTION_NAME: DNS_SWITCH_FUNCTION,
    },
    dnsSwitch: { ...common, HOSTED_ZONE_ID: hostedZoneId, DNS_RECORD_NAME: recordName, DNS_SYNC_POLL_MS: '20', DNS_SYNC_TIMEOUT_MS: '2000' },
  };
  // Each world registers its own handlers; the last world created in a file is the one invoked.
  aws.lambda.register(LOGIN_FUNCTION, (event) => login(event, env.login));
  aws.lambda.register(DNS_SWITCH_FUNCTION, (event) => switchDnsToPrimary(event, env.dnsSwitch));

  return {
    vault,
    names: [east.name, west.name],
    hostedZoneId,
    recordName,
    secretId,
    route53,
    secrets,
    env,
    async weights() {
      const out = await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: recordName, StartRecordType: 'CNAME' }));
      return Object.fromEntries((out.ResourceRecordSets ?? []).filter((s) => s.SetIdentifier).map((s) => [s.SetIdentifier as string, s.Weight ?? -1]));
    },
    async promoteDirectly(name) {
      const { token } = await vault.createDrBatchToken({ ttl: '1h' });
      const target = vault.cluster(name);
      const res = await vaultRequest(target.address, vault.caPem, { method: 'POST', path: 'sys/replication/dr/secondary/promote', body: { dr_operation_token: token } });
      if (res.status !== 200) throw new Error(`set-up promote of ${name} answered ${res.status}: ${JSON.stringify(res.body)}`);
      while (!target.isAnsweringPrimary()) await new Promise((r) => setTimeout(r, 10));
      forgetSetUpRequests();
    },
    async storeDrToken(opts = {}) {
      const { token, expiresAt } = await vault.createDrBatchToken({ ttl: opts.ttl ?? '1h' });
      forgetSetUpRequests();
      const record = {
        token,
        expiresAt: (opts.expiresAt ?? expiresAt).toISOString(),
        createdAt: new Date().toISOString(),
        vaultAddress: east.address,
      };
      if (options.createSecret === false) await secrets.send(new CreateSecretCommand({ Name: secretId, SecretString: JSON.stringify(record) }));
      else await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(record) }));
      return token;
    },
    async stop() {
      route53.destroy();
      secrets.destroy();
      sts.destroy();
      await vault.stop();
    },
  };
}
