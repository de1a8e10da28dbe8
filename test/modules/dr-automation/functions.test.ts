import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseDnsSwitchSettings } from '../../../functions/dns-switch/settings';
import { parseDrOperationsSettings } from '../../../functions/dr-operations/settings';
import { parseGeneratorSettings } from '../../../functions/dr-token-generator/settings';
import { parseWatchdogSettings, WATCHDOG_LOCAL_BUDGET_MS } from '../../../functions/dr-watchdog/settings';
import { clusterNameProblem } from '../../../functions/shared/settings/clusters';
import { DR_AUTOMATION_DEFAULTS, DrAutomation, PropsValidationError } from '../../../modules';
import { ArchiveProvider } from '../../../modules/internal/archive';
import { AwsProvider } from '../../../modules/internal/aws';
import { Testing } from '../../../modules/internal/cdktf';
import { VaultProvider } from '../../../modules/internal/vault';
import {
  CLUSTERS,
  drAutomationProps,
  FIXTURE_BUNDLES_DIRECTORY,
  FIXTURE_CA_PEM,
  FUNCTION_NAMES,
  HOSTED_ZONE_ID,
  VAULT_ADDRESS,
} from '../support/dr-automation-fixtures';
import { type Block, dataRef, ref, synthesize, type Synthesized, testStack } from '../support/synthesized';

/** `dr-token-generator` -> `DrTokenGenerator`, as the construct ids are. */
const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase());

const VAULT_CLUSTERS = JSON.stringify([
  { name: CLUSTERS.primary.name, address: CLUSTERS.primary.address },
  { name: CLUSTERS.dr.name, address: CLUSTERS.dr.address },
]);

function lambda(synth: Synthesized, name: string) {
  return synth.resource('aws_lambda_function', (fn) => fn.function_name === name);
}

describe('DrAutomation functions', () => {
  let synth: Synthesized;
  let keyArn: string;
  let secretArn: string;
  let queueArn: string;

  beforeAll(() => {
    synth = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps()));
    keyArn = synth.resource('aws_kms_alias', (a) => a.name === 'alias/vault-dr-test-main').body.target_key_id.replace('.key_id}', '.arn}');
    secretArn = ref('aws_secretsmanager_secret', synth.resource('aws_secretsmanager_secret').id, 'arn');
    queueArn = ref('aws_sqs_queue', synth.resource('aws_sqs_queue').id, 'arn');
  });

  it('creates exactly the four functions, named <purpose>-<environment>-<identifier>', () => {
    const names = Object.values(synth.resources('aws_lambda_function')).map((fn) => fn.function_name);
    expect(names.sort()).toEqual(Object.values(FUNCTION_NAMES).sort());
  });

  it.each(Object.values(FUNCTION_NAMES))('%s runs the bundle on Node 22 (arm64), traced, with its environment encrypted by the key', (name) => {
    const { body } = lambda(synth, name);
    expect(body).toMatchObject({
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      handler: 'index.handler',
      tracing_config: { mode: 'Active' },
      kms_key_arn: keyArn,
      logging_config: { log_format: 'Text' },
    });
    expect(body.vpc_config).toBeUndefined();
  });

  it('gives the DR operations and DNS switch functions a reserved concurrency of 1: never two failovers at once', () => {
    expect(lambda(synth, FUNCTION_NAMES['dr-operations']).body.reserved_concurrent_executions).toBe(1);
    expect(lambda(synth, FUNCTION_NAMES['dns-switch']).body.reserved_concurrent_executions).toBe(1);
    expect(lambda(synth, FUNCTION_NAMES['dr-token-generator']).body.reserved_concurrent_executions).toBe(1);
    expect(lambda(synth, FUNCTION_NAMES['dr-watchdog']).body.reserved_concurrent_executions).toBe(1);
  });

  it('gives the watchdog a timeout that holds a failover through dr-operations (its own 120 s) and the pages', () => {
    expect(lambda(synth, FUNCTION_NAMES['dr-watchdog']).body.timeout).toBe(WATCHDOG_LOCAL_BUDGET_MS / 1000);
    expect(lambda(synth, FUNCTION_NAMES['dr-watchdog']).body.timeout).toBeGreaterThan(lambda(synth, FUNCTION_NAMES['dr-operations']).body.timeout + 30);
  });

  it('gives each function its own role, named like the function, and waits for its permissions', () => {
    for (const name of Object.values(FUNCTION_NAMES)) {
      const { body } = lambda(synth, name);
      const role = synth.resource('aws_iam_role', (r) => r.name === name);
      const rolePolicy = synth.resource('aws_iam_role_policy', (p) => p.name === name);
      expect(body.role).toBe(ref('aws_iam_role', role.id, 'arn'));
      expect(rolePolicy.body.role).toBe(ref('aws_iam_role', role.id, 'name'));
      expect(body.depends_on).toEqual([`aws_iam_role_policy.${rolePolicy.id}`]);
    }
  });

  it('writes each function to its own log group, with retention and the key', () => {
    for (const name of Object.values(FUNCTION_NAMES)) {
      const logGroup = synth.resource('aws_cloudwatch_log_group', (g) => g.name === `/aws/lambda/${name}`);
      expect(logGroup.body).toMatchObject({ retention_in_days: 365, kms_key_id: keyArn });
      expect(lambda(synth, name).body.logging_config.log_group).toBe(ref('aws_cloudwatch_log_group', logGroup.id, 'name'));
    }
  });

  it('sends failed asynchronous invocations to the failure queue, and never retries a failover or a DNS switch', () => {
    const retries: Record<string, number> = {
      [FUNCTION_NAMES['dr-token-generator']]: 2,
      [FUNCTION_NAMES['dr-operations']]: 0,
      [FUNCTION_NAMES['dns-switch']]: 0,
      [FUNCTION_NAMES['dr-watchdog']]: 0,
    };
    const configs = Object.values(synth.resources('aws_lambda_function_event_invoke_config'));
    expect(configs).toHaveLength(4);
    for (const name of Object.values(FUNCTION_NAMES)) {
      const fn = lambda(synth, name);
      const config = configs.find((c) => c.function_name === ref('aws_lambda_function', fn.id, 'function_name'));
      expect(config).toEqual({
        function_name: ref('aws_lambda_function', fn.id, 'function_name'),
        maximum_retry_attempts: retries[name],
        destination_config: { on_failure: { destination: queueArn } },
      });
    }
  });

  describe('environment variables (written by each function\'s settings module)', () => {
    const common = { VAULT_CLUSTERS, VAULT_CA_FILE: '/var/task/vault-ca.pem' };
    const login = (role: string) => ({
      VAULT_AWS_AUTH_PATH: 'dr-aws-test-main',
      VAULT_AWS_AUTH_ROLE: role,
      VAULT_IAM_SERVER_ID: 'vault-test.example.com',
      VAULT_STS_URL: 'https://sts.amazonaws.com/',
      VAULT_STS_REGION: 'us-east-1',
    });
    const leaseTable = () => ref('aws_dynamodb_table', synth.resource('aws_dynamodb_table').id, 'name');

    it('dr-token-generator', () => {
      expect(lambda(synth, FUNCTION_NAMES['dr-token-generator']).body.environment.variables).toEqual({
        ...common,
        ...login('dr-token-generator-test-main'),
        DR_TOKEN_ROLE: 'dr-batch-test-main',
        DR_TOKEN_TTL: '28800s',
        DR_TOKEN_SECRET_ID: secretArn,
        DR_ENVIRONMENT: 'test-main',
      });
    });

    it('dr-operations, with its own Vault role, the lease table, chaining the DNS switch', () => {
      expect(lambda(synth, FUNCTION_NAMES['dr-operations']).body.environment.variables).toEqual({
        ...common,
        ...login('dr-operations-test-main'),
        DR_TOKEN_SECRET_ID: secretArn,
        DR_TOKEN_MIN_REMAINING_SECONDS: '600',
        LEASE_TABLE_NAME: leaseTable(),
        DNS_SWITCH_FUNCTION_NAME: FUNCTION_NAMES['dns-switch'],
      });
    });

    it('dns-switch, with the lease table', () => {
      expect(lambda(synth, FUNCTION_NAMES['dns-switch']).body.environment.variables).toEqual({
        ...common,
        HOSTED_ZONE_ID,
        DNS_RECORD_NAME: 'vault-test.example.com',
        DNS_RECORD_TYPE: 'CNAME',
        LEASE_TABLE_NAME: leaseTable(),
      });
    });

    it('dr-watchdog, in notify mode by default, with the operations function, the lease table and its metric dimension', () => {
      expect(lambda(synth, FUNCTION_NAMES['dr-watchdog']).body.environment.variables).toEqual({
        ...common,
        WATCHDOG_MODE: 'notify',
        DR_OPERATIONS_FUNCTION_NAME: FUNCTION_NAMES['dr-operations'],
        DR_ENVIRONMENT: 'test-main',
        LEASE_TABLE_NAME: leaseTable(),
      });
      const custom = synthesize(
        (scope) =>
          new DrAutomation(
            scope,
            'Dr',
            drAutomationProps({ watchdogMode: 'auto', watchdogWindowSeconds: 300, maxReplicationWalGap: 50, alarmActions: ['arn:aws:sns:us-west-2:111111111111:alerts'] }),
          ),
      );
      expect(lambda(custom, FUNCTION_NAMES['dr-watchdog']).body.environment.variables).toMatchObject({
        WATCHDOG_MODE: 'auto',
        WATCHDOG_WINDOW_MS: '300000',
        WATCHDOG_MAX_WAL_GAP: '50',
        WATCHDOG_PAGE_TOPIC_ARN: 'arn:aws:sns:us-west-2:111111111111:alerts',
      });
    });

    it("keeps the construct's watchdog defaults equal to the function's own (so the default writes no variable)", () => {
      const own = parseWatchdogSettings({ VAULT_CLUSTERS: JSON.stringify([CLUSTERS.primary, CLUSTERS.dr]), DR_OPERATIONS_FUNCTION_NAME: 'x', LEASE_TABLE_NAME: 'y' });
      expect(own.mode).toBe(DR_AUTOMATION_DEFAULTS.watchdogMode);
      expect(own.windowMs).toBe(DR_AUTOMATION_DEFAULTS.watchdogWindowSeconds * 1000);
      expect(own.maxWalGap).toBe(DR_AUTOMATION_DEFAULTS.maxReplicationWalGap);
    });

    it('every environment it writes is one its function parses without a problem', () => {
      const parsers = {
        'dr-token-generator': parseGeneratorSettings,
        'dr-operations': parseDrOperationsSettings,
        'dns-switch': parseDnsSwitchSettings,
        'dr-watchdog': parseWatchdogSettings,
      };
      for (const [fn, parse] of Object.entries(parsers)) {
        const variables = lambda(synth, FUNCTION_NAMES[fn as keyof typeof FUNCTION_NAMES]).body.environment.variables as Record<string, string>;
        // Terraform references stand for values the function receives at run time.
        const resolved = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.startsWith('${') ? 'resolved-by-terraform' : v]));
        expect(() => parse(resolved)).not.toThrow();
      }
    });

    it('carries each cluster\'s clusterAddress in VAULT_CLUSTERS when it is given (sent as primary_cluster_addr on promote)', () => {
      const clusters = {
        primary: { ...CLUSTERS.primary, clusterAddress: 'https://vault-test-use1.example.com:8201' },
        dr: { ...CLUSTERS.dr, clusterAddress: 'https://vault-test-usw2.example.com:8201' },
      };
      const withPorts = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ clusters })));
      for (const name of Object.values(FUNCTION_NAMES)) {
        expect(JSON.parse(lambda(withPorts, name).body.environment.variables.VAULT_CLUSTERS)).toEqual([
          { name: 'vault-test-use1', address: 'https://vault-test-use1.example.com:8200', clusterAddress: 'https://vault-test-use1.example.com:8201' },
          { name: 'vault-test-usw2', address: 'https://vault-test-usw2.example.com:8200', clusterAddress: 'https://vault-test-usw2.example.com:8201' },
        ]);
      }
    });

    it('sets the log level only when asked, and drops the DNS switch chaining when it is off', () => {
      const custom = synthesize(
        (scope) =>
          new DrAutomation(
            scope,
            'Dr',
            drAutomationProps({
              logLevel: 'debug',
              drTokenTtlSeconds: 14_400,
              drTokenMinRemainingSeconds: 900,
              refreshIntervalMinutes: 30,
              switchDnsAfterPromotion: false,
              vaultAwsAuthMountPath: 'aws-dr',
              vaultStsUrl: 'https://sts.us-west-2.amazonaws.com/',
              vaultStsRegion: 'us-west-2',
            }),
          ),
      );
      const login = {
        LOG_LEVEL: 'debug',
        VAULT_AWS_AUTH_PATH: 'aws-dr',
        VAULT_IAM_SERVER_ID: 'vault-test.example.com',
        VAULT_STS_URL: 'https://sts.us-west-2.amazonaws.com/',
        VAULT_STS_REGION: 'us-west-2',
      };
      const generator = lambda(custom, FUNCTION_NAMES['dr-token-generator']).body.environment.variables;
      expect(generator).toEqual(expect.objectContaining({ ...login, DR_TOKEN_TTL: '14400s' }));
      expect(lambda(synth, FUNCTION_NAMES['dns-switch']).body.environment.variables).not.toHaveProperty('LOG_LEVEL');
      const operations = lambda(custom, FUNCTION_NAMES['dr-operations']).body.environment.variables;
      expect(operations).toEqual(expect.objectContaining({ ...login, DR_TOKEN_MIN_REMAINING_SECONDS: '900' }));
      expect(operations).not.toHaveProperty('DNS_SWITCH_FUNCTION_NAME');
      expect(lambda(custom, FUNCTION_NAMES['dns-switch']).body.environment.variables.LOG_LEVEL).toBe('debug');
    });

    it('refuses at synth a cluster name the functions would refuse at run time, naming the prop', () => {
      const build = (name: string) => () =>
        synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ clusters: { primary: { ...CLUSTERS.primary, name }, dr: CLUSTERS.dr } })));
      expect(build('_east')).toThrow(PropsValidationError);
      expect(build('_east')).toThrow(/clusters\.primary\.name/);
      // One rule: every name accepted at synth is accepted by the functions, and every one refused is refused by them.
      for (const name of ['east', 'use1-a', 'a_b', '_east', '-east', 'east.1', 'x'.repeat(128), 'x'.repeat(129), 'ost-1']) {
        let synthOk = true;
        try {
          build(name)();
        } catch {
          synthOk = false;
        }
        const runtimeOk = clusterNameProblem(name) === undefined;
        expect({ name, synthOk }).toEqual({ name, synthOk: runtimeOk });
      }
    });
  });

  describe('performance secondaries (VAULT_PERFORMANCE_SECONDARIES of dr-operations)', () => {
    const SOUTH = { name: 'vault-test-sae1', address: 'https://vault-test-sae1.example.com:8200', clusterAddress: 'https://vault-test-sae1.example.com:8201', region: 'sa-east-1' };
    const NORTH = { name: 'vault-test-euw1', address: 'https://vault-test-euw1.example.com:8200/' };
    let withSecondaries: Synthesized;
    beforeAll(() => {
      withSecondaries = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ performanceSecondaries: [SOUTH, NORTH] })));
    });

    it('writes them on dr-operations, as the function reads them: name, address (its origin), clusterAddress; no region', () => {
      const raw = lambda(withSecondaries, FUNCTION_NAMES['dr-operations']).body.environment.variables.VAULT_PERFORMANCE_SECONDARIES;
      expect(raw).toBe(
        '[{"name":"vault-test-sae1","address":"https://vault-test-sae1.example.com:8200","clusterAddress":"https://vault-test-sae1.example.com:8201"},' +
          '{"name":"vault-test-euw1","address":"https://vault-test-euw1.example.com:8200"}]',
      );
      const variables = lambda(withSecondaries, FUNCTION_NAMES['dr-operations']).body.environment.variables as Record<string, string>;
      const resolved = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.startsWith('${') ? 'resolved-by-terraform' : v]));
      expect(parseDrOperationsSettings(resolved).performanceSecondaries.map((c) => c.name)).toEqual(['vault-test-sae1', 'vault-test-euw1']);
    });

    it('gives them to dr-operations only: the other functions see the DR pair', () => {
      for (const fn of ['dr-token-generator', 'dns-switch', 'dr-watchdog'] as const) {
        const variables = lambda(withSecondaries, FUNCTION_NAMES[fn]).body.environment.variables;
        expect(variables).not.toHaveProperty('VAULT_PERFORMANCE_SECONDARIES');
        expect(variables.VAULT_CLUSTERS).toBe(VAULT_CLUSTERS);
      }
    });

    it('writes nothing for none ([] is the function\'s default: no performance call), given as [] or left out', () => {
      const empty = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ performanceSecondaries: [] })));
      for (const s of [synth, empty]) {
        const variables = lambda(s, FUNCTION_NAMES['dr-operations']).body.environment.variables as Record<string, string>;
        expect(variables).not.toHaveProperty('VAULT_PERFORMANCE_SECONDARIES');
        const resolved = Object.fromEntries(Object.entries(variables).map(([k, v]) => [k, v.startsWith('${') ? 'resolved-by-terraform' : v]));
        expect(parseDrOperationsSettings(resolved).performanceSecondaries).toEqual([]);
      }
    });
  });

  describe('archives (a directory asset zipped by archive_file at plan time)', () => {
    /** The archive_file a function's `filename` points at. */
    function archiveOf(of: Synthesized, name: string): { id: string; body: Block } {
      const match = /^\$\{data\.archive_file\.([A-Za-z0-9_]+)\.output_path\}$/.exec(lambda(of, name).body.filename);
      if (!match) throw new Error(`filename of ${name} is not an archive_file's output_path: ${lambda(of, name).body.filename}`);
      return { id: match[1]!, body: of.dataSources('archive_file')[match[1]!]! };
    }

    /** cdktf's hash of a directory asset: MD5 of its files' contents, in name order. */
    function assetHash(fn: string, pem: string): string {
      const md5 = createHash('md5').update(readFileSync(join(FIXTURE_BUNDLES_DIRECTORY, fn, 'index.js'))).update(pem);
      return md5.digest('hex').slice(0, 32).toUpperCase();
    }

    it('creates one archive_file per function and nothing else from the archive provider', () => {
      expect(Object.keys(synth.dataSources('archive_file'))).toHaveLength(4);
    });

    it.each(Object.entries(FUNCTION_NAMES))('%s: filename and source_code_hash come from its archive_file', (_fn, name) => {
      const { id } = archiveOf(synth, name);
      expect(lambda(synth, name).body).toMatchObject({
        filename: dataRef('archive_file', id, 'output_path'),
        source_code_hash: dataRef('archive_file', id, 'output_base64sha256'),
      });
    });

    it.each(Object.entries(FUNCTION_NAMES))('%s: zips its asset folder, named by content, relative to the stack folder', (fn, name) => {
      const { body } = archiveOf(synth, name);
      const [, folder, hash] = /^\$\{path\.module\}\/assets\/([A-Za-z0-9_]+)\/([0-9A-F]{32})$/.exec(body.source_dir) ?? [];
      expect(folder).toMatch(new RegExp(`^Dr_${pascal(fn)}_Archive_Asset_[0-9A-F]{8}$`));
      expect(hash).toBe(assetHash(fn, FIXTURE_CA_PEM));
      expect(body).toEqual({
        type: 'zip',
        source_dir: body.source_dir,
        // Beside the folder, never inside it (archive_file would zip its own output).
        output_path: `${body.source_dir}.zip`,
        // Mode fixed, times zeroed by the provider: the same files give the same bytes anywhere.
        output_file_mode: '0644',
      });
    });

    it('gives the same asset hashes for the same sources, and new ones when the CA bundle changes', () => {
      const sourceDirs = (pem: string) => {
        const other = synthesize((scope) => new DrAutomation(scope, 'Dr', drAutomationProps({ vaultCaBundlePem: pem })));
        return Object.values(FUNCTION_NAMES).map((name) => archiveOf(other, name).body.source_dir as string);
      };
      const first = Object.values(FUNCTION_NAMES).map((name) => archiveOf(synth, name).body.source_dir as string);
      expect(sourceDirs(FIXTURE_CA_PEM)).toEqual(first);
      const changed = sourceDirs(`${FIXTURE_CA_PEM}${FIXTURE_CA_PEM}`);
      changed.forEach((dir, i) => expect(dir).not.toBe(first[i]));
      expect(new Set(first).size).toBe(4);
    });

    it('writes each asset folder with exactly the bundle and the CA bundle, where archive_file reads it', () => {
      const stack = testStack('archives');
      new AwsProvider(stack, 'aws', { region: 'us-west-2' });
      new VaultProvider(stack, 'vault', { address: VAULT_ADDRESS });
      new ArchiveProvider(stack, 'archive');
      new DrAutomation(stack, 'Dr', drAutomationProps());
      const outdir = Testing.fullSynth(stack);
      try {
        const stackDir = join(outdir, 'stacks', 'archives');
        const doc = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8'));
        for (const [fn, archive] of Object.entries(doc.data.archive_file as Record<string, Block>)) {
          const folder = join(stackDir, (archive.source_dir as string).replace('${path.module}/', ''));
          expect({ fn, files: readdirSync(folder).sort() }).toEqual({ fn, files: ['index.js', 'vault-ca.pem'] });
          const logical = Object.keys(FUNCTION_NAMES).find((name) => fn.startsWith(`Dr_${pascal(name)}_`))!;
          expect(readFileSync(join(folder, 'index.js')).equals(readFileSync(join(FIXTURE_BUNDLES_DIRECTORY, logical, 'index.js')))).toBe(true);
          expect(readFileSync(join(folder, 'vault-ca.pem'), 'utf8')).toBe(FIXTURE_CA_PEM);
        }
      } finally {
        rmSync(outdir, { recursive: true, force: true });
      }
    });
  });

  it('places the functions in the VPC when asked', () => {
    const inVpc = synthesize(
      (scope) =>
        new DrAutomation(
          scope,
          'Dr',
          drAutomationProps({ vpcPlacement: { subnetIds: ['subnet-1', 'subnet-2'], securityGroupIds: ['sg-1'], subnetCidrs: ['10.0.48.0/24', '10.0.49.0/24'] } }),
        ),
    );
    for (const name of Object.values(FUNCTION_NAMES)) {
      expect(lambda(inVpc, name).body.vpc_config).toEqual({ subnet_ids: ['subnet-1', 'subnet-2'], security_group_ids: ['sg-1'] });
    }
  });

  it('exposes each function as plain attributes', () => {
    synthesize((scope) => {
      const dr = new DrAutomation(scope, 'Dr', drAutomationProps());
      expect(Object.keys(dr.functions).sort()).toEqual(Object.keys(FUNCTION_NAMES).sort());
      for (const attributes of Object.values(dr.functions)) {
        expect(Object.keys(attributes).sort()).toEqual(['functionArn', 'functionName', 'logGroupName', 'roleArn']);
      }
      expect(dr.vaultObjectNames).toEqual({
        awsAuthMountPath: 'dr-aws-test-main',
        drOperationPolicy: 'dr-operation-test-main',
        tokenCreatorPolicy: 'dr-token-creator-test-main',
        primaryOperationsPolicy: 'dr-primary-ops-test-main',
        bootstrapPolicy: 'dr-bootstrap-test-main',
        batchTokenRole: 'dr-batch-test-main',
        tokenGeneratorAuthRole: 'dr-token-generator-test-main',
        operationsAuthRole: 'dr-operations-test-main',
      });
      expect(dr.leaseTableName).toMatch(/^\$\{TfToken\[/);
    });
  });
});
