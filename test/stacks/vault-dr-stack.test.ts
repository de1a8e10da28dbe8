import { join } from 'node:path';
import { VaultDrStack, vaultDrStackId } from '../../stacks/vault-dr-stack';
import type { VaultDrStackProps } from '../../stacks/vault-dr-stack-props';
import { CLUSTERS, FIXTURE_BUNDLES_DIRECTORY, HOSTED_ZONE_ID, VAULT_ADDRESS } from '../modules/support/dr-automation-fixtures';
import { type Block, synthesizeStack, type Synthesized, testApp } from '../modules/support/synthesized';

const props = (overrides: Partial<VaultDrStackProps> = {}): VaultDrStackProps => ({
  environment: 'test',
  identifier: 'main',
  awsAccountId: '123456789012',
  primaryRegion: 'us-east-1',
  drRegion: 'us-west-2',
  vaultAddress: VAULT_ADDRESS,
  clusters: CLUSTERS,
  hostedZoneId: HOSTED_ZONE_ID,
  vaultCaBundleFile: join(__dirname, '..', 'modules', 'support', 'fixtures', 'vault-ca.pem'),
  stateBackend: { bucket: 'state-bucket', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-test', headerValue: 'vault-test.example.com' },
  tags: { Application: 'vault-dr', Environment: 'test' },
  drAutomation: { functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY },
  ...overrides,
});

function build(overrides: Partial<VaultDrStackProps> = {}): { stack: VaultDrStack; synth: Synthesized } {
  const stack = new VaultDrStack(testApp(), props(overrides));
  return { stack, synth: synthesizeStack(stack) };
}

describe('VaultDrStack', () => {
  let synth: Synthesized;
  let stack: VaultDrStack;
  beforeAll(() => ({ stack, synth } = build()));

  it('is named after its environment', () => {
    expect(stack.node.id).toBe('vault-dr-test');
    expect(vaultDrStackId('prod')).toBe('vault-dr-prod');
  });

  it('keeps its state in S3, encrypted, per environment, with S3-native locking', () => {
    expect(synth.doc.terraform.backend).toEqual({
      s3: {
        bucket: 'state-bucket',
        key: 'vault-dr/test/terraform.tfstate',
        region: 'us-west-2',
        encrypt: true,
        use_lockfile: true,
      },
    });
    // checkov crashes on a required_version added by override (checkov#7454).
    expect(synth.doc.terraform.required_version).toBeUndefined();
  });

  describe('AWS providers', () => {
    const providers = (s: Synthesized): Block[] => s.doc.provider.aws;

    it('default to the DR region for the functions, so the failover machinery survives the primary region', () => {
      const functionsProvider = providers(synth).find((p) => p.alias === undefined);
      expect(functionsProvider).toEqual({
        region: 'us-west-2',
        allowed_account_ids: ['123456789012'],
        default_tags: [{ tags: { Application: 'vault-dr', Environment: 'test' } }],
      });
    });

    it('put the functions in the region given', () => {
      const { synth: other } = build({ functionsRegion: 'eu-west-1' });
      expect(providers(other).find((p) => p.alias === undefined)!.region).toBe('eu-west-1');
    });

    it('have one aliased provider per cluster region, for the Vault clusters', () => {
      expect(providers(synth).filter((p) => p.alias !== undefined)).toEqual([
        { alias: 'primary', region: 'us-east-1', allowed_account_ids: ['123456789012'], default_tags: [{ tags: { Application: 'vault-dr', Environment: 'test' } }] },
        { alias: 'dr', region: 'us-west-2', allowed_account_ids: ['123456789012'], default_tags: [{ tags: { Application: 'vault-dr', Environment: 'test' } }] },
      ]);
    });

    it('run every DR and DNS resource on the functions-region provider', () => {
      for (const [type, resources] of Object.entries(synth.doc.resource as Record<string, Record<string, Block>>)) {
        if (!type.startsWith('aws_')) continue;
        for (const body of Object.values(resources)) expect(body.provider).toBeUndefined();
      }
    });
  });

  it('points the Vault provider at the high-level endpoint and logs in with AWS auth, not a token', () => {
    const [vault] = synth.doc.provider.vault;
    expect(vault).toEqual({
      address: VAULT_ADDRESS,
      ca_cert_file: expect.stringMatching(/^assets\/VaultCaBundle\/[0-9A-F]{32}\/vault-ca\.pem$/),
      auth_login_aws: [{ role: 'terraform-vault-dr-test', header_value: 'vault-test.example.com' }],
    });
    expect(vault).not.toHaveProperty('token');
  });

  it('names the weighted records after the clusters the functions know', () => {
    const records = Object.values(synth.resources('aws_route53_record'));
    const functions = Object.values(synth.resources('aws_lambda_function'));
    expect(functions).toHaveLength(4);
    for (const fn of functions) {
      const clusters = JSON.parse(fn.environment.variables.VAULT_CLUSTERS) as Array<{ name: string }>;
      expect(clusters.map((c) => c.name).sort()).toEqual(records.map((r) => r.set_identifier).sort());
    }
    const dnsSwitch = functions.find((fn) => fn.function_name === 'dns-switch-test-main')!.environment.variables;
    for (const record of records) {
      expect(record.name).toBe(dnsSwitch.DNS_RECORD_NAME);
      expect(record.zone_id).toBe(dnsSwitch.HOSTED_ZONE_ID);
      expect(record.type).toBe(dnsSwitch.DNS_RECORD_TYPE);
    }
  });

  it('passes the DR automation settings through', () => {
    const { synth: custom } = build({
      drAutomation: { functionBundlesDirectory: FIXTURE_BUNDLES_DIRECTORY, refreshIntervalMinutes: 30, logRetentionDays: 400 },
    });
    expect(custom.resource('aws_scheduler_schedule').body.schedule_expression).toBe('rate(30 minutes)');
    for (const group of Object.values(custom.resources('aws_cloudwatch_log_group'))) expect(group.retention_in_days).toBe(400);
  });

  it('exposes the regional providers for the Vault clusters to come', () => {
    expect(stack.primaryRegionProvider.alias).toBe('primary');
    expect(stack.drRegionProvider.alias).toBe('dr');
    expect(stack.functionsRegionProvider.alias).toBeUndefined();
  });
});
