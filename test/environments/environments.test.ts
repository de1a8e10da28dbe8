import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { buildApp, ENVIRONMENTS, selectEnvironments, UnknownEnvironmentError } from '../../environments/app';
import { TerraformStack } from '../../modules/internal/cdktf';
import { alarmTopicIn, VaultDrStack } from '../../stacks/vault-dr-stack';
import type { VaultDrStackProps } from '../../stacks/vault-dr-stack-props';
import { REPO_ROOT } from '../modules/support/import-rules';
import { OUTDIR, synthesizeStack, type Synthesized, testApp } from '../modules/support/synthesized';

const run = promisify(execFile);
const NAMES = ['dev', 'stage', 'prod'];
const BUNDLES = join(REPO_ROOT, 'dist', 'functions');

/**
 * The resource and data source addresses of a stack. Security group rules are named after the
 * network they let in (a value), so their addresses keep only direction, kind and port.
 */
function addresses(synth: Synthesized): string[] {
  const blocks = { ...synth.doc.resource, ...Object.fromEntries(Object.entries(synth.doc.data ?? {}).map(([t, b]) => [`data.${t}`, b])) };
  return Object.entries(blocks as Record<string, Record<string, unknown>>)
    .flatMap(([type, byId]) =>
      Object.keys(byId).map((id) => `${type}.${type.startsWith('aws_vpc_security_group_') ? id.replace(/_(In|Out)([A-Za-z]+)-.*-(\d+)_[0-9A-F]{8}$/, '_$1$2-*-$3') : id}`),
    )
    .sort();
}

/** The set identifiers of the high-level name's weighted records, and the functions' cluster names. */
function clusterNames(synth: Synthesized): { records: string[]; functions: string[][] } {
  return {
    // The weighted records of the high-level name (not the latency records of the nearest name).
    records: Object.values(synth.resources('aws_route53_record'))
      .filter((r) => r.weighted_routing_policy !== undefined)
      .map((r) => r.set_identifier as string | undefined)
      .filter((id): id is string => id !== undefined)
      .sort(),
    functions: Object.values(synth.resources('aws_lambda_function')).map((fn) =>
      (JSON.parse(fn.environment.variables.VAULT_CLUSTERS) as Array<{ name: string }>).map((c) => c.name).sort(),
    ),
  };
}

/** An environment's performance secondaries (prod has one; dev and stage none). */
const performanceClusters = (values: VaultDrStackProps) => (values.performanceSecondaries ?? []).map((secondary) => secondary.cluster);

/** Resources of the performance secondaries and the nearest name: an environment's own topology. */
const isTopologyAddress = (address: string): boolean => /\.(Performance|Nearest)|_PerformanceOperationsPolicy_/.test(address);

describe('environments', () => {
  describe('selection', () => {
    it('means every environment when none is named, or "all"', () => {
      expect(selectEnvironments(undefined)).toEqual(NAMES);
      expect(selectEnvironments('')).toEqual(NAMES);
      expect(selectEnvironments('all')).toEqual(NAMES);
    });

    it.each(NAMES)('selects %s by name', (name) => {
      expect(selectEnvironments(name)).toEqual([name]);
    });

    it('refuses an unknown name with the list of valid ones', () => {
      expect(() => selectEnvironments('qa')).toThrow(UnknownEnvironmentError);
      expect(() => selectEnvironments('qa')).toThrow('Unknown environment "qa". Valid names: dev, stage, prod, or "all"');
      expect(() => selectEnvironments('toString')).toThrow(UnknownEnvironmentError);
    });

    it('fails the command line with that message and a non-zero exit code', async () => {
      const attempt = run(join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['environments/main.ts', 'qa'], { cwd: REPO_ROOT });
      await expect(attempt).rejects.toMatchObject({
        code: 2,
        stderr: expect.stringContaining('Unknown environment "qa". Valid names: dev, stage, prod'),
      });
    });
  });

  /**
   * Every environment's values with this checkout's composition: what each environment becomes
   * once it is built from this code (dev now; stage and prod when pinned to the next release).
   */
  describe('values, composed by this checkout\'s stack with the real function bundles', () => {
    const synths: Record<string, Synthesized> = {};

    beforeAll(() => {
      for (const name of NAMES) synths[name] = synthesizeStack(new VaultDrStack(testApp(), ENVIRONMENTS[name]!));
    });

    it('gives the environments the same resources: they differ only in their values', () => {
      // Beside the DR pair's resources, each environment has those of its own topology (prod's third
      // cluster), and one peer rule per subnet of each cluster its clusters replicate with: compared
      // as sets of addresses, the kinds of resources must be the same.
      const [first, ...others] = NAMES.map((name) => [...new Set(addresses(synths[name]!).filter((address) => !isTopologyAddress(address)))]);
      for (const other of others) expect(other).toEqual(first);
    });

    it('defines every environment with the same settings, each in its own file', () => {
      // drAutomation (the watchdog's mode) is set by dev alone until stage and prod pin a release
      // whose props take it; their values then come with that pin.
      // The topology (performanceSecondaries, nearestVaultAddress) is an environment's own: prod's alone.
      const own = new Set(['drAutomation', 'performanceSecondaries', 'nearestVaultAddress']);
      const [first, ...others] = NAMES.map((name) => Object.keys(ENVIRONMENTS[name]!).filter((key) => !own.has(key)).sort());
      for (const other of others) expect(other).toEqual(first);
      for (const name of NAMES) expect(ENVIRONMENTS[name]!.environment).toBe(name);
    });

    it.each(NAMES)('%s uses its own names, account, state key, regions and endpoints', (name) => {
      const synth = synths[name]!;
      const values = ENVIRONMENTS[name]!;
      expect(Object.values(synth.resources('aws_lambda_function')).map((fn) => fn.function_name).sort()).toEqual(
        ['dns-switch', 'dr-operations', 'dr-token-generator', 'dr-watchdog'].map((purpose) => `${purpose}-${name}-${values.identifier}`),
      );
      expect(synth.doc.terraform.backend.s3.key).toBe(`vault-dr/${name}/terraform.tfstate`);
      expect(synth.doc.provider.aws.map((p: { region: string; alias?: string; allowed_account_ids: string[] }) => [p.alias, p.region, p.allowed_account_ids])).toEqual([
        [undefined, values.functionsRegion ?? values.drCluster.region, [values.awsAccountId]],
        ['primary', values.primaryCluster.region, [values.awsAccountId]],
        ['dr', values.drCluster.region, [values.awsAccountId]],
        ...performanceClusters(values).map((c) => [`perf-${c.name}`, c.region, [values.awsAccountId]]),
      ]);
      expect(synth.doc.provider.vault[0].address).toBe(values.vaultAddress);
      const clusters = [values.primaryCluster, values.drCluster].map((c) => `vault-${name}-${c.name}`);
      expect(clusterNames(synth).records).toEqual([...clusters].sort());
      for (const fromFunction of clusterNames(synth).functions) expect(fromFunction).toEqual([...clusters].sort());
    });

    it.each(NAMES)('%s has every alarm of the issue, each notifying the environment\'s topic in the alarm\'s region', (name) => {
      const values = ENVIRONMENTS[name]!;
      const topic = (region: string) => (values.alarmTopicArn === undefined ? [] : [alarmTopicIn(values.alarmTopicArn, region)]);
      const functionsRegion = values.functionsRegion ?? values.drCluster.region;
      const alarms = Object.values(synthsOf(name).resources('aws_cloudwatch_metric_alarm')).map((a) => [a.alarm_name, a.alarm_actions ?? []]);
      expect(alarms.sort()).toEqual(
        [
          [`vault-${name}-${values.primaryCluster.name}-healthy-nodes-below-quorum`, topic(values.primaryCluster.region)],
          [`vault-${name}-${values.drCluster.name}-healthy-nodes-below-quorum`, topic(values.drCluster.region)],
          [`vault-${name}-${values.primaryCluster.name}-audit-failures`, topic(values.primaryCluster.region)],
          [`vault-${name}-${values.drCluster.name}-audit-failures`, topic(values.drCluster.region)],
          [`vault-${name}-${values.primaryCluster.name}-node-sealed`, topic(values.primaryCluster.region)],
          [`vault-${name}-${values.drCluster.name}-node-sealed`, topic(values.drCluster.region)],
          [`vault-${name}-${values.primaryCluster.name}-leadership-changes`, topic(values.primaryCluster.region)],
          [`vault-${name}-${values.drCluster.name}-leadership-changes`, topic(values.drCluster.region)],
          [`vault-${name}-${values.primaryCluster.name}-no-snapshot`, topic(values.primaryCluster.region)],
          [`vault-${name}-${values.drCluster.name}-no-snapshot`, topic(values.drCluster.region)],
          ...performanceClusters(values).flatMap((c) =>
            ['healthy-nodes-below-quorum', 'audit-failures', 'node-sealed', 'leadership-changes', 'no-snapshot'].map((alarm) => [`vault-${name}-${c.name}-${alarm}`, topic(c.region)]),
          ),
          [`dr-token-generator-failing-${name}-${values.identifier}`, topic(functionsRegion)],
          [`dr-token-not-refreshed-${name}-${values.identifier}`, topic(functionsRegion)],
          [`dr-token-expiring-${name}-${values.identifier}`, topic(functionsRegion)],
          [`dr-functions-erroring-${name}-${values.identifier}`, topic(functionsRegion)],
          // About the pair, evaluated in the functions' (DR) region on the watchdog's metrics.
          [`dr-secondary-not-streaming-${name}-${values.identifier}`, topic(functionsRegion)],
          [`dr-replication-lag-${name}-${values.identifier}`, topic(functionsRegion)],
          [`dr-no-active-primary-${name}-${values.identifier}`, topic(functionsRegion)],
          [`dr-watchdog-not-reporting-${name}-${values.identifier}`, topic(functionsRegion)],
          [`dr-watchdog-failover-${name}-${values.identifier}`, topic(functionsRegion)],
        ].sort(),
      );
      expect(values.alarmTopicArn).toBeDefined();
    });
    const synthsOf = (name: string) => synths[name]!;

    it.each(NAMES)('%s names its own account\'s apply and break-glass roles, and node subnets inside its VPCs', (name) => {
      const values = ENVIRONMENTS[name]!;
      const inAccount = new RegExp(`^arn:aws:iam::${values.awsAccountId}:role/`);
      for (const arn of values.keyAdministratorArns) expect(arn).toMatch(inAccount);
      expect(values.breakGlassRoleArn).toMatch(inAccount);
      expect(values.vaultLogin.planRole).not.toBe(values.vaultLogin.role);
      for (const cluster of [values.primaryCluster, values.drCluster, ...performanceClusters(values)]) {
        const [vpc] = cluster.vpcCidrs;
        const prefix = vpc!.split('.').slice(0, 2).join('.');
        for (const subnet of cluster.subnets) expect(subnet.cidrBlock).toMatch(new RegExp(`^${prefix.replace('.', '\\.')}\\.\\d+\\.0/\\d+$`));
      }
    });

    it.each(NAMES)('%s lets each cluster\'s peer in by node subnets only, and sends one server id from Terraform and the functions', (name) => {
      const synth = synths[name]!;
      const values = ENVIRONMENTS[name]!;
      const peerSources = Object.entries(synth.resources('aws_vpc_security_group_ingress_rule'))
        .filter(([id]) => id.includes('_InPeer'))
        .map(([, rule]) => rule.cidr_ipv4 as string);
      const nodeSubnets = [values.primaryCluster, values.drCluster, ...performanceClusters(values)].flatMap((c) => c.subnets.map((s) => s.cidrBlock!));
      expect(new Set(peerSources)).toEqual(new Set(nodeSubnets));
      const header = synth.doc.provider.vault[0].auth_login_aws[0].header_value;
      expect(header).toBe(values.vaultLogin.headerValue);
      expect(synth.resource('vault_aws_auth_backend_client').body.iam_server_id_header_value).toBe(header);
    });

    it.each(NAMES)('%s ships the built bundles with its own CA bundle', (name) => {
      const synth = synths[name]!;
      const ca = readFileSync(ENVIRONMENTS[name]!.vaultCaBundleFile);
      for (const fn of Object.values(synth.resources('aws_lambda_function'))) {
        const logical = (fn.function_name as string).replace(`-${name}-main`, '');
        const archive = synth.dataSourceOf(fn.filename);
        // The asset folder is named by cdktf's hash of its files (index.js, then vault-ca.pem).
        const hash = createHash('md5').update(readFileSync(join(BUNDLES, logical, 'index.js'))).update(ca).digest('hex').toUpperCase();
        expect(archive.source_dir).toMatch(new RegExp(`^\\$\\{path\\.module\\}/assets/[A-Za-z0-9_]+/${hash}$`));
      }
    });
  });

  describe('as the app builds them (pinned environments from their release)', () => {
    const synths: Record<string, Synthesized> = {};

    beforeAll(() => {
      const app = buildApp(selectEnvironments('all'), { outdir: OUTDIR });
      for (const stack of app.node.children.filter((child): child is TerraformStack => child instanceof TerraformStack)) {
        synths[stack.node.id] = synthesizeStack(stack);
      }
    });

    it('has one stack per environment', () => {
      expect(Object.keys(synths)).toEqual(['vault-dr-dev', 'vault-dr-stage', 'vault-dr-prod']);
    });

    it('builds one environment alone when it is named', () => {
      const app = buildApp(selectEnvironments('stage'), { outdir: OUTDIR });
      expect(app.node.children.map((child) => child.node.id)).toEqual(['vault-dr-stage']);
    });

    it('accepts checkov findings only for resources some environment has (ci/checkov-baseline.json holds no stale entry)', () => {
      const baseline = JSON.parse(readFileSync(join(REPO_ROOT, 'ci', 'checkov-baseline.json'), 'utf8')) as {
        failed_checks: Array<{ findings: Array<{ resource: string }> }>;
      };
      const exists = (address: string) =>
        Object.values(synths).some((synth) => {
          const [type, id] = address.split('.') as [string, string];
          const byType = (synth.doc.resource ?? {}) as Record<string, Record<string, unknown>>;
          // checkov names some terraform_json resources "resource.<logical id>", without their type.
          return type === 'resource' ? Object.values(byType).some((ids) => id in ids) : id in (byType[type] ?? {});
        });
      const stale = baseline.failed_checks.flatMap((f) => f.findings.map((finding) => finding.resource)).filter((resource) => !exists(resource));
      expect(stale).toEqual([]);
    });

    it.each(NAMES)('%s keeps its cluster names whatever release builds it: the weighted records and VAULT_CLUSTERS survive a re-pin', (name) => {
      const values = ENVIRONMENTS[name]!;
      const clusters = [values.primaryCluster, values.drCluster].map((c) => `vault-${name}-${c.name}`).sort();
      const synth = synths[`vault-dr-${name}`]!;
      expect(clusterNames(synth).records).toEqual(clusters);
      for (const fromFunction of clusterNames(synth).functions) expect(fromFunction).toEqual(clusters);
    });
  });
});

