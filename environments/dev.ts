import { join } from 'node:path';
import type { VaultDrStackProps } from '../stacks/vault-dr-stack-props';

/**
 * The dev environment: its own values only; the composition is stacks/vault-dr-stack.ts.
 * Ids and ARNs are placeholders of the right shape.
 */
export const dev: VaultDrStackProps = {
  environment: 'dev',
  identifier: 'main',
  awsAccountId: '111111111111',
  primaryCluster: {
    name: 'use1',
    region: 'us-east-1',
    vpcId: 'vpc-0de100000000000001',
    vpcCidrs: ['10.10.0.0/16'],
    subnets: [
      { subnetId: 'subnet-0de1a000000000001', availabilityZone: 'us-east-1a', cidrBlock: '10.10.0.0/20' },
      { subnetId: 'subnet-0de1b000000000002', availabilityZone: 'us-east-1b', cidrBlock: '10.10.16.0/20' },
      { subnetId: 'subnet-0de1c000000000003', availabilityZone: 'us-east-1c', cidrBlock: '10.10.32.0/20' },
    ],
    image: { ssmParameterName: '/vault-dr/dev/vault-enterprise-ami' },
    tls: {
      certificateSecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:vault-dev/tls-cert-AbCdEf',
      privateKeySecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:vault-dev/tls-key-AbCdEf',
      caBundleSecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:vault-dev/tls-ca-AbCdEf',
    },
    licenseSecretArn: 'arn:aws:secretsmanager:us-east-1:111111111111:secret:vault-dev/license-AbCdEf',
    allowedClientCidrs: ['10.20.0.0/16'],
  },
  drCluster: {
    name: 'usw2',
    region: 'us-west-2',
    vpcId: 'vpc-0de200000000000002',
    vpcCidrs: ['10.11.0.0/16'],
    subnets: [
      { subnetId: 'subnet-0de2a000000000001', availabilityZone: 'us-west-2a', cidrBlock: '10.11.0.0/20' },
      { subnetId: 'subnet-0de2b000000000002', availabilityZone: 'us-west-2b', cidrBlock: '10.11.16.0/20' },
      { subnetId: 'subnet-0de2c000000000003', availabilityZone: 'us-west-2c', cidrBlock: '10.11.32.0/20' },
    ],
    image: { ssmParameterName: '/vault-dr/dev/vault-enterprise-ami' },
    tls: {
      certificateSecretArn: 'arn:aws:secretsmanager:us-west-2:111111111111:secret:vault-dev/tls-cert-GhIjKl',
      privateKeySecretArn: 'arn:aws:secretsmanager:us-west-2:111111111111:secret:vault-dev/tls-key-GhIjKl',
      caBundleSecretArn: 'arn:aws:secretsmanager:us-west-2:111111111111:secret:vault-dev/tls-ca-GhIjKl',
    },
    licenseSecretArn: 'arn:aws:secretsmanager:us-west-2:111111111111:secret:vault-dev/license-GhIjKl',
    allowedClientCidrs: ['10.21.0.0/16'],
  },
  // The functions run in the DR region (the default), in the DR cluster's VPC.
  drFunctionsNetwork: {
    subnetIds: ['subnet-0de2f00000000000001', 'subnet-0de2f00000000000002', 'subnet-0de2f00000000000003'],
    securityGroupIds: ['sg-0de2f000000000000d1'],
    subnetCidrs: ['10.11.48.0/24', '10.11.49.0/24', '10.11.50.0/24'],
  },
  vaultAddress: 'https://vault-dev.example.com:8200',
  hostedZoneId: 'Z0DEV0EXAMPLE00000001',
  hostedZoneName: 'example.com',
  alarmTopicArn: 'arn:aws:sns:us-west-2:111111111111:vault-dr-alerts',
  vaultCaBundleFile: join(__dirname, 'vault-ca', 'dev.pem'),
  stateBackend: { bucket: 'vault-dr-terraform-state-111111111111', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-dev', planRole: 'terraform-vault-dr-dev-plan', headerValue: 'vault-dev.example.com' },
  // The pipeline's apply role (Jenkins credentials vault-dr-apply-dev): the only one that may change key and bucket policies.
  keyAdministratorArns: ['arn:aws:iam::111111111111:role/vault-dr-terraform-apply'],
  breakGlassRoleArn: 'arn:aws:iam::111111111111:role/vault-dr-break-glass',
  sessionManagerRoleNames: ['vault-dr-operators'],
  // dev exercises the automatic failover: the watchdog fails over on its own (once, then an
  // operator re-arms it). stage and prod page "would fail over now" (notify) until their drills
  // have run it.
  drAutomation: { watchdogMode: 'auto' },
  tags: { Application: 'vault-dr', Environment: 'dev', Owner: 'platform-security' },
};
