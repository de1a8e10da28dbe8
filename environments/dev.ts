import { join } from 'node:path';
import type { VaultDrStackProps } from '../stacks/vault-dr-stack-props';

/** The dev environment: its own values only; the composition is stacks/vault-dr-stack.ts. */
export const dev: VaultDrStackProps = {
  environment: 'dev',
  identifier: 'main',
  awsAccountId: '111111111111',
  primaryRegion: 'us-east-1',
  drRegion: 'us-west-2',
  vaultAddress: 'https://vault-dev.example.com:8200',
  clusters: {
    primary: { name: 'vault-dev-use1', address: 'https://vault-dev-use1.example.com:8200' },
    dr: { name: 'vault-dev-usw2', address: 'https://vault-dev-usw2.example.com:8200' },
  },
  hostedZoneId: 'Z0DEV0EXAMPLE00000001',
  vaultCaBundleFile: join(__dirname, 'vault-ca', 'dev.pem'),
  stateBackend: { bucket: 'vault-dr-terraform-state-111111111111', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-dev', headerValue: 'vault-dev.example.com' },
  tags: { Application: 'vault-dr', Environment: 'dev', Owner: 'platform-security' },
};
