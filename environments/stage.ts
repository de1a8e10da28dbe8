import { join } from 'node:path';
// The props of the code stage is built from: its pinned release's (environments/pins.json), as
// `make releases` prepared them; `make typecheck` checks these values against them.
import type { VaultDrStackProps } from '../.releases/pinned/stage';

/**
 * The stage environment: its own values only; the composition is stacks/vault-dr-stack.ts of the
 * release environments/pins.json pins. Ids and ARNs are placeholders of the right shape.
 */
export const stage: VaultDrStackProps = {
  environment: 'stage',
  identifier: 'main',
  awsAccountId: '222222222222',
  primaryCluster: {
    name: 'use1',
    region: 'us-east-1',
    vpcId: 'vpc-05a100000000000001',
    vpcCidrs: ['10.30.0.0/16'],
    subnets: [
      { subnetId: 'subnet-05a1a000000000001', availabilityZone: 'us-east-1a', cidrBlock: '10.30.0.0/20' },
      { subnetId: 'subnet-05a1b000000000002', availabilityZone: 'us-east-1b', cidrBlock: '10.30.16.0/20' },
      { subnetId: 'subnet-05a1c000000000003', availabilityZone: 'us-east-1c', cidrBlock: '10.30.32.0/20' },
    ],
    image: { ssmParameterName: '/vault-dr/stage/vault-enterprise-ami' },
    tls: {
      certificateSecretArn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:vault-stage/tls-cert-AbCdEf',
      privateKeySecretArn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:vault-stage/tls-key-AbCdEf',
      caBundleSecretArn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:vault-stage/tls-ca-AbCdEf',
    },
    licenseSecretArn: 'arn:aws:secretsmanager:us-east-1:222222222222:secret:vault-stage/license-AbCdEf',
    allowedClientCidrs: ['10.40.0.0/16'],
  },
  drCluster: {
    name: 'usw2',
    region: 'us-west-2',
    vpcId: 'vpc-05a200000000000002',
    vpcCidrs: ['10.31.0.0/16'],
    subnets: [
      { subnetId: 'subnet-05a2a000000000001', availabilityZone: 'us-west-2a', cidrBlock: '10.31.0.0/20' },
      { subnetId: 'subnet-05a2b000000000002', availabilityZone: 'us-west-2b', cidrBlock: '10.31.16.0/20' },
      { subnetId: 'subnet-05a2c000000000003', availabilityZone: 'us-west-2c', cidrBlock: '10.31.32.0/20' },
    ],
    image: { ssmParameterName: '/vault-dr/stage/vault-enterprise-ami' },
    tls: {
      certificateSecretArn: 'arn:aws:secretsmanager:us-west-2:222222222222:secret:vault-stage/tls-cert-GhIjKl',
      privateKeySecretArn: 'arn:aws:secretsmanager:us-west-2:222222222222:secret:vault-stage/tls-key-GhIjKl',
      caBundleSecretArn: 'arn:aws:secretsmanager:us-west-2:222222222222:secret:vault-stage/tls-ca-GhIjKl',
    },
    licenseSecretArn: 'arn:aws:secretsmanager:us-west-2:222222222222:secret:vault-stage/license-GhIjKl',
    allowedClientCidrs: ['10.41.0.0/16'],
  },
  // The functions run in the DR region (the default), in the DR cluster's VPC.
  drFunctionsNetwork: {
    subnetIds: ['subnet-05a2f00000000000001', 'subnet-05a2f00000000000002', 'subnet-05a2f00000000000003'],
    securityGroupIds: ['sg-05a2f000000000000d1'],
    subnetCidrs: ['10.31.48.0/24', '10.31.49.0/24', '10.31.50.0/24'],
  },
  vaultAddress: 'https://vault-stage.example.com:8200',
  hostedZoneId: 'Z0STAGE0EXAMPLE000002',
  hostedZoneName: 'example.com',
  alarmTopicArn: 'arn:aws:sns:us-west-2:222222222222:vault-dr-alerts',
  vaultCaBundleFile: join(__dirname, 'vault-ca', 'stage.pem'),
  stateBackend: { bucket: 'vault-dr-terraform-state-222222222222', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-stage', planRole: 'terraform-vault-dr-stage-plan', headerValue: 'vault-stage.example.com' },
  // The pipeline's apply role (Jenkins credentials vault-dr-apply-stage): the only one that may change key and bucket policies.
  keyAdministratorArns: ['arn:aws:iam::222222222222:role/vault-dr-terraform-apply'],
  breakGlassRoleArn: 'arn:aws:iam::222222222222:role/vault-dr-break-glass',
  sessionManagerRoleNames: ['vault-dr-operators'],
  // The watchdog pages "would fail over now" with its evidence; an operator decides (dev runs it in auto).
  drAutomation: { watchdogMode: 'notify' },
  tags: { Application: 'vault-dr', Environment: 'stage', Owner: 'platform-security' },
};

