import type { VaultDrStackProps } from '../../stacks/vault-dr-stack-props';

/**
 * prod's third cluster, for the release after 0.3.0: a performance secondary in eu-west-1 that
 * serves the clients near it, and the nearest name. prod is pinned to 0.3.0 (environments/pins.json),
 * whose VaultDrStackProps have neither prop, so these values wait here, type-checked against this
 * checkout's props, until prod is pinned to a release that takes them: then spread them into
 * environments/prod.ts (`...prodPerformanceSecondary`) in the same change as the pin (README
 * "Release flow"). test/stacks/prod-next.test.ts synthesizes prod with them.
 * Ids and ARNs are placeholders of the right shape.
 */
export const prodPerformanceSecondary = {
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
} as const satisfies Pick<VaultDrStackProps, 'performanceSecondaries' | 'nearestVaultAddress'>;
