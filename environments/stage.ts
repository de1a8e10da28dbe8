import { join } from 'node:path';
import type { VaultDrStackProps } from '../stacks/vault-dr-stack-props';

/** The stage environment: its own values only; the composition is stacks/vault-dr-stack.ts. */
export const stage: VaultDrStackProps = {
  environment: 'stage',
  identifier: 'main',
  awsAccountId: '222222222222',
  primaryRegion: 'us-east-1',
  drRegion: 'us-west-2',
  vaultAddress: 'https://vault-stage.example.com:8200',
  clusters: {
    primary: { name: 'vault-stage-use1', address: 'https://vault-stage-use1.example.com:8200' },
    dr: { name: 'vault-stage-usw2', address: 'https://vault-stage-usw2.example.com:8200' },
  },
  hostedZoneId: 'Z0STAGE0EXAMPLE000002',
  vaultCaBundleFile: join(__dirname, 'vault-ca', 'stage.pem'),
  stateBackend: { bucket: 'vault-dr-terraform-state-222222222222', region: 'us-west-2' },
  vaultLogin: { role: 'terraform-vault-dr-stage', headerValue: 'vault-stage.example.com' },
  tags: { Application: 'vault-dr', Environment: 'stage', Owner: 'platform-security' },
};
