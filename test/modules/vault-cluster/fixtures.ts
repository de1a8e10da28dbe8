import type { VaultClusterProps } from '../../../modules/vault-cluster/types';

/** Props of a valid cluster; tests override one field at a time. */
export function clusterProps(overrides: Partial<VaultClusterProps> = {}): VaultClusterProps {
  return {
    environment: 'dev',
    clusterName: 'primary',
    vpcId: 'vpc-0123456789abcdef0',
    subnets: [
      { subnetId: 'subnet-a', availabilityZone: 'us-east-1a' },
      { subnetId: 'subnet-b', availabilityZone: 'us-east-1b' },
      { subnetId: 'subnet-c', availabilityZone: 'us-east-1c' },
    ],
    image: { amiId: 'ami-0123456789abcdef0' },
    tls: {
      certificateSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:vault-dev/tls-cert-AbCdEf',
      privateKeySecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:vault-dev/tls-key-AbCdEf',
      caBundleSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:vault-dev/tls-ca-AbCdEf',
    },
    licenseSecretArn: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:vault-dev/license-AbCdEf',
    hostedZoneId: 'Z0123456789ABCDEFGHIJ',
    hostedZoneName: 'example.com',
    allowedClientCidrs: ['10.0.0.0/16'],
    allowedClientSecurityGroupIds: ['sg-0dr0functions000'],
    peerClusterCidrs: ['10.1.0.0/16'],
    ...overrides,
  };
}
