/**
 * Everything the DR functions talk to, on 127.0.0.1: two simulated Vault Enterprise clusters,
 * moto (Route 53, Secrets Manager, STS, DynamoDB), a fault proxy in front of moto's Route 53, and a
 * local Lambda Invoke endpoint running the four functions' handlers. Each function's environment is
 * written by its own settings module, as the construct writes it; each function logs in to Vault
 * with credentials of its own IAM role, as on Lambda. The function tests, the fault matrix, the
 * drill and the benchmark all build on it.
 */
import { CreateTableCommand, DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { CreateHostedZoneCommand, ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateSecretCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { switchDnsToPrimary } from '../../functions/dns-switch/handler';
import { runOperation } from '../../functions/dr-operations/handler';
import { runWatchdog } from '../../functions/dr-watchdog/handler';
import { refreshDrToken } from '../../functions/dr-token-generator/handler';
import type { LambdaContextLike } from '../../functions/shared/deadline';
import { finalizeError } from '../../functions/shared/failure';
import { drResourceNames } from '../../modules/dr-automation/names';
import { dnsSwitchEnvironment } from '../../functions/dns-switch/settings';
import { drOperationsEnvironment } from '../../functions/dr-operations/settings';
import { watchdogEnvironment } from '../../functions/dr-watchdog/settings';
import { generatorEnvironment } from '../../functions/dr-token-generator/settings';
import { LEASE_LOCK_ID } from '../../functions/shared/lease';
import { LEASE_TABLE_SCHEMA } from '../../functions/shared/settings/lease-table';
import type { Env } from '../../functions/shared/settings/variables';
import { startVaultPair, vaultRequest, type ConfiguredDrNames, type StartVaultPairOptions, type VaultPair } from '../vault-simulator';
import { startAwsFaultProxy, type AwsFaultProxy } from './aws-fault-proxy';
import { startLambdaInvokeEndpoint, type LambdaInvokeEndpoint } from './lambda-invoke-endpoint';
import { startMoto, type MotoServer } from './moto';

export const ENVIRONMENT = 'dev';
export const IDENTIFIER = 'test';
/** The functions' names by the construct's own rule, `<purpose>-<environment>-<identifier>`. */
const FUNCTION_NAMES = drResourceNames(ENVIRONMENT, IDENTIFIER).functions;
export const DNS_SWITCH_FUNCTION = FUNCTION_NAMES['dns-switch'];
/** The dr-operations function as the watchdog and vault-dr invoke it (the local Lambda endpoint runs its handler). */
export const DR_OPERATIONS_FUNCTION = FUNCTION_NAMES['dr-operations'];
export const GENERATOR_FUNCTION = FUNCTION_NAMES['dr-token-generator'];
export const WATCHDOG_FUNCTION = FUNCTION_NAMES['dr-watchdog'];
export const GENERATOR_ROLE_ARN = `arn:aws:iam::123456789012:role/dr-token-generator-${ENVIRONMENT}-${IDENTIFIER}`;
export const OPERATIONS_ROLE_ARN = `arn:aws:iam::123456789012:role/dr-operations-${ENVIRONMENT}-${IDENTIFIER}`;
const IAM_SERVER_ID = 'vault.dr-test.example.com';
/** The construct's Lambda timeouts (modules/dr-automation/defaults.ts). */
export const DNS_SWITCH_TIMEOUT_MS = 60_000;
export const DR_OPERATIONS_TIMEOUT_MS = 120_000;
export const GENERATOR_TIMEOUT_MS = 60_000;
export const WATCHDOG_TIMEOUT_MS = 180_000;

/** Network bounds for tests: small, so that a blackholed cluster costs well under a second. */
export const FAST_BOUNDS = { VAULT_CONNECT_TIMEOUT_MS: '250', VAULT_REQUEST_TIMEOUT_MS: '600', VAULT_MAX_ATTEMPTS: '2' } as const;
/**
 * The confirmation that a primary is down, shrunk for tests: three probes over 300 ms. The heartbeat
 * bound is 0 here (the simulator's clock is real time); tests of the bound set it themselves.
 */
export const FAST_LIVENESS = { PRIMARY_DOWN_PROBES: '3', PRIMARY_DOWN_WINDOW_MS: '300', PRIMARY_HEARTBEAT_STALE_MS: '0' } as const;

/** The shared AWS services: started once per test file. */
export interface AwsDoubles {
  readonly moto: MotoServer;
  readonly route53Proxy: AwsFaultProxy;
  readonly lambda: LambdaInvokeEndpoint;
  stop(): Promise<void>;
}

export interface AwsDoublesOptions {
  /**
   * Ship what each function invoked through the local Lambda endpoint writes to stdout to moto's
   * CloudWatch Logs (`/aws/lambda/<function>`), as Lambda does: what the CLI follows.
   * @default false
   */
  readonly shipLogs?: boolean;
}

export async function startAwsDoubles(options: AwsDoublesOptions = {}): Promise<AwsDoubles> {
  const moto = await startMoto();
  const route53Proxy = await startAwsFaultProxy(moto.endpoint);
  const lambda = await startLambdaInvokeEndpoint(options.shipLogs ? { logs: { endpoint: moto.endpoint, region: 'us-west-2' } } : {});
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

export interface LeaseItem {
  readonly owner: string;
  readonly holder: string;
  readonly expiresAtMs: number;
}

export interface DrWorld {
  readonly vault: VaultPair;
  readonly names: readonly [string, string];
  readonly vaultNames: ConfiguredDrNames;
  readonly hostedZoneId: string;
  /** The high-level name whose two weighted records the DNS switch moves. */
  readonly recordName: string;
  readonly secretId: string;
  readonly leaseTable: string;
  readonly route53: Route53Client;
  readonly secrets: SecretsManagerClient;
  readonly dynamodb: DynamoDBClient;
  /** Per-function configuration, as the construct would set it, plus each function's own IAM credentials. */
  readonly env: { readonly generator: Env; readonly operations: Env; readonly dnsSwitch: Env; readonly watchdog: Env };
  /** Current weights of the two weighted records, by set identifier. */
  weights(): Promise<Record<string, number>>;
  /**
   * Promotes `cluster` through the API with a fresh batch token, without the code under test, and
   * waits for it to be active (set-up for "the secondary is already primary").
   */
  promoteDirectly(cluster: string): Promise<void>;
  /** Creates a batch DR token on the current primary and stores it as dr-token-generator would. */
  storeDrToken(options?: { ttl?: string; expiresAt?: Date }): Promise<string>;
  /** The lease item as stored (whether expired or not), read around the functions. */
  lease(): Promise<LeaseItem | undefined>;
  /** Writes a lease as another holder would (e.g. one that crashed). */
  holdLease(holder: string, expiresAtMs: number): Promise<void>;
  dropLease(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The simulator's options a world passes through (test/vault-simulator/types.ts documents each):
 * `seed` (replays the load balancers' node choices and elections), `timeScale`, `timings`,
 * `nodes` per cluster, `healthChecks` (the NLB target group, or false), `replication` and
 * `performance` (the settings the docs leave open) and `performanceStandbys`, beside `initialState`, `transitionMs` and `slowMs`. The defaults
 * stay fast: FAST_TIMINGS with 50 ms transitions, time scale 1, five nodes, the project's health
 * checks. The functions run in real time: with a timeScale other than 1, divide their timeouts by
 * it, and remember that the simulator's timestamps (server_time_utc, last_heartbeat) are simulated.
 */
export type DrWorldSimulatorOptions = Pick<
  StartVaultPairOptions,
  'initialState' | 'transitionMs' | 'slowMs' | 'seed' | 'timeScale' | 'timings' | 'nodes' | 'healthChecks' | 'replication' | 'performanceStandbys' | 'versions' | 'performance'
>;

/**
 * The paths the DR automation's dr-operations login needs for performance secondaries
 * (docs/vault-api.md, "Performance secondaries"): update-primary on the secondary, with
 * `update_primary_addrs`; for bootstrap with `performanceSecondary`, on the primary, enabling
 * performance replication (the construct's bootstrap policy must grant it) and the activation token
 * (secondary-token, with sudo: the construct's performance operations policy grants it). The
 * harness grants them in the primary-ops policy of the simulator's configureDr until the
 * construct's Vault policies carry them; the policy replicates to the performance secondaries.
 */
export const PERFORMANCE_OPERATIONS_PATHS: Readonly<Record<string, readonly string[]>> = {
  'sys/replication/performance/secondary/update-primary': ['update'],
  'sys/replication/performance/primary/enable': ['update'],
  'sys/replication/performance/primary/secondary-token': ['update', 'sudo'],
};

export interface DrWorldOptions extends DrWorldSimulatorOptions {
  /**
   * Performance secondaries of the primary (east), beside the DR pair: the simulator starts them
   * following east, and dr-operations gets them in VAULT_PERFORMANCE_SECONDARIES.
   * @default [] (two clusters, performance replication disabled)
   */
  readonly performanceSecondaries?: readonly string[];
  /** Overrides for every function's environment (timeouts, ...). */
  readonly envOverrides?: Env;
  /** Whether the secret exists (with no value) before any token is stored. @default true */
  readonly createSecret?: boolean;
}

let worldCounter = 0;

/** Adds PERFORMANCE_OPERATIONS_PATHS to `policy` on the primary (root token), then waits for it to reach every cluster. */
async function grantPerformancePaths(vault: VaultPair, primaryAddress: string, policy: string): Promise<void> {
  const path = `sys/policies/acl/${policy}`;
  const read = await vaultRequest(primaryAddress, vault.caPem, { path, token: vault.rootToken });
  const text = (read.body as { data?: { policy?: string } } | undefined)?.data?.policy;
  if (read.status !== 200 || typeof text !== 'string') throw new Error(`set-up: reading ${path} answered ${read.status}`);
  const extra = Object.entries(PERFORMANCE_OPERATIONS_PATHS).map(([p, caps]) => `path "${p}" {\n  capabilities = [${caps.map((c) => `"${c}"`).join(', ')}]\n}`);
  const written = await vaultRequest(primaryAddress, vault.caPem, { method: 'PUT', path, token: vault.rootToken, body: { policy: [text, ...extra].join('\n') } });
  if (written.status >= 300) throw new Error(`set-up: writing ${path} answered ${written.status}`);
  await vault.waitForReplication();
}

async function assumedCredentials(sts: STSClient, roleArn: string, session: string): Promise<Env> {
  const assumed = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: session }));
  return {
    AWS_ACCESS_KEY_ID: assumed.Credentials?.AccessKeyId,
    AWS_SECRET_ACCESS_KEY: assumed.Credentials?.SecretAccessKey,
    AWS_SESSION_TOKEN: assumed.Credentials?.SessionToken,
  };
}

/** A fresh pair of clusters (east primary, west its DR secondary), hosted zone, secret and lease table. */
export async function createDrWorld(aws: AwsDoubles, options: DrWorldOptions = {}): Promise<DrWorld> {
  const id = `${process.pid}-${++worldCounter}`;
  // The harness talks to moto directly: the fault proxy's call log holds only the functions' calls.
  const clientConfig = { region: 'us-west-2', endpoint: aws.moto.endpoint };
  const sts = new STSClient(clientConfig);
  const route53 = new Route53Client(clientConfig);
  const secrets = new SecretsManagerClient(clientConfig);
  const dynamodb = new DynamoDBClient(clientConfig);
  // Everything but the harness's own options goes to the simulator.
  const { envOverrides: _envOverrides, createSecret: _createSecret, transitionMs, performanceSecondaries = [], ...simulator } = options;
  const vault = await startVaultPair({
    ...simulator,
    ...(performanceSecondaries.length ? { performanceSecondaries } : {}),
    names: ['east', 'west'],
    stsEndpoint: aws.moto.endpoint,
    iamServerIdHeaderValue: IAM_SERVER_ID,
    transitionMs: transitionMs ?? 50,
  });
  const [east, west] = vault.clusters;
  // Before bootstrap only the would-be primary (east) has the DR objects, as Terraform writes them to it.
  const vaultNames = await vault.configureDr({
    environment: ENVIRONMENT,
    identifier: IDENTIFIER,
    generatorRoleArn: GENERATOR_ROLE_ARN,
    operationsRoleArn: OPERATIONS_ROLE_ARN,
    ...(options.initialState === 'standalone' ? { cluster: east.name } : {}),
  });
  if (performanceSecondaries.length) await grantPerformancePaths(vault, east.address, vaultNames.primaryOpsPolicy);
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

  // The lease table as the construct creates it (one schema for both: functions/shared/settings/lease-table.ts).
  const leaseTable = `dr-lease-${id}`;
  await dynamodb.send(
    new CreateTableCommand({
      TableName: leaseTable,
      KeySchema: [{ AttributeName: LEASE_TABLE_SCHEMA.partitionKey, KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: LEASE_TABLE_SCHEMA.partitionKey, AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await dynamodb.send(new UpdateTimeToLiveCommand({ TableName: leaseTable, TimeToLiveSpecification: { AttributeName: LEASE_TABLE_SCHEMA.ttlAttribute, Enabled: true } }));

  const clusters = [
    { name: east.name, address: east.address },
    { name: west.name, address: west.address },
  ] as const;
  const performance = performanceSecondaries.map((name) => ({ name, address: vault.cluster(name).address }));
  const login = { awsAuthPath: vaultNames.awsAuthMount, iamServerId: IAM_SERVER_ID };
  const testing: Env = { LOG_LEVEL: 'debug', ...FAST_BOUNDS, ...options.envOverrides };
  const env = {
    generator: {
      ...generatorEnvironment({
        clusters,
        caFile: vault.caFile,
        ...login,
        awsAuthRole: vaultNames.generatorAuthRole,
        tokenRole: vaultNames.tokenRole,
        ttlSeconds: 8 * 3600,
        secretId,
        metricEnvironment: ENVIRONMENT,
      }),
      ...(await assumedCredentials(sts, GENERATOR_ROLE_ARN, 'dr-token-generator')),
      ...testing,
    },
    operations: {
      ...drOperationsEnvironment({
        clusters,
        caFile: vault.caFile,
        ...login,
        awsAuthRole: vaultNames.operationsAuthRole,
        secretId,
        minTokenRemainingSeconds: 600,
        dnsSwitchFunctionName: DNS_SWITCH_FUNCTION,
        leaseTableName: leaseTable,
        performanceSecondaries: performance,
      }),
      ...(await assumedCredentials(sts, OPERATIONS_ROLE_ARN, 'dr-operations')),
      VAULT_PROMOTION_TIMEOUT_MS: '5000',
      VAULT_POLL_MS: '25',
      ...FAST_LIVENESS,
      ...testing,
    },
    dnsSwitch: {
      ...dnsSwitchEnvironment({ clusters, caFile: vault.caFile, hostedZoneId, recordName, recordType: 'CNAME', leaseTableName: leaseTable }),
      DNS_SYNC_POLL_MS: '20',
      DNS_SYNC_TIMEOUT_MS: '2000',
      ...testing,
    },
    // The watchdog's own settings keep their defaults (the window of 2 minutes): its tests give it a
    // clock. The heartbeat bound is 0 here, as dr-operations' is (the simulator's clock is real time).
    watchdog: {
      ...watchdogEnvironment({ clusters, caFile: vault.caFile, mode: 'notify', operationsFunctionName: DR_OPERATIONS_FUNCTION, metricEnvironment: ENVIRONMENT, leaseTableName: leaseTable }),
      WATCHDOG_HEARTBEAT_STALE_MS: '0',
      ...testing,
    },
  };
  // Each world registers its own handlers; the last world created in a file is the one invoked.
  // Each runs as its Lambda entry point does: with its own environment, an error completed with
  // what the invocation knows.
  const asLambda = (run: (event: unknown, context: LambdaContextLike) => Promise<unknown>) => (event: unknown, context: LambdaContextLike) =>
    run(event, context).catch((err: unknown) => {
      throw finalizeError(err, { changed: [], clusters: [], defaultNext: null });
    });
  aws.lambda.register(DNS_SWITCH_FUNCTION, asLambda((event, context) => switchDnsToPrimary(event, env.dnsSwitch, context)), DNS_SWITCH_TIMEOUT_MS);
  aws.lambda.register(DR_OPERATIONS_FUNCTION, asLambda((event, context) => runOperation(event, env.operations, context)), DR_OPERATIONS_TIMEOUT_MS);
  aws.lambda.register(GENERATOR_FUNCTION, asLambda((_event, context) => refreshDrToken(env.generator, context)), GENERATOR_TIMEOUT_MS);
  aws.lambda.register(WATCHDOG_FUNCTION, asLambda((event, context) => runWatchdog(event, env.watchdog, context)), WATCHDOG_TIMEOUT_MS);

  const leaseKey = { lockId: { S: LEASE_LOCK_ID } };
  return {
    vault,
    names: [east.name, west.name],
    vaultNames,
    hostedZoneId,
    recordName,
    secretId,
    leaseTable,
    route53,
    secrets,
    dynamodb,
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
      const value = {
        token,
        expiresAt: (opts.expiresAt ?? expiresAt).toISOString(),
        createdAt: new Date().toISOString(),
        vaultAddress: east.address,
      };
      if (options.createSecret === false) await secrets.send(new CreateSecretCommand({ Name: secretId, SecretString: JSON.stringify(value) }));
      else await secrets.send(new PutSecretValueCommand({ SecretId: secretId, SecretString: JSON.stringify(value) }));
      return token;
    },
    async lease() {
      const out = await dynamodb.send(new GetItemCommand({ TableName: leaseTable, Key: leaseKey, ConsistentRead: true }));
      if (!out.Item) return undefined;
      return { owner: out.Item.owner?.S ?? '', holder: out.Item.holder?.S ?? '', expiresAtMs: Number(out.Item.expiresAtMs?.N) };
    },
    async holdLease(holder, expiresAtMs) {
      await dynamodb.send(
        new PutItemCommand({
          TableName: leaseTable,
          Item: {
            ...leaseKey,
            owner: { S: `test/${holder}` },
            holder: { S: holder },
            acquiredAt: { S: new Date().toISOString() },
            expiresAt: { S: new Date(expiresAtMs).toISOString() },
            expiresAtMs: { N: String(expiresAtMs) },
            expiresAtEpoch: { N: String(Math.ceil(expiresAtMs / 1000)) },
          },
        }),
      );
    },
    async dropLease() {
      await dynamodb.send(new DeleteItemCommand({ TableName: leaseTable, Key: leaseKey }));
    },
    async stop() {
      route53.destroy();
      secrets.destroy();
      dynamodb.destroy();
      sts.destroy();
      await vault.stop();
    },
  };
}
