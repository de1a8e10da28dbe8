import { readFileSync } from 'node:fs';
import type { Construct } from 'constructs';
import { DrAutomation, WeightedVaultEndpoint } from '../modules';
import { AwsProvider } from '../modules/internal/aws';
import { AssetType, S3Backend, TerraformAsset, TerraformStack } from '../modules/internal/cdktf';
import { VaultProvider } from '../modules/internal/vault';
import type { VaultDrStackProps } from './vault-dr-stack-props';

/** Stack id (and cdktf.out/stacks/<id> folder) of an environment. */
export function vaultDrStackId(environment: string): string {
  return `vault-dr-${environment}`;
}

/**
 * One environment's Vault DR: the weighted Vault endpoint and the DR automation, with their
 * providers and state backend. Composition only: every resource comes from modules/.
 */
export class VaultDrStack extends TerraformStack {
  /** Provider of the functions' region (the stack's default AWS provider). */
  readonly functionsRegionProvider: AwsProvider;
  /** Provider of the primary cluster's region, for the Vault cluster construct to come. */
  readonly primaryRegionProvider: AwsProvider;
  /** Provider of the DR cluster's region, for the Vault cluster construct to come. */
  readonly drRegionProvider: AwsProvider;

  constructor(scope: Construct, props: VaultDrStackProps) {
    super(scope, vaultDrStackId(props.environment));

    new S3Backend(this, {
      bucket: props.stateBackend.bucket,
      key: `vault-dr/${props.environment}/terraform.tfstate`,
      region: props.stateBackend.region,
      encrypt: true,
      kmsKeyId: props.stateBackend.kmsKeyId,
    });
    // S3-native state locking (Terraform >= 1.10). cdktf 0.21's S3Backend has no field for it.
    this.addOverride('terraform.backend.s3.use_lockfile', true);

    const awsProvider = (id: string, region: string, alias?: string) =>
      new AwsProvider(this, id, {
        region,
        alias,
        allowedAccountIds: [props.awsAccountId],
        defaultTags: [{ tags: props.tags }],
      });
    this.functionsRegionProvider = awsProvider('aws', props.functionsRegion ?? props.drRegion);
    this.primaryRegionProvider = awsProvider('aws-primary', props.primaryRegion, 'primary');
    this.drRegionProvider = awsProvider('aws-dr', props.drRegion, 'dr');

    // The CA bundle travels with the synthesized stack, so the provider's path is relative to the
    // stack folder and the same on every machine.
    const vaultCaBundle = new TerraformAsset(this, 'VaultCaBundle', { path: props.vaultCaBundleFile, type: AssetType.FILE });
    new VaultProvider(this, 'vault', {
      address: props.vaultAddress,
      caCertFile: vaultCaBundle.path,
      authLoginAws: [
        {
          role: props.vaultLogin.role,
          mount: props.vaultLogin.mount,
          headerValue: props.vaultLogin.headerValue,
        },
      ],
    });

    // The Vault clusters go here: one cluster construct per region (primaryRegionProvider,
    // drRegionProvider), and their endpoints replace props.clusters below.
    const clusters = props.clusters;

    new WeightedVaultEndpoint(this, 'VaultEndpoint', {
      vaultAddress: props.vaultAddress,
      hostedZoneId: props.hostedZoneId,
      clusters,
    });

    new DrAutomation(this, 'DrAutomation', {
      ...props.drAutomation,
      environment: props.environment,
      identifier: props.identifier,
      vaultAddress: props.vaultAddress,
      clusters,
      hostedZoneId: props.hostedZoneId,
      vaultCaBundlePem: readFileSync(props.vaultCaBundleFile, 'utf8'),
    });
  }
}
