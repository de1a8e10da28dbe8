/**
 * The only door to @cdktf/provider-vault, by deep path (see ./aws.ts for why).
 */
export { VaultProvider } from '@cdktf/provider-vault/lib/provider';
export { Audit as VaultAudit } from '@cdktf/provider-vault/lib/audit';
export { AuthBackend } from '@cdktf/provider-vault/lib/auth-backend';
export { AwsAuthBackendClient } from '@cdktf/provider-vault/lib/aws-auth-backend-client';
export { AwsAuthBackendRole } from '@cdktf/provider-vault/lib/aws-auth-backend-role';
export { GenericEndpoint } from '@cdktf/provider-vault/lib/generic-endpoint';
export { Policy as VaultPolicy } from '@cdktf/provider-vault/lib/policy';
export { QuotaLeaseCount } from '@cdktf/provider-vault/lib/quota-lease-count';
export { QuotaRateLimit } from '@cdktf/provider-vault/lib/quota-rate-limit';
export { RaftAutopilot } from '@cdktf/provider-vault/lib/raft-autopilot';
export { RaftSnapshotAgentConfig } from '@cdktf/provider-vault/lib/raft-snapshot-agent-config';
export { TokenAuthBackendRole } from '@cdktf/provider-vault/lib/token-auth-backend-role';
