import { join } from 'node:path';
import type { VaultDrStackProps } from '../stacks/vault-dr-stack-props';

/** The prod environment: its own values only; the composition is stacks/vault-dr-stack.ts. */
export const prod: VaultDrStackProps = {
  environment: 'prod',
  identifier: 'main',
  awsAccountId: '333333333333',
  primaryRegion: 'us-east-1',
  drRegion: 'us-west-2',
  vaultAddress: 'https://vault-prod.example.com:8200',
  clusters: {
    primary: { name: 'vault-prod-use1', address: 'https://vault-prod-use1.example.com:8200' },
    dr: { name: 'vault-prod-usw2', address: 'https://vault-prod-usw2.example.com:8200' },
  },
  hostedZoneId: 'Z0PROD0EXAMPLE0000003',
  vaultCaBundleFile: join(__dirname, 'vault-ca', 'prod.pem'),
  stateBackend: { bucket: 'vault-dr-terraform-state-333333333333', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-prod', headerValue: 'vault-prod.example.com' },
  tags: { Application: 'vault-dr', Environment: 'prod', Owner: 'platform-security' },
};
