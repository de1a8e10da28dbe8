import { join } from 'node:path';
// The props of the code prod is built from: its pinned release's (environments/pins.json), as
// `make releases` prepared them; `make typecheck` checks these values against them.
import type { VaultDrStackProps } from '../.releases/pinned/prod';

/**
 * The prod environment: its own values only; the composition is stacks/vault-dr-stack.ts of the
 * release environments/pins.json pins. Ids and ARNs are placeholders of the right shape.
 */
export const prod: VaultDrStackProps = {
  environment: 'prod',
  identifier: 'main',
  awsAccountId: '333333333333',
  primaryCluster: {
    name: 'use1',
    region: 'us-east-1',
    vpcId: 'vpc-0f0100000000000001',
    vpcCidrs: ['10.50.0.0/16'],
    subnets: [
      { subnetId: 'subnet-0f01a000000000001', availabilityZone: 'us-east-1a', cidrBlock: '10.50.0.0/20' },
      { subnetId: 'subnet-0f01b000000000002', availabilityZone: 'us-east-1b', cidrBlock: '10.50.16.0/20' },
      { subnetId: 'subnet-0f01c000000000003', availabilityZone: 'us-east-1c', cidrBlock: '10.50.32.0/20' },
    ],
    image: { ssmParameterName: '/vault-dr/prod/vault-enterprise-ami' },
    tls: {
      certificateSecretArn: 'arn:aws:secretsmanager:us-east-1:333333333333:secret:vault-prod/tls-cert-AbCdEf',
      privateKeySecretArn: 'arn:aws:secretsmanager:us-east-1:333333333333:secret:vault-prod/tls-key-AbCdEf',
      caBundleSecretArn: 'arn:aws:secretsmanager:us-east-1:333333333333:secret:vault-prod/tls-ca-AbCdEf',
    },
    licenseSecretArn: 'arn:aws:secretsmanager:us-east-1:333333333333:secret:vault-prod/license-AbCdEf',
    allowedClientCidrs: ['10.60.0.0/16'],
  },
  drCluster: {
    name: 'usw2',
    region: 'us-west-2',
    vpcId: 'vpc-0f0200000000000002',
    vpcCidrs: ['10.51.0.0/16'],
    subnets: [
      { subnetId: 'subnet-0f02a000000000001', availabilityZone: 'us-west-2a', cidrBlock: '10.51.0.0/20' },
      { subnetId: 'subnet-0f02b000000000002', availabilityZone: 'us-west-2b', cidrBlock: '10.51.16.0/20' },
      { subnetId: 'subnet-0f02c000000000003', availabilityZone: 'us-west-2c', cidrBlock: '10.51.32.0/20' },
    ],
    image: { ssmParameterName: '/vault-dr/prod/vault-enterprise-ami' },
    tls: {
      certificateSecretArn: 'arn:aws:secretsmanager:us-west-2:333333333333:secret:vault-prod/tls-cert-GhIjKl',
      privateKeySecretArn: 'arn:aws:secretsmanager:us-west-2:333333333333:secret:vault-prod/tls-key-GhIjKl',
      caBundleSecretArn: 'arn:aws:secretsmanager:us-west-2:333333333333:secret:vault-prod/tls-ca-GhIjKl',
    },
    licenseSecretArn: 'arn:aws:secretsmanager:us-west-2:333333333333:secret:vault-prod/license-GhIjKl',
    allowedClientCidrs: ['10.61.0.0/16'],
  },
  // The functions run in the DR region (the default), in the DR cluster's VPC.
  drFunctionsNetwork: {
    subnetIds: ['subnet-0f02f00000000000001', 'subnet-0f02f00000000000002', 'subnet-0f02f00000000000003'],
    securityGroupIds: ['sg-0f02f000000000000d1'],
    subnetCidrs: ['10.51.48.0/24', '10.51.49.0/24', '10.51.50.0/24'],
  },
  vaultAddress: 'https://vault-prod.example.com:8200',
  hostedZoneId: 'Z0PROD0EXAMPLE0000003',
  hostedZoneName: 'example.com',
  alarmTopicArn: 'arn:aws:sns:us-west-2:333333333333:vault-dr-alerts',
  vaultCaBundleFile: join(__dirname, 'vault-ca', 'prod.pem'),
  stateBackend: { bucket: 'vault-dr-terraform-state-333333333333', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-prod', planRole: 'terraform-vault-dr-prod-plan', headerValue: 'vault-prod.example.com' },
  // The pipeline's apply role (Jenkins credentials vault-dr-apply-prod): the only one that may change key and bucket policies.
  keyAdministratorArns: ['arn:aws:iam::333333333333:role/vault-dr-terraform-apply'],
  breakGlassRoleArn: 'arn:aws:iam::333333333333:role/vault-dr-break-glass',
  sessionManagerRoleNames: ['vault-dr-operators'],
  // The third cluster: a performance secondary in eu-west-1 that serves the clients near it (they
  // use the nearest name); dr-operations makes it follow the primary after every DR failover.
  performanceSecondaries: [
    {
      cluster: {
        name: 'euw1',
        region: 'eu-west-1',
        vpcId: 'vpc-0f0300000000000003',
        vpcCidrs: ['10.52.0.0/16'],
        subnets: [
          { subnetId: 'subnet-0f03a000000000001', availabilityZone: 'eu-west-1a', cidrBlock: '10.52.0.0/20' },
          { subnetId: 'subnet-0f03b000000000002', availabilityZone: 'eu-west-1b', cidrBlock: '10.52.16.0/20' },
          { subnetId: 'subnet-0f03c000000000003', availabilityZone: 'eu-west-1c', cidrBlock: '10.52.32.0/20' },
        ],
        image: { ssmParameterName: '/vault-dr/prod/vault-enterprise-ami' },
        tls: {
          certificateSecretArn: 'arn:aws:secretsmanager:eu-west-1:333333333333:secret:vault-prod/tls-cert-MnOpQr',
          privateKeySecretArn: 'arn:aws:secretsmanager:eu-west-1:333333333333:secret:vault-prod/tls-key-MnOpQr',
          caBundleSecretArn: 'arn:aws:secretsmanager:eu-west-1:333333333333:secret:vault-prod/tls-ca-MnOpQr',
        },
        licenseSecretArn: 'arn:aws:secretsmanager:eu-west-1:333333333333:secret:vault-prod/license-MnOpQr',
        // The applications of the eu-west-1 region.
        allowedClientCidrs: ['10.62.0.0/16'],
      },
    },
  ],
  nearestVaultAddress: 'https://vault-prod-near.example.com:8200',
  // The watchdog pages "would fail over now" with its evidence; an operator decides (dev runs it in auto).
  drAutomation: { watchdogMode: 'notify' },
  tags: { Application: 'vault-dr', Environment: 'prod', Owner: 'platform-security' },
};

